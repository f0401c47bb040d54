package api

import (
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/swaggest/jsonschema-go"
)

// Response bodies the route table names (route.Response) that are not a
// record's view: the handlers send these types, so the OpenAPI document,
// reflected from them, says what is sent.

// caseloadPage is GET /cases.
type caseloadPage struct {
	Items      []projections.Row `json:"items" required:"true"`
	NextCursor *string           `json:"next_cursor" required:"true"`
}

// personSearchResult is POST /persons/search.
type personSearchResult struct {
	PersonIDs []domain.ID `json:"person_ids" required:"true"`
}

// caseHistory is GET /cases/{id}/events: one page of the documentation
// history, oldest event first (historyPage).
type caseHistory struct {
	CaseID     domain.ID   `json:"case_id" required:"true"`
	Version    uint64      `json:"version" required:"true"`
	Events     []EventView `json:"events" required:"true"`
	NextCursor *string     `json:"next_cursor" required:"true" description:"the cursor of the next (newer) page; null on the page that holds the newest event"`
}

// grantsList is GET /persons/{id}/grants.
type grantsList struct {
	PersonID   domain.ID              `json:"person_id" required:"true"`
	Protection domain.ProtectionLevel `json:"protection" required:"true"`
	Entitled   []EntitlementView      `json:"entitled" required:"true"`
}

// The audit responses (audit.go builds them as maps of these members).
type (
	auditCaseResponse struct {
		CaseID        domain.ID            `json:"case_id" required:"true"`
		Unit          string               `json:"unit" required:"true"`
		Documentation []DocumentationEntry `json:"documentation" required:"true"`
		Access        []AccessEntryView    `json:"access" required:"true"`
		NextCursor    *string              `json:"next_cursor" required:"true"`
	}
	auditUserResponse struct {
		User               string               `json:"user" required:"true"`
		Recorded           []DocumentationEntry `json:"recorded" required:"true"`
		RecordedNextCursor *string              `json:"recorded_next_cursor" required:"true"`
		Access             []AccessEntryView    `json:"access" required:"true"`
		NextCursor         *string              `json:"next_cursor" required:"true"`
	}
	auditAccessResponse struct {
		Items      []AccessEntryView `json:"items" required:"true"`
		NextCursor *string           `json:"next_cursor" required:"true"`
	}
)

// The record views that differ by reader are oneOf alternatives in the
// document; each alternative requires a member the others cannot match
// (a view code, or the supervisor's two sides), so a validator tells
// them apart.
type (
	// caseFile is CaseView for case workers and supervisors,
	// AssignmentView for provider staff.
	caseFile struct{}
	// partnerContactFile is the caller's side of a partner contact; a
	// supervisor sees both.
	partnerContactFile struct{}
)

func (caseFile) JSONSchemaOneOf() []any { return []any{CaseView{}, AssignmentView{}} }
func (partnerContactFile) JSONSchemaOneOf() []any {
	return []any{TreatmentSideView{}, PartnerSideView{}, SupervisorContactView{}}
}

// discriminate makes member name required and one of values in s.
func discriminate(s *jsonschema.Schema, name string, values ...string) error {
	prop, ok := s.Properties[name]
	if !ok || prop.TypeObject == nil {
		return nil
	}
	enum := make([]any, len(values))
	for i, v := range values {
		enum[i] = v
	}
	prop.TypeObject.Enum = enum
	s.Properties[name] = prop
	for _, r := range s.Required {
		if r == name {
			return nil
		}
	}
	s.Required = append(s.Required, name)
	return nil
}

func (CaseView) PrepareJSONSchema(s *jsonschema.Schema) error {
	return discriminate(s, "view", "case_file", "party")
}
func (AssignmentView) PrepareJSONSchema(s *jsonschema.Schema) error {
	return discriminate(s, "view", "assignment")
}
func (TreatmentSideView) PrepareJSONSchema(s *jsonschema.Schema) error {
	return discriminate(s, "view", "treatment", "supervisor")
}
func (PartnerSideView) PrepareJSONSchema(s *jsonschema.Schema) error {
	return discriminate(s, "view", "partner_contact", "supervisor")
}

// A supervisor's read of a partner contact holds both sides.
func (SupervisorContactView) PrepareJSONSchema(s *jsonschema.Schema) error {
	s.Required = append(s.Required, "treatment", "partner")
	return nil
}
