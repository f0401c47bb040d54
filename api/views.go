package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
)

// Destroyed replaces personal data whose key was destroyed (culled).
const Destroyed = "[gallrad]"

func etag(version uint64) string { return fmt.Sprintf("%q", strconv.FormatUint(version, 10)) }

// PersonView is a personal file as one reader may see it. A field the
// reader may not see is absent and named in Masked.
type PersonView struct {
	ID             domain.ID              `json:"id"`
	Version        *uint64                `json:"version,omitempty"`
	Sex            domain.Sex             `json:"sex"`
	BirthYear      int                    `json:"birth_year,omitempty"`
	Protection     domain.ProtectionLevel `json:"protection"`
	Name           string                 `json:"name"`
	PersonalNumber string                 `json:"personal_number,omitempty"`
	Phone          string                 `json:"phone,omitempty"`
	Address        string                 `json:"address,omitempty"`
	Workplace      string                 `json:"workplace,omitempty"`
	Culled         bool                   `json:"culled,omitempty"`
	Masked         []string               `json:"masked,omitempty"`
	// withheld: the person is protected and this reader does not see
	// their whereabouts (the access entry records it).
	withheld bool
}

// mask removes fields by their JSON names and lists them in Masked.
func (v *PersonView) mask(fields ...string) {
	for _, f := range fields {
		switch f {
		case "personal_number":
			v.PersonalNumber = ""
		case "phone":
			v.Phone = ""
		case "address":
			v.Address = ""
		case "workplace":
			v.Workplace = ""
		case "version":
			v.Version = nil
		}
		if !slices.Contains(v.Masked, f) {
			v.Masked = append(v.Masked, f)
		}
	}
}

// personView reads a person as p may see them: a protected person's
// whereabouts only for a reader package policy finds entitled.
func (s *Server) personView(c echo.Context, p auth.Principal, id domain.ID) (*PersonView, error) {
	st, h, err := s.personState(c, id)
	if err != nil {
		return nil, err
	}
	return s.personViewOf(c, p, id, st, h)
}

// personViewOf is personView on a person already read (personState).
func (s *Server) personViewOf(c echo.Context, p auth.Principal, id domain.ID, st domain.Person, h *eventstore.History) (*PersonView, error) {
	if !h.Exists() {
		return nil, nil
	}
	version := h.Version
	v := &PersonView{ID: id, Version: &version, Sex: st.Sex, BirthYear: st.BirthYear, Protection: st.Protection, Culled: st.Culled}
	if v.Protection == "" {
		v.Protection = domain.ProtectionNone
	}
	ident, err := s.identity(c, h)
	if err != nil {
		return nil, err
	}
	if ident == nil {
		v.Name = Destroyed
		return v, nil
	}
	v.Name, v.PersonalNumber, v.Phone, v.Address, v.Workplace = ident.Name, string(ident.PersonalNumber), ident.Phone, ident.Address, ident.Workplace
	if !s.seesWhereabouts(p, st) {
		v.mask(policy.WhereaboutsFields...)
		v.withheld = st.Protection.Protected()
		if v.withheld {
			v.mask(policy.WithheldMetadata...)
		}
	}
	return v, nil
}

// identity opens the latest identity of a person; contact data added since
// (an intake that linked to the file) fills what it lacks but never
// replaces what the file holds: whoever knows a personal number must not
// be able to change where a protected person is recorded to live. nil when
// shredded.
func (s *Server) identity(c echo.Context, h *eventstore.History) (*domain.PersonIdentity, error) {
	var added []*domain.PersonIdentity // newest first
	for i := len(h.Events) - 1; i >= 0; i-- {
		e := &h.Events[i]
		if e.Sealed == nil {
			continue
		}
		switch e.Facts.(type) {
		case domain.PersonRegistered, domain.PersonDetailsChanged, domain.PersonContactAdded:
		default:
			continue // a sealed reason, not an identity
		}
		v, err := s.store.Unseal(c.Request().Context(), e)
		var shredded *eventstore.ShreddedError
		if errors.As(err, &shredded) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		id, ok := v.(*domain.PersonIdentity)
		if !ok {
			continue
		}
		if _, contact := e.Facts.(domain.PersonContactAdded); contact {
			added = append(added, id)
			continue
		}
		out := *id
		for j := len(added) - 1; j >= 0; j-- {
			a := added[j]
			out.Phone = cmp.Or(out.Phone, a.Phone)
			out.Address = cmp.Or(out.Address, a.Address)
			out.Workplace = cmp.Or(out.Workplace, a.Workplace)
		}
		return &out, nil
	}
	return nil, nil
}

