package console

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
)

// page is what every template gets.
type page struct {
	Title   string
	Nav     string // the current menu item
	User    *auth.Principal
	CSRF    string
	Flash   string
	Dev     bool
	Data    map[string]any
	Errors  []fieldError
	Problem string
	CSS, JS string // the static files' URLs
}

// fieldError is a validation message in Swedish, for a form field.
type fieldError struct{ Field, Label, Message string }

var funcs = template.FuncMap{
	"label":   label,
	"options": func(name string) []option { return vocabularies[name] },
	"date": func(v any) string {
		s, _ := v.(string)
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.In(stockholm).Format("2006-01-02 15:04")
		}
		return s
	},
	"has": func(p *auth.Principal, role string) bool { return p != nil && p.Has(auth.Role(role)) },
	"join": func(v any) string {
		switch x := v.(type) {
		case []any:
			parts := make([]string, 0, len(x))
			for _, e := range x {
				parts = append(parts, fmt.Sprint(e))
			}
			return strings.Join(parts, ", ")
		case []string:
			return strings.Join(x, ", ")
		}
		return ""
	},
	"contains": func(list []string, v string) bool { return slices.Contains(list, v) },
	"errFor": func(errs []fieldError, field string) string {
		for _, e := range errs {
			if e.Field == field {
				return e.Message
			}
		}
		return ""
	},
	"eventLabel": eventLabel,
	"action":     actionLabel,
	"nonce":      randomToken,
	"today":      today,
	"num": func(v any) int {
		f, _ := v.(float64)
		return int(f)
	},
	"seq": func(v any) []int {
		f, _ := v.(float64)
		n := min(int(f), 50)
		out := make([]int, 0, max(n, 0))
		for i := 1; i <= n; i++ {
			out = append(out, i)
		}
		return out
	},
	"str": func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	},
}

var stockholm = func() *time.Location {
	l, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return l
}()

func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		if n.Name() == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+n.Name())
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", n.Name(), err)
		}
		out[strings.TrimSuffix(n.Name(), ".html")] = t
	}
	return out, nil
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, s *session, status int, name string, p page) {
	if s != nil {
		p.User = &s.principal
		p.CSRF = s.csrf
		if p.Flash == "" {
			p.Flash = c.sessions.takeFlash(s)
		}
	}
	p.Dev = c.cfg.DevMint != nil
	p.CSS, p.JS = c.asset("console.css"), c.asset("console.js")
	var buf bytes.Buffer
	t, ok := c.tmpl[name]
	if !ok {
		http.Error(w, "internt fel", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		c.log.Error("console: render", "template", name, "err", err)
		http.Error(w, "internt fel", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// apiError renders the page for an API refusal: the same status, a
// Swedish message, nothing of the refused resource.
func (c *Console) apiError(w http.ResponseWriter, r *http.Request, s *session, res apiResult) {
	switch res.status {
	case http.StatusUnauthorized:
		c.sessions.drop(s.id)
		clearCookie(w, sessionCookie)
		c.render(w, r, nil, http.StatusUnauthorized, "message", page{Title: "Inloggningen har gått ut", Data: map[string]any{"Text": "Logga in igen.", "SignIn": true}})
	case http.StatusNotFound:
		c.render(w, r, s, http.StatusNotFound, "message", page{Title: "Sidan finns inte", Data: map[string]any{"Text": "Sidan finns inte, eller så har du inte behörighet till den."}})
	case http.StatusForbidden:
		c.render(w, r, s, http.StatusForbidden, "message", page{Title: "Ingen behörighet", Data: map[string]any{"Text": "Din roll eller enhet ger inte behörighet till detta."}})
	default:
		if res.status >= 500 {
			c.render(w, r, s, http.StatusBadGateway, "message", page{Title: "Något gick fel", Data: map[string]any{"Text": "Tjänsten kunde inte svara. Försök igen om en stund."}})
			return
		}
		p := res.problem()
		c.render(w, r, s, res.status, "message", page{Title: "Begäran kunde inte utföras", Errors: swedishErrors(p), Data: map[string]any{"Text": swedishDetail(p)}})
	}
}
