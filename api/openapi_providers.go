package api

import (
	"strings"

	"github.com/fristad/fristad/domain"
	"github.com/swaggest/jsonschema-go"
	"github.com/swaggest/openapi-go/openapi31"
)

// The OpenAPI side of the provider routes: their vocabularies as enums
// whose descriptions give each code's Swedish label (case workers read
// the match reasons), their responses and query parameters.

// labelledEnum is an enum whose description lists "code: Swedish label".
func labelledEnum[T interface {
	~string
	Label() string
}](what string, values []T) jsonschema.Schema {
	s := enumSchema(values)
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v) + ": " + v.Label()
	}
	s.WithDescription(what + " — " + strings.Join(parts, "; "))
	return s
}

func addProviderTypes(r *openapi31.Reflector) {
	r.AddTypeMapping(domain.ProviderKind(""), labelledEnum("organisation form (driftsform)", domain.ProviderKinds()))
	r.AddTypeMapping(domain.ProviderTargetGroup(""), labelledEnum("target group (målgrupp)", domain.ProviderTargetGroups()))
	r.AddTypeMapping(domain.Staffing(""), labelledEnum("staffing (bemanning)", domain.Staffings()))
	r.AddTypeMapping(domain.ChecklistAnswer(""), labelledEnum("checklist answer (svar)", domain.ChecklistAnswers()))
	r.AddTypeMapping(domain.MatchReason(""), labelledEnum("why a provider cannot take the household (fits: false)", domain.MatchReasons()))
	r.AddTypeMapping(domain.MatchNeed(""), labelledEnum("a need a fitting provider meets or not", domain.MatchNeeds()))
}

// providerList is GET /providers.
type providerList struct {
	Items []ProviderSummary `json:"items"`
}

// matchResult is POST /providers/match.
type matchResult struct {
	Matches   []domain.Match   `json:"matches"`
	Household domain.Household `json:"household"`
}

func providerResponseOf(method, path string) (body any, versioned, ok bool) {
	switch method + " " + path {
	case "GET /providers":
		return providerList{}, false, true
	case "GET /providers/:id":
		return ProviderView{}, true, true
	case "GET /providers/checklist":
		return domain.Checklist{}, false, true
	case "POST /providers/match":
		return matchResult{}, false, true
	}
	return nil, false, false
}

func providerWriteExtra(path string) string {
	switch path {
	case "/providers":
		return "provider_id"
	case "/providers/:id/follow-ups":
		return "follow_up_id"
	}
	return ""
}

func providerQueryParams(path string) []queryParam {
	switch path {
	case "/providers":
		return []queryParam{{"kind", "string", "organisation form"}, {"region", "string", "county (län)"}}
	case "/providers/checklist":
		return []queryParam{{"version", "string", "a published version of the template (default the current)"}}
	}
	return nil
}