// CaseView is the case file for case workers and supervisors.
type CaseView struct {
	ID                    domain.ID                   `json:"id"`
	Version               uint64                      `json:"version"`
	Status                domain.CaseStatus           `json:"status"`
	Unit                  string                      `json:"unit"`
	Assignee              string                      `json:"assignee"`
	TargetGroup           domain.TargetGroup          `json:"target_group"`
	Source                domain.IntakeSource         `json:"source"`
	ReceivedOn            domain.Date                 `json:"received_on"`
	Subject               *PersonView                 `json:"subject"`
	SpecialNeeds          []domain.SpecialNeed        `json:"special_needs"`
	Preliminary           domain.PreliminaryDecision  `json:"preliminary_assessment,omitempty"`
	InvestigationOpenedOn domain.Date                 `json:"investigation_opened_on"`
	LatestRisk            domain.RiskLevel            `json:"risk_level,omitempty"`
	Violence              []domain.ViolenceDocumented `json:"violence"`
	RiskAssessments       []domain.RiskAssessed       `json:"risk_assessments"`
	SafetyPlans           []domain.SafetyPlanned      `json:"safety_plans"`
	Children              []ChildView                 `json:"children"`
	Decisions             []domain.Decision           `json:"decisions"`
	Proposals             []domain.Proposal           `json:"proposals"`
	Appeals               []domain.Appeal             `json:"appeals"`
	Assignments           []CaseAssignmentView        `json:"assignments"`
	Placements            []PlacementView             `json:"placements"`
	FollowUps             []domain.FollowedUp         `json:"follow_ups"`
	NextFollowUpOn        domain.Date                 `json:"next_follow_up_on"`
	Notes                 int                         `json:"notes"`
	ClosedOn              domain.Date                 `json:"closed_on"`
	GoalAttainment        domain.GoalOutcome          `json:"goal_attainment,omitempty"`
	Corrections           int                         `json:"corrections"`
	View                  string                      `json:"view"`
	// Children's matters, links and the case's tasks (handlers_children.go).
	ChildrenView
	Tasks []projections.TaskRow `json:"tasks"`
}

// ChildView is a child in a case.
type ChildView struct {
	PersonID domain.ID            `json:"person_id"`
	Relation domain.ChildRelation `json:"relation"`
	Person   *PersonView          `json:"person,omitempty"`
}

// PlacementView is a placement as the case file shows it. ProviderID
// (the shelter) is whereabouts: absent and named in Masked for a reader who
// may not see them.
type PlacementView struct {
	domain.PlacementStarted
	ProviderID     domain.ID                  `json:"provider_id,omitempty"`
	Masked         []string                   `json:"masked,omitempty"`
	Until          domain.Date                `json:"until"`
	Schooling      []domain.SchoolingArranged `json:"schooling,omitempty"`
	Plans          int                        `json:"implementation_plans"`
	MovedOutOn     domain.Date                `json:"moved_out_on"`
	MoveOutReason  domain.MoveOutReason       `json:"move_out_reason,omitempty"`
	GoalAttainment domain.GoalOutcome         `json:"goal_attainment,omitempty"`
	// ProviderRegistered says whether the provider is in the registry (a
	// placement recorded before the registry may name an unknown id);
	// absent where the provider is not shown.
	ProviderRegistered *bool `json:"provider_registered,omitempty"`
}

