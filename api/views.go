package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// Redacted replaces a protected person's whereabouts for readers who may
// not see them; Destroyed replaces personal data whose key was destroyed
// (culled).
const (
	Redacted  = "[skyddad]"
	Destroyed = "[gallrad]"
)

func etag(version uint64) string { return fmt.Sprintf("%q", strconv.FormatUint(version, 10)) }

// PersonView is a personal file as one reader may see it.
type PersonView struct {
	ID             domain.ID              `json:"id"`
	Version        uint64                 `json:"version"`
	Sex            domain.Sex             `json:"sex"`
	BirthYear      int                    `json:"birth_year,omitempty"`
	Protection     domain.ProtectionLevel `json:"protection"`
	Name           string                 `json:"name"`
	PersonalNumber string                 `json:"personal_number,omitempty"`
	Phone          string                 `json:"phone,omitempty"`
	Address        string                 `json:"address,omitempty"`
	Workplace      string                 `json:"workplace,omitempty"`
	Culled         bool                   `json:"culled,omitempty"`
}

// personView reads a person. whereabouts says whether the reader may see a
// protected person's address, phone and workplace (nil: never); a person
// without protection shows them to every reader who gets the view.
func (s *Server) personView(c echo.Context, p auth.Principal, id domain.ID, whereabouts func(domain.Person) bool) (*PersonView, error) {
	h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
	if err != nil {
		return nil, err
	}
	if !h.Exists() {
		return nil, nil
	}
	st := eventstore.State(s.persons, h)
	v := &PersonView{ID: id, Version: h.Version, Sex: st.Sex, BirthYear: st.BirthYear, Protection: st.Protection, Culled: st.Culled}
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
	if st.Protection != "" && st.Protection != domain.ProtectionNone && (whereabouts == nil || !whereabouts(st)) {
		v.Phone, v.Address, v.Workplace = redact(v.Phone), redact(v.Address), redact(v.Workplace)
	}
	return v, nil
}

