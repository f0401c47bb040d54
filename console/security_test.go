package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fristad/fristad/api/auth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// client is a browser without a browser: a cookie jar and no redirects.
type client struct {
	t    *testing.T
	s    *stack
	http *http.Client
}

func (s *stack) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, s: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Get(c.s.url + path)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) post(path string, form url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.s.url+path, strings.NewReader(form.Encode()))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) csrf(body string) string {
	c.t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	require.NotNil(c.t, m, "no CSRF field in %s", body)
	return m[1]
}

func (c *client) signIn(sub, role, units string) {
	c.t.Helper()
	_, body := c.get("/ui/logga-in")
	res, _ := c.post("/ui/dev/logga-in", url.Values{"csrf": {c.csrf(body)}, "sub": {sub}, "roles": {role}, "units": {units}})
	require.Equal(c.t, http.StatusSeeOther, res.StatusCode)
}

// Every page carries the strict CSP and the other headers; no template
// has an inline script, an inline style or an event-handler attribute;
// the session cookie is HttpOnly, Secure and SameSite=Strict.
func TestHeadersCookiesAndNoInlineCode(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	protectedID, _ := s.protectedCase(t)
	c := s.client(t)
	_, body := c.get("/ui/logga-in")
	res, _ := c.post("/ui/dev/logga-in", url.Values{"csrf": {c.csrf(body)}, "sub": {"sara"}, "roles": {"supervisor", "caseworker"}, "units": {"vuxen"}})
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "__Host-fristad-session" {
			session = ck
		}
	}
	require.NotNil(t, session)
	assert.True(t, session.HttpOnly && session.Secure, "HttpOnly and Secure")
	assert.Equal(t, http.SameSiteStrictMode, session.SameSite)
	assert.Equal(t, "/", session.Path)

	inline := regexp.MustCompile(`(?i)\sstyle=|\son[a-z]+=|javascript:|(?:src|href|action)="?(?:https?:)?//`)
	scripts := regexp.MustCompile(`(?is)<script[^>]*>.*?</script>`)
	for _, p := range []string{"/ui/logga-in", "/ui/arenden", "/ui/uppgifter", "/ui/arenden/ny", "/ui/arenden/" + protectedID, "/ui/logguppfoljning",
		"/ui/rapporter", "/ui/rapporter?rapport=mapping&unit=vuxen&from=2026-01-01&to=2026-12-31", "/ui/finns-inte", "/ui/static/console.css"} {
		res, body := c.get(p)
		h := res.Header
		assert.Equal(t, "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
			h.Get("Content-Security-Policy"), p)
		assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), p)
		assert.Equal(t, "DENY", h.Get("X-Frame-Options"), p)
		assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), p)
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			assert.Equal(t, "no-store", h.Get("Cache-Control"), p)
			assert.Empty(t, inline.FindAllString(body, -1), "%s has inline code or an outside reference", p)
			found := scripts.FindAllString(body, -1)
			require.Len(t, found, 1, "%s: the one script", p)
			assert.Regexp(t, `^<script src="/ui/static/console\.js\?v=[0-9a-f]{16}" defer></script>$`, found[0], "%s: from this server", p)
		}
	}
	// The static files: kept a year when asked for by their hash, else revalidated.
	_, page := c.get("/ui/arenden")
	css := regexp.MustCompile(`href="(/ui/static/console\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	require.NotNil(t, css)
	res, _ = c.get(css[1])
	assert.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"))
	res, _ = c.get("/ui/static/console.css?v=0000")
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
}

// Every form needs the session's CSRF token (and a same-origin Origin);
// a refused post writes nothing. Without a session nothing is posted.
func TestCSRFOnEveryForm(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	protectedID, plainID := s.protectedCase(t)
	_ = protectedID
	c := s.client(t)
	c.signIn("anna", "caseworker", "vuxen")
	_, body := c.get("/ui/arenden/" + plainID)
	token := c.csrf(body)
	last := func() uint64 {
		n, err := s.store.LastSeq(context.Background())
		require.NoError(t, err)
		return n
	}
	before := last()
	forms := map[string]url.Values{
		"/ui/arenden/" + plainID + "/anteckning":    {"text": {"Anteckning"}},
		"/ui/arenden/" + plainID + "/riskbedomning": {"instrument": {"sara"}, "level": {"low"}, "concerns": {"adult"}, "assessed_on": {"2026-03-03"}},
		"/ui/arenden/ny":      {"unit": {"vuxen"}, "target_group": {"adult_victim"}, "source": {"report"}, "received_on": {"2026-03-03"}, "name": {"X"}, "sex": {"female"}},
		"/ui/logguppfoljning": {"entries": {"01J00000000000000000000001"}, "outcome": {"justified"}},
		"/ui/logga-ut":        {},
	}
	for path, form := range forms {
		for name, tc := range map[string]struct {
			token  string
			header []string
		}{
			"no token":     {"", nil},
			"wrong token":  {token[:len(token)-2] + "xx", nil},
			"cross origin": {token, []string{"Origin", "https://evil.example"}},
		} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tc.token != "" {
				f.Set("csrf", tc.token)
			}
			res, _ := c.post(path, f, tc.header...)
			assert.Equal(t, http.StatusForbidden, res.StatusCode, "%s %s", path, name)
		}
	}
	assert.Equal(t, before, last(), "no refused form wrote anything")
	// The same form with the token goes through.
	res, _ := c.post("/ui/arenden/"+plainID+"/anteckning", url.Values{"csrf": {token}, "text": {"Anteckning"}, "version": {""}})
	assert.Equal(t, http.StatusSeeOther, res.StatusCode)
	assert.Greater(t, last(), before)

	// Signing in again ends the earlier session: its cookie no longer works.
	oldCookies := c.http.Jar.Cookies(mustURL(t, s.url))
	require.True(t, slices.ContainsFunc(oldCookies, func(ck *http.Cookie) bool { return ck.Name == "__Host-fristad-session" }))
	withOld := s.client(t)
	withOld.http.Jar.SetCookies(mustURL(t, s.url), oldCookies)
	res, _ = withOld.get("/ui/arenden")
	require.Equal(t, http.StatusOK, res.StatusCode, "the cookie works before the new sign-in")
	c.signIn("anna", "caseworker", "vuxen")
	stale := s.client(t)
	stale.http.Jar.SetCookies(mustURL(t, s.url), oldCookies)
	res, _ = stale.get("/ui/arenden")
	assert.Equal(t, http.StatusSeeOther, res.StatusCode, "the earlier session is gone")

	// Signed out: a post is refused, a page sends to the sign-in.
	out := s.client(t)
	res, _ = out.post("/ui/arenden/"+plainID+"/anteckning", url.Values{"csrf": {token}, "text": {"x"}})
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	res, _ = out.get("/ui/arenden")
	assert.Equal(t, http.StatusSeeOther, res.StatusCode)
	assert.Equal(t, "/ui/logga-in", res.Header.Get("Location"))
	// The development sign-in itself needs the pre-sign-in token.
	res, _ = out.post("/ui/dev/logga-in", url.Values{"sub": {"admin"}, "roles": {"admin"}})
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
}

// The console answers with the API's status for the same user and
// record: 404 where the API says the record is not there for them, 403
// where the role may not.
func TestConsoleMirrorsTheAPI(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	protectedID, plainID := s.protectedCase(t)
	users := []struct {
		sub, role, units string
		p                auth.Principal
	}{
		{"anna", "caseworker", "vuxen", anna},
		{"olle", "caseworker", "barn", auth.Principal{Sub: "olle", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"barn"}}},
		{"stat", "statistician", "", auth.Principal{Sub: "stat", Roles: []auth.Role{auth.RoleStatistician}}},
		{"jouren", "provider", "", auth.Principal{Sub: "jouren", Roles: []auth.Role{auth.RoleProvider}, Provider: ""}},
	}
	pairs := []struct{ ui, api string }{
		{"/ui/arenden/" + plainID, "/cases/" + plainID},
		{"/ui/arenden/01J00000000000000000000001", "/cases/01J00000000000000000000001"},
		{"/ui/arenden", "/cases"},
		{"/ui/uppgifter", "/dashboard/overdue"},
		{"/ui/logguppfoljning", "/audit/sample"},
	}
	for _, u := range users {
		c := s.client(t)
		c.signIn(u.sub, u.role, u.units)
		for _, p := range pairs {
			want, _ := s.apiCall(u.p, "GET", p.api, nil)
			res, body := c.get(p.ui)
			assert.Equal(t, want, res.StatusCode, "%s on %s", u.sub, p.ui)
			if want >= 400 {
				assert.NotContains(t, body, "Zlatana", "%s on %s", u.sub, p.ui)
			}
		}
		// The protected file: the API wants a reason first; so does the console.
		res, body := c.get("/ui/arenden/" + protectedID)
		want, _ := s.apiCall(u.p, "GET", "/cases/"+protectedID, nil)
		if want == http.StatusBadRequest {
			assert.Equal(t, http.StatusOK, res.StatusCode)
			assert.Contains(t, body, "Skäl för åtkomst")
			assert.NotContains(t, body, "Zlatana")
		} else {
			assert.Equal(t, want, res.StatusCode, "%s on the protected file", u.sub)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// A form posted on a stale page (someone else wrote since): the API's 412
// becomes a Swedish message and nothing is written.
func TestStaleFormIsRefusedInSwedish(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	_, plainID := s.protectedCase(t)
	c := s.client(t)
	c.signIn("anna", "caseworker", "vuxen")
	_, body := c.get("/ui/arenden/" + plainID)
	token := c.csrf(body)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)[1]
	code, _ := s.apiCall(anna, "POST", "/cases/"+plainID+"/notes", map[string]any{"text": "Någon annans anteckning"})
	require.Equal(t, http.StatusCreated, code)
	res, page := c.post("/ui/arenden/"+plainID+"/anteckning", url.Values{"csrf": {token}, "version": {version}, "text": {"Min anteckning"}})
	assert.Equal(t, http.StatusPreconditionFailed, res.StatusCode)
	assert.Contains(t, page, "Ärendet har ändrats av någon annan")
	assert.Contains(t, page, "Min anteckning", "the text is kept to post again")
	_, file := s.apiCall(anna, "GET", "/cases/"+plainID, nil)
	assert.EqualValues(t, 1, file["notes"], "only the other note")
}

// A supervisor filters the caseload by one worker; the API's filters pass
// through (and its scope: another unit's worker shows nothing).
func TestCaseloadFilterByWorker(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	_, plainID := s.protectedCase(t)
	c := s.client(t)
	c.signIn("sara", "supervisor", "vuxen")
	_, page := c.get("/ui/arenden?assignee_user=anna")
	assert.Contains(t, page, plainID)
	_, page = c.get("/ui/arenden?assignee_user=bertil")
	assert.NotContains(t, page, plainID)
	assert.Contains(t, page, "Inga ärenden matchar filtret.")
}

// Two intakes in one session are two cases: the idempotency key is per
// form, not per session.
func TestTwoIntakesInASessionAreTwoCases(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	c := s.client(t)
	c.signIn("anna", "caseworker", "vuxen")
	idem := regexp.MustCompile(`name="idem" value="([^"]+)"`)
	var ids []string
	for i := range 2 {
		_, page := c.get("/ui/arenden/ny")
		form := url.Values{"csrf": {c.csrf(page)}, "idem": {idem.FindStringSubmatch(page)[1]}, "unit": {"vuxen"}, "target_group": {"adult_victim"},
			"source": {"report"}, "received_on": {"2026-03-03"}, "name": {"Person " + string(rune('A'+i))}, "sex": {"female"}}
		res, _ := c.post("/ui/arenden/ny", form)
		require.Equal(t, http.StatusSeeOther, res.StatusCode)
		ids = append(ids, res.Header.Get("Location"))
		// The same form posted again (a double click) is the same case.
		res, _ = c.post("/ui/arenden/ny", form)
		assert.Equal(t, ids[i], res.Header.Get("Location"), "a retried form is the first intake")
	}
	assert.NotEqual(t, ids[0], ids[1])
}

// The tasks page shows the dashboard's decision deadlines: a decision
// not communicated in time is listed with its case.
func TestTasksShowDecisionDeadlines(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	_, plainID := s.protectedCase(t)
	code, body := s.apiCall(anna, "POST", "/cases/"+plainID+"/decisions", map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-01-05", "decided_on": "2026-01-05"})
	require.Equal(t, http.StatusCreated, code, body)
	c := s.client(t)
	c.signIn("anna", "caseworker", "vuxen")
	res, page := c.get("/ui/uppgifter")
	require.Equal(t, http.StatusOK, res.StatusCode)
	i := strings.Index(page, "Beslut som inte har delgetts i tid")
	j := strings.Index(page, "Överklaganden som inte har överlämnats")
	require.True(t, i > 0 && j > i)
	assert.Contains(t, page[i:j], "/ui/arenden/"+plainID)
}