func placementViews(ps []domain.Placement, keep func(domain.Placement) bool) []PlacementView {
	out := []PlacementView{}
	for _, p := range ps {
		if keep != nil && !keep(p) {
			continue
		}
		out = append(out, PlacementView{PlacementStarted: p.PlacementStarted, ProviderID: p.ProviderID, Until: p.Until, Schooling: nonNil(p.Schooling),
			Plans: p.Plans, MovedOutOn: p.MovedOutOn, MoveOutReason: p.MoveOutReason, GoalAttainment: p.GoalAttainment})
	}
	return out
}

// CaseAssignmentView is an assignment as the case file shows it; its
// provider is masked like a placement's.
type CaseAssignmentView struct {
	domain.AssignmentIssued
	ProviderID domain.ID `json:"provider_id,omitempty"`
	Masked     []string  `json:"masked,omitempty"`
	// ReportedBackOn: the provider reported back, which ended the assignment.
	ReportedBackOn domain.Date `json:"reported_back_on,omitzero"`
}

func caseAssignmentViews(as []domain.AssignmentIssued) []CaseAssignmentView {
	out := make([]CaseAssignmentView, 0, len(as))
	for _, a := range as {
		out = append(out, CaseAssignmentView{AssignmentIssued: a, ProviderID: a.ProviderID})
	}
	return out
}

// maskWhere removes where the case's people are housed and go to school.
func (v *CaseView) maskWhere() {
	for i := range v.Placements {
		v.Placements[i].ProviderID, v.Placements[i].Schooling, v.Placements[i].Masked = "", nil, []string{"provider_id", "schooling"}
	}
	for i := range v.Assignments {
		v.Assignments[i].ProviderID, v.Assignments[i].Masked = "", []string{"provider_id"}
	}
}

// AssignmentView is what provider staff see of a case: their own
// assignments (with the SOSFS 2014:5 § 22 contents) and placements, and
// who the person is, never where they lived before.
type AssignmentView struct {
	ID          domain.ID         `json:"id"`
	Version     uint64            `json:"version"`
	Status      domain.CaseStatus `json:"status"`
	Subject     *PersonView       `json:"subject"`
	Assignments []AssignmentItem  `json:"assignments"`
	Placements  []PlacementView   `json:"placements"`
	View        string            `json:"view"`
}

// AssignmentItem is one assignment with its contents.
type AssignmentItem struct {
	domain.AssignmentIssued
	Contents *domain.AssignmentContents `json:"contents,omitempty"`
	// ReportedBackOn: the provider reported back, which ended the assignment.
	ReportedBackOn domain.Date `json:"reported_back_on,omitzero"`
}