func redact(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

// identity opens the latest identity of a person; nil when shredded.
func (s *Server) identity(c echo.Context, h *eventstore.History) (*domain.PersonIdentity, error) {
	for i := len(h.Events) - 1; i >= 0; i-- {
		e := &h.Events[i]
		if e.Sealed == nil {
			continue
		}
		v, err := s.store.Unseal(c.Request().Context(), e)
		var shredded *eventstore.ShreddedError
		if errors.As(err, &shredded) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if id, ok := v.(*domain.PersonIdentity); ok {
			return id, nil
		}
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
	Assignments           []domain.AssignmentIssued   `json:"assignments"`
	Placements            []PlacementView             `json:"placements"`
	FollowUps             []domain.FollowedUp         `json:"follow_ups"`
	NextFollowUpOn        domain.Date                 `json:"next_follow_up_on"`
	Notes                 int                         `json:"notes"`
	ClosedOn              domain.Date                 `json:"closed_on"`
	GoalAttainment        domain.GoalOutcome          `json:"goal_attainment,omitempty"`
	Corrections           int                         `json:"corrections"`
	View                  string                      `json:"view"`
}

// ChildView is a child in a case.
type ChildView struct {
	PersonID domain.ID            `json:"person_id"`
	Relation domain.ChildRelation `json:"relation"`
	Person   *PersonView          `json:"person,omitempty"`
}

// PlacementView is a placement as the case file shows it.
type PlacementView struct {
	domain.PlacementStarted
	Until          domain.Date                `json:"until"`
	Schooling      []domain.SchoolingArranged `json:"schooling"`
	Plans          int                        `json:"implementation_plans"`
	MovedOutOn     domain.Date                `json:"moved_out_on"`
	MoveOutReason  domain.MoveOutReason       `json:"move_out_reason,omitempty"`
	GoalAttainment domain.GoalOutcome         `json:"goal_attainment,omitempty"`
}

func placementViews(ps []domain.Placement, keep func(domain.Placement) bool) []PlacementView {
	out := []PlacementView{}
	for _, p := range ps {
		if keep != nil && !keep(p) {
			continue
		}
		out = append(out, PlacementView{PlacementStarted: p.PlacementStarted, Until: p.Until, Schooling: p.Schooling,
			Plans: p.Plans, MovedOutOn: p.MovedOutOn, MoveOutReason: p.MoveOutReason, GoalAttainment: p.GoalAttainment})
	}
	return out
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
		t.protected = v.Subject != nil && v.Subject.Protection != domain.ProtectionNone
		if err := s.logAccess(c, p, actReadCaseFile, t); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
	// The assigned case worker and the unit's supervisors see a protected
	// subject's whereabouts; other workers of the unit do not.
	whereabouts := func(domain.Person) bool { return p.Sub == cs.Assignee || p.Has(auth.RoleSupervisor) }
	subject, err := s.personView(c, p, cs.PersonID, whereabouts)
	if err != nil {
		return err
	}
	v := CaseView{
		ID: id, Version: cs.Version, Status: cs.Status, Unit: cs.Unit, Assignee: cs.Assignee, TargetGroup: cs.TargetGroup,
		Source: cs.Source, ReceivedOn: cs.ReceivedOn, Subject: subject, SpecialNeeds: nonNil(cs.SpecialNeeds),
		Preliminary: cs.Preliminary, InvestigationOpenedOn: cs.InvestigationOpenedOn, LatestRisk: cs.LatestRisk(),
		Violence: nonNil(cs.Violence), RiskAssessments: nonNil(cs.RiskAssessments), SafetyPlans: nonNil(cs.SafetyPlans),
		Decisions: nonNil(cs.Decisions), Assignments: nonNil(cs.Assignments), Placements: placementViews(cs.Placements, nil),
		FollowUps: nonNil(cs.FollowUps), NextFollowUpOn: cs.NextFollowUpOn(), Notes: len(cs.Notes),
		ClosedOn: cs.ClosedOn, GoalAttainment: cs.GoalAttainment, Corrections: cs.Corrections, View: "case_file",
		Children: []ChildView{},
	}
	for _, ch := range cs.Children {
		pv, err := s.personView(c, p, ch.PersonID, whereabouts)
		if err != nil {
			return err
		}
		v.Children = append(v.Children, ChildView{PersonID: ch.PersonID, Relation: ch.Relation, Person: pv})
	}
	t := caseTarget(cs)
	t.protected = protectedIn(v.Subject)
	for _, ch := range v.Children {
		t.protected = t.protected || protectedIn(ch.Person)
	}
	if t.protected && !whereabouts(domain.Person{}) {
		// Where a protected person lives is the placement's provider
		// (the shelter): only the assigned worker and the supervisors see it.
		for i := range v.Placements {
			v.Placements[i].ProviderID = Redacted
		}
		for i := range v.Assignments {
			v.Assignments[i].ProviderID = Redacted
		}
	}
	if c.QueryParam("view") == "party" {
		partyView(&v)
	}
	if err := s.logAccess(c, p, actReadCaseFile, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func protectedIn(v *PersonView) bool { return v != nil && v.Protection != domain.ProtectionNone }

// partyView keeps what may be communicated to a party (kommunicering):
// a protected subject's whereabouts go, so do every other person's
// contact details, and so does where a placement is (the provider).
func partyView(v *CaseView) {
	v.View = "party"
	if v.Subject != nil {
		if protectedIn(v.Subject) {
			v.Subject.Address, v.Subject.Phone, v.Subject.Workplace = "", "", ""
		}
		v.Subject.PersonalNumber = ""
	}
	for i := range v.Children {
		if ch := v.Children[i].Person; ch != nil {
			ch.Address, ch.Phone, ch.Workplace, ch.PersonalNumber = "", "", "", ""
		}
	}
	for i := range v.Placements {
		v.Placements[i].ProviderID = ""
	}
	for i := range v.Assignments {
		v.Assignments[i].ProviderID = ""
	}
}

func (s *Server) assignmentView(c echo.Context, p auth.Principal, h *eventstore.History, cs domain.Case) (AssignmentView, error) {
	subject, err := s.personView(c, p, cs.PersonID, nil)
	if err != nil {
		return AssignmentView{}, err
	}
	if subject != nil {
		// Providers need to know who the person is, not how to reach them
		// elsewhere: contact details stay with the case worker.
		subject.PersonalNumber, subject.Phone, subject.Address, subject.Workplace = "", "", "", ""
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
		if pd, err := s.store.Unseal(c.Request().Context(), e); err == nil {
			item.Contents, _ = pd.(*domain.AssignmentContents)
		}
		v.Assignments = append(v.Assignments, item)
	}
	return v, nil
}

// EventView is one entry of the documentation history.
type EventView struct {
	ID         domain.ID       `json:"id"`
	Type       string          `json:"type"`
	Version    uint64          `json:"version"`
	RecordedAt time.Time       `json:"recorded_at"`
	Actor      string          `json:"actor"`
	Data       json.RawMessage `json:"data"`
	Personal   any             `json:"personal,omitempty"`
	Destroyed  bool            `json:"personal_destroyed,omitempty"`
}

// caseEvents is the documentation history: who recorded what, when.
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
	protected, err := s.isProtected(c, cs.PersonID)
	if err != nil {
		return err
	}
	// Where a protected subject lives (the provider of a placement or an
	// assignment) shows only to the assigned worker and the supervisors.
	hideWhere := protected && p.Sub != cs.Assignee && !p.Has(auth.RoleSupervisor)
	out := make([]EventView, 0, len(h.Events))
	for i := range h.Events {
		e := &h.Events[i]
		shown := e.Facts
		if hideWhere {
			switch f := shown.(type) {
			case domain.PlacementStarted:
				f.ProviderID = Redacted
				shown = f
			case domain.AssignmentIssued:
				f.ProviderID = Redacted
				shown = f
			}
		}
		facts, _ := json.Marshal(shown)
		v := EventView{ID: e.ID, Type: e.Type, Version: e.Version, RecordedAt: e.RecordedAt, Actor: e.Actor, Data: facts}
		if _, assignment := e.Facts.(domain.AssignmentIssued); e.Sealed != nil && !(hideWhere && assignment) {
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
	t.protected = protected
	if err := s.logAccess(c, p, actReadCaseEvents, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"case_id": id, "version": h.Version, "events": out})
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// isProtected reports whether a person has protected personal data.
func (s *Server) isProtected(c echo.Context, id domain.ID) (bool, error) {
	h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
	if err != nil {
		return false, err
	}
	st := eventstore.State(s.persons, h)
	return st.Protection != "" && st.Protection != domain.ProtectionNone, nil
}
