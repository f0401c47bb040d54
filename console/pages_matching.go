package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// matchResult is POST /providers/match's answer as the page reads it:
// only the fields the API returns, so the page can show nothing the API
// would not (no address: the API never puts one in a match).
type matchResult struct {
	Matches []struct {
		ProviderID   string   `json:"provider_id"`
		Name         string   `json:"name"`
		Kind         string   `json:"kind"`
		Municipality string   `json:"municipality"`
		Region       string   `json:"region"`
		Fits         bool     `json:"fits"`
		Score        int      `json:"score"`
		Reasons      []string `json:"reasons"`
		Met          []string `json:"met"`
		Unmet        []string `json:"unmet"`
		Vacancies    *struct {
			Adults   int    `json:"adults"`
			Children int    `json:"children"`
			AsOf     string `json:"as_of"`
		} `json:"vacancies"`
	} `json:"matches"`
}

// matching: the shelters that fit a case's household (POST
// /providers/match with case_id plus the form's extra needs), ranked,
// and those that do not, with the reasons in Swedish. GET matches on the
// case alone, so the page's status is the API's for that case.
func (c *Console) matching(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	f := r.PostForm
	body := map[string]any{"case_id": id}
	var problem string
	if r.Method == http.MethodPost {
		if a := strings.TrimSpace(f.Get("adults")); a != "" {
			n, err := strconv.Atoi(a)
			if err != nil {
				problem = "Antal vuxna måste vara ett heltal."
			}
			body["adults"] = n
		}
		body["wheelchair"] = f.Get("wheelchair") == "ja"
		body["languages"] = splitList(f.Get("languages"))
		body["avoid_regions"] = splitList(f.Get("avoid_regions"))
	}
	p := page{Title: "Matchning mot skyddade boenden", Nav: "arenden",
		Data: map[string]any{"ID": id, "Values": f, "Case": Prefix + "arenden/" + url.PathEscape(id)}}
	if problem != "" {
		p.Problem = problem
		c.render(w, r, s, http.StatusBadRequest, "matching", p)
		return
	}
	hdr := map[string]string{"X-Access-Reason": c.sessions.reason(s, id)}
	res := c.call(r, s, http.MethodPost, "/providers/match", nil, body, hdr)
	if res.status == http.StatusBadRequest {
		pr := res.problem()
		p.Problem, p.Errors = swedishDetail(pr), swedishErrors(pr)
		c.render(w, r, s, res.status, "matching", p)
		return
	}
	if !res.ok() {
		c.apiError(w, r, s, res)
		return
	}
	var m matchResult
	if err := jsonUnmarshal(res.body, &m); err != nil {
		c.apiError(w, r, s, apiResult{status: http.StatusBadGateway})
		return
	}
	var fit, unfit []any
	for _, x := range m.Matches {
		if x.Fits {
			fit = append(fit, x)
		} else {
			unfit = append(unfit, x)
		}
	}
	p.Data["Fit"], p.Data["Unfit"], p.Data["Done"] = fit, unfit, true
	c.render(w, r, s, http.StatusOK, "matching", p)
}

// splitList reads a comma-separated field; the API wants a list.
func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