// getCase renders the case file for the reader: the full file for case
// workers and supervisors of the unit, the assignment view for providers.
func (s *Server) getCase(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	// The case file comes from the projection, once it has applied this
	// instance's writes (and the client's X-Min-Seq).
	if err := s.catchUp(c); err != nil {
		return err
	}
	cs, ok := s.cfg.Cases.Case(id)
	if !ok || !mayReadCase(p, cs) {
		return errNotFound()
	}
	c.Response().Header().Set("ETag", etag(cs.Version))
	if !caseWorkScope(p, cs) {
		// The assignment contents are sealed personal data: read from the
		// case's history.
		h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
		if err != nil {
			return err
		}
		v, err := s.assignmentView(c, p, h, cs)
		if err != nil {
			return err
		}
		t := caseTarget(cs)
		// Provider staff never see a protected subject's whereabouts
		// (the policy): the entry says they were withheld, as a case
		// worker's would.
		t.protected, t.withheld = protectedIn(v.Subject), withheldIn(v.Subject)
		if err := s.logAccess(c, p, actReadCaseFile, t); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
	// The subject and the children are read once, for their views and
	// for whether the reader sees where they are housed.
	people, err := s.readCasePersons(c, cs)
	if err != nil {
		return err
	}
	viewOf := func(id domain.ID) (*PersonView, error) {
		i := slices.IndexFunc(people, func(r casePerson) bool { return r.id == id })
		return s.personViewOf(c, p, id, people[i].st, people[i].h)
	}
	subject, err := viewOf(cs.PersonID)
	if err != nil {
		return err
	}
	v := CaseView{
		ID: id, Version: cs.Version, Status: cs.Status, Unit: cs.Unit, Assignee: cs.Assignee, TargetGroup: cs.TargetGroup,
		Source: cs.Source, ReceivedOn: cs.ReceivedOn, Subject: subject, SpecialNeeds: nonNil(cs.SpecialNeeds),
		Preliminary: cs.Preliminary, InvestigationOpenedOn: cs.InvestigationOpenedOn, LatestRisk: cs.LatestRisk(),
		Violence: nonNil(cs.Violence), RiskAssessments: nonNil(cs.RiskAssessments), SafetyPlans: nonNil(cs.SafetyPlans),
		Decisions: nonNil(cs.Decisions), Proposals: nonNil(cs.Proposals), Appeals: nonNil(cs.Appeals),
		Assignments: caseAssignmentViews(cs.Assignments), Placements: placementViews(cs.Placements, nil),
		FollowUps: nonNil(cs.FollowUps), NextFollowUpOn: cs.NextFollowUpOn(), Notes: len(cs.Notes),
		ClosedOn: cs.ClosedOn, GoalAttainment: cs.GoalAttainment, Corrections: cs.Corrections, View: "case_file",
		Children:     []ChildView{},
		ChildrenView: s.childrenView(p, cs), Tasks: s.cfg.Cases.CaseTasks(id, policy.PartnerContactFlags(p), s.today()),
	}
	for _, ch := range cs.Children {
		pv, err := viewOf(ch.PersonID)
		if err != nil {
			return err
		}
		v.Children = append(v.Children, ChildView{PersonID: ch.PersonID, Relation: ch.Relation, Person: pv})
	}
	showWhere, protected := s.showsWhereOf(p, people)
	if !showWhere {
		v.maskWhere()
	}
	if c.QueryParam("view") == "party" {
		partyView(&v)
	}
	s.markRegistered(v.Placements)
	markReportedBack(v.Assignments, cs)
	t := caseTarget(cs)
	t.protected = protected
	t.withheld = !showWhere || withheldIn(v.Subject)
	for _, ch := range v.Children {
		t.withheld = t.withheld || withheldIn(ch.Person)
	}
	if err := s.logAccess(c, p, actReadCaseFile, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func protectedIn(v *PersonView) bool { return v != nil && v.Protection != domain.ProtectionNone }
func withheldIn(v *PersonView) bool  { return v != nil && v.withheld }

// partyView keeps what may be communicated to a party (kommunicering):
// a protected subject's whereabouts go, so do every other person's
// personal number and contact details, and so does where a placement is
// (the provider).
func partyView(v *CaseView) {
	v.View = "party"
	if v.Subject != nil {
		if protectedIn(v.Subject) {
			v.Subject.mask(policy.WhereaboutsFields...)
			v.Subject.mask(policy.WithheldMetadata...)
		}
		v.Subject.mask("personal_number")
	}
	for i := range v.Children {
		if ch := v.Children[i].Person; ch != nil {
			ch.mask(policy.PartyViewPersonFields...)
			if protectedIn(ch) {
				ch.mask(policy.WithheldMetadata...)
			}
		}
	}
	v.maskWhere()
	partyChildren(v)
}

func (s *Server) assignmentView(c echo.Context, p auth.Principal, h *eventstore.History, cs domain.Case) (AssignmentView, error) {
	subject, err := s.personView(c, p, cs.PersonID)
	if err != nil {
		return AssignmentView{}, err
	}
	if subject != nil {
		// Providers need to know who the person is, not how to reach them
		// elsewhere: contact details stay with the case worker.
		subject.mask(policy.PartyViewPersonFields...)
	}
	mine := func(pid domain.ID) bool { return string(pid) == p.Provider }
	v := AssignmentView{ID: cs.ID, Version: h.Version, Status: cs.Status, Subject: subject, View: "assignment",
		Assignments: []AssignmentItem{}, Placements: placementViews(cs.Placements, func(pl domain.Placement) bool { return mine(pl.ProviderID) })}
	for i := range h.Events {
		e := &h.Events[i]
		a, ok := e.Facts.(domain.AssignmentIssued)
		if !ok || !mine(a.ProviderID) {
			continue
		}
		item := AssignmentItem{AssignmentIssued: a}
		if r, ended := cs.ReportedBack(a.AssignmentID); ended {
			item.ReportedBackOn = r.ReportedOn
		}
		if e.Sealed == nil {
			v.Assignments = append(v.Assignments, item)
			continue
		}
		if pd, err := s.store.Unseal(c.Request().Context(), e); err == nil {
			item.Contents, _ = pd.(*domain.AssignmentContents)
		}
		v.Assignments = append(v.Assignments, item)
	}
	return v, nil
}

// EventView is one entry of the documentation history. Facts or personal
// data the reader may not see (where a protected person is housed) are
// absent and named in Masked.
type EventView struct {
	ID         domain.ID       `json:"id"`
	Type       string          `json:"type"`
	Version    uint64          `json:"version"`
	RecordedAt time.Time       `json:"recorded_at"`
	Actor      string          `json:"actor"`
	Data       json.RawMessage `json:"data"`
	Personal   any             `json:"personal,omitempty"`
	Destroyed  bool            `json:"personal_destroyed,omitempty"`
	Masked     []string        `json:"masked,omitempty"`
}

// whereEvent: the case events that say where someone is housed or goes
// to school: the provider in their facts, the kind of school a placed
// child goes to (the same school as before tells where to wait), the
// assignment's contents (which name and describe the shelter), and
// corrections of them.
func whereEvent(facts domain.Facts) bool {
	switch f := facts.(type) {
	case domain.PlacementStarted, domain.AssignmentIssued, domain.SchoolingArranged:
		return true
	case domain.Corrected:
		switch f.EventType {
		case domain.PlacementStarted{}.EventName(), domain.AssignmentIssued{}.EventName(), domain.SchoolingArranged{}.EventName():
			return true
		}
	}
	return false
}

// whereFields are the facts fields of whereEvent's events that are masked.
var whereFields = []string{"provider_id", "school_kind", "patch"}

// caseEvents is the documentation history: who recorded what, when,
// masked like the case file.
func (s *Server) caseEvents(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
	if err != nil {
		return err
	}
	cs := eventstore.State(s.cases, h)
	if !cs.Exists || !caseWorkScope(p, cs) {
		return errNotFound()
	}
	showWhere, protected, err := s.caseShowsWhere(c, p, cs)
	if err != nil {
		return err
	}
	page, next, err := historyPage(c, h)
	if err != nil {
		return err
	}
	out := make([]EventView, 0, len(page))
	for i := range page {
		e := &page[i]
		facts, _ := json.Marshal(e.Facts)
		v := EventView{ID: e.ID, Type: e.Type, Version: e.Version, RecordedAt: e.RecordedAt, Actor: e.Actor, Data: facts}
		hide := !showWhere && whereEvent(e.Facts)
		if hide {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(facts, &m)
			for _, k := range whereFields {
				if _, ok := m[k]; ok {
					delete(m, k)
					v.Masked = append(v.Masked, k)
				}
			}
			v.Data, _ = json.Marshal(m)
		}
		if field := s.hiddenLink(p, e.Facts); field != "" {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(v.Data, &m)
			delete(m, field)
			v.Data, _ = json.Marshal(m)
			v.Masked = append(v.Masked, field)
		}
		if e.Sealed != nil && hide {
			v.Masked = append(v.Masked, "personal")
		} else if e.Sealed != nil {
			pd, err := s.store.Unseal(c.Request().Context(), e)
			var shredded *eventstore.ShreddedError
			switch {
			case errors.As(err, &shredded):
				v.Destroyed = true
			case err != nil:
				return err
			default:
				v.Personal = pd
			}
		}
		out = append(out, v)
	}
	c.Response().Header().Set("ETag", etag(h.Version))
	t := caseTarget(cs)
	t.protected, t.withheld = protected, !showWhere
	if err := s.logAccess(c, p, actReadCaseEvents, t); err != nil {
		return err
	}
	res := caseHistory{CaseID: id, Version: h.Version, Events: out}
	if next != "" {
		res.NextCursor = &next
	}
	return c.JSON(http.StatusOK, res)
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
