package api

import (
	"errors"
	"net/http"
	"slices"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/labstack/echo/v4"
)

// --- writes -----------------------------------------------------------------

// registerProvider adds a provider to the registry (POST /providers).
func (s *Server) registerProvider(c echo.Context, p auth.Principal) error {
	var cmd domain.RegisterProvider
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	if err := cmd.Validate(); err != nil {
		return err
	}
	opt, err := s.writeOptions(c, p, "")
	if err != nil {
		return err
	}
	id := cmd.ProviderID
	if id == "" {
		id = domain.NewID()
	}
	res, err := s.execute(c, domain.KindProvider, id, cmd, opt)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/providers/"+string(res.ID))
	return respond(c, http.StatusCreated, res, map[string]any{"provider_id": res.ID})
}

// providerCtx is what a provider command's preparation may use.
type providerCtx struct {
	p     auth.Principal
	state domain.Provider
	aid   domain.ID // action id from the route, if any
	today domain.Date
}

type providerOp[C domain.Command] func(x providerCtx, cmd *C) func(eventstore.Result) map[string]any

// providerWrite is the handler of every write on one provider: scope
// first (404 outside it, whether or not the provider exists), then a
// strict decode, the provider's state, and the command.
func providerWrite[C domain.Command](op providerOp[C]) func(*Server, echo.Context, auth.Principal) error {
	return func(s *Server, c echo.Context, p auth.Principal) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		if !policy.WriteProvider(p, id) {
			return errNotFound()
		}
		var aid domain.ID
		if c.Param("aid") != "" {
			if aid, err = pathID(c, "aid"); err != nil {
				return err
			}
		}
		var cmd C
		if err := decodeBody(c, &cmd); err != nil {
			return err
		}
		h, err := s.store.Load(c.Request().Context(), domain.KindProvider, id)
		if err != nil {
			return err
		}
		if !h.Exists() {
			return errNotFound()
		}
		extra := op(providerCtx{p: p, state: eventstore.State(s.shelters, h), aid: aid, today: s.today()}, &cmd)
		return s.writeAndRespond(c, p, domain.KindProvider, id, cmd, extra)
	}
}

func changeProfile(x providerCtx, cmd *domain.ChangeProviderProfile) func(eventstore.Result) map[string]any {
	// Staff of the provider itself, not the municipality's.
	cmd.ByProvider = policy.ProviderStaffOnly(x.p)
	return nil
}

func recordPermit(providerCtx, *domain.RecordPermit) func(eventstore.Result) map[string]any {
	return nil
}

func reportVacancies(x providerCtx, cmd *domain.ReportVacancies) func(eventstore.Result) map[string]any {
	cmd.Today = x.today
	return nil
}

func followUpProvider(x providerCtx, cmd *domain.FollowUpProvider) func(eventstore.Result) map[string]any {
	cmd.FollowUpID, cmd.Today = domain.NewID(), x.today
	cmd.ActionIDs = make([]domain.ID, len(cmd.Actions))
	for i := range cmd.ActionIDs {
		cmd.ActionIDs[i] = domain.NewID()
	}
	return func(res eventstore.Result) map[string]any {
		f, _ := factsOf[domain.ProviderFollowedUp](res)
		actions := make([]domain.ID, len(f.Actions))
		for i, a := range f.Actions {
			actions[i] = a.ActionID
		}
		return map[string]any{"follow_up_id": f.FollowUpID, "action_ids": actions}
	}
}

func completeAction(x providerCtx, cmd *domain.CompleteProviderAction) func(eventstore.Result) map[string]any {
	cmd.ActionID, cmd.DoneOn = x.aid, x.today
	return nil
}

// reportBack is the provider's report back on its own assignment
// (POST /cases/{id}/assignments/{aid}/report-back), which ends it.
func (s *Server) reportBack(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(c, "aid")
	if err != nil {
		return err
	}
	var cmd domain.ReportBack
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	cs, err := s.loadCase(c, id)
	if err != nil {
		return err
	}
	a, ok := cs.Assignment(aid)
	if !ok || !policy.ReportBack(p, a) {
		return errNotFound()
	}
	cmd.AssignmentID, cmd.Today = aid, s.today()
	opt, err := s.writeOptions(c, p, "")
	if err != nil {
		return err
	}
	res, err := s.execute(c, domain.KindCase, id, cmd, opt)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res, nil)
}

// --- reads ------------------------------------------------------------------

// PermitView is a provider's permit and whether it holds today.
type PermitView struct {
	domain.PermitRecorded
	ValidToday bool `json:"valid_today"`
}

// ProviderSummary is a provider as the registry lists it: never its
// address.
type ProviderSummary struct {
	ProviderID domain.ID `json:"provider_id"`
	Version    uint64    `json:"version"`
	domain.ProviderProfile
	PermitRequired bool                      `json:"permit_required"`
	Permit         *PermitView               `json:"permit" nullable:"true"`
	Vacancies      *domain.VacanciesReported `json:"vacancies" nullable:"true"`
	NextFollowUpOn domain.Date               `json:"next_follow_up_on"`
	OpenActions    int                       `json:"open_actions"`
}

func providerSummary(st domain.Provider, today domain.Date) ProviderSummary {
	v := ProviderSummary{ProviderID: st.ID, Version: st.Version, ProviderProfile: st.ProviderProfile,
		PermitRequired: st.Kind.RequiresPermit(), Vacancies: st.Vacancies, NextFollowUpOn: st.NextFollowUpOn, OpenActions: st.OpenActions()}
	v.TargetGroups, v.Languages = nonNil(v.TargetGroups), nonNil(v.Languages)
	if st.Permit != nil {
		v.Permit = &PermitView{PermitRecorded: *st.Permit, ValidToday: st.Permit.ValidOn(today)}
	}
	return v
}

// listProviders is the registry (GET /providers): filters kind, region.
func (s *Server) listProviders(c echo.Context, p auth.Principal) error {
	var problems []domain.FieldProblem // names and forms: checked by guard (route.Query)
	kind := domain.ProviderKind(c.QueryParam("kind"))
	if kind != "" && !kind.Valid() {
		problems = append(problems, domain.FieldProblem{Field: "kind", Message: "is not one of the allowed codes"})
	}
	if len(problems) > 0 {
		return errBadRequest("some query parameters are not valid", problems...)
	}
	if err := s.catchUp(c); err != nil {
		return err
	}
	region, today := c.QueryParam("region"), s.today()
	items := []ProviderSummary{}
	for _, st := range s.cfg.Providers.All() {
		if (kind == "" || st.Kind == kind) && (region == "" || st.Region == region) {
			items = append(items, providerSummary(st, today))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// getChecklist serves the template (GET /providers/checklist), in the
// current version or the one named by version=.
func (s *Server) getChecklist(c echo.Context, p auth.Principal) error {
	version := c.QueryParam("version")
	if version == "" {
		version = domain.CurrentChecklistVersion
	}
	cl, ok := domain.ChecklistVersion(version)
	if !ok {
		return errNotFound()
	}
	return c.JSON(http.StatusOK, cl)
}

// ProviderView is one provider for the municipality's staff and its own
// staff: the summary, its sealed address and competences, and its
// follow-ups with the questions as their version asked them.
type ProviderView struct {
	ProviderSummary
	Address     string         `json:"address"`
	Competences []string       `json:"competences"`
	FollowUps   []FollowUpView `json:"follow_ups"`
}

// FollowUpView is one follow-up of a provider.
type FollowUpView struct {
	FollowUpID       domain.ID    `json:"follow_up_id"`
	ChecklistVersion string       `json:"checklist_version"`
	FollowedUpOn     domain.Date  `json:"followed_up_on"`
	Answers          []AnswerView `json:"answers"`
	Findings         string       `json:"findings"`
	Actions          []ActionView `json:"actions"`
	NextFollowUpOn   domain.Date  `json:"next_follow_up_on"`
	RecordedBy       string       `json:"recorded_by"`
}

// AnswerView is an answer with the question's text in its version.
type AnswerView struct {
	Question string                 `json:"question"`
	Text     string                 `json:"text"`
	Answer   domain.ChecklistAnswer `json:"answer"`
	Note     string                 `json:"note"`
}

// ActionView is an agreed action and whether it was carried out.
type ActionView struct {
	ActionID domain.ID   `json:"action_id"`
	Action   string      `json:"action"`
	DueOn    domain.Date `json:"due_on"`
	DoneOn   domain.Date `json:"done_on"`
	Note     string      `json:"note"`
}

// getProvider is one provider (GET /providers/{id}).
func (s *Server) getProvider(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if !policy.ReadProvider(p, id) {
		return errNotFound()
	}
	h, err := s.store.Load(c.Request().Context(), domain.KindProvider, id)
	if err != nil {
		return err
	}
	if !h.Exists() {
		return errNotFound()
	}
	st := eventstore.State(s.shelters, h)
	v := ProviderView{ProviderSummary: providerSummary(st, s.today()), Competences: []string{}, FollowUps: []FollowUpView{}}
	notes := map[domain.ID]string{}
	for i := range h.Events {
		e := &h.Events[i]
		switch f := e.Facts.(type) {
		case domain.ProviderRegistered, domain.ProviderProfileChanged:
			priv, err := openAs[domain.ProviderPrivate](s, c, e)
			if err != nil {
				return err
			}
			v.Address, v.Competences = priv.Address, nonNil(priv.Competences)
		case domain.ProviderFollowedUp:
			texts, err := openAs[domain.ProviderFollowUpTexts](s, c, e)
			if err != nil {
				return err
			}
			v.FollowUps = append(v.FollowUps, followUpView(f, texts, e.Actor))
		case domain.ProviderActionDone:
			note, err := openAs[domain.Text](s, c, e)
			if err != nil {
				return err
			}
			notes[f.ActionID] = note.Text
		}
	}
	for i := range v.FollowUps {
		for j := range v.FollowUps[i].Actions {
			a := &v.FollowUps[i].Actions[j]
			if done, ok := st.Action(a.ActionID); ok {
				a.DoneOn, a.Note = done.DoneOn, notes[a.ActionID]
			}
		}
	}
	c.Response().Header().Set("ETag", etag(h.Version))
	// The page holds the address: each read is in the access log, and
	// fails closed when the log cannot be written.
	if err := s.logAccess(c, p, accesslog.ReadProvider, accessTarget{detail: "provider " + string(id)}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func followUpView(f domain.ProviderFollowedUp, texts domain.ProviderFollowUpTexts, actor string) FollowUpView {
	// The questions as the version answered asked them: a later version of
	// the template never rewrites an earlier answer's question.
	cl, _ := domain.ChecklistVersion(f.ChecklistVersion)
	v := FollowUpView{FollowUpID: f.FollowUpID, ChecklistVersion: f.ChecklistVersion, FollowedUpOn: f.FollowedUpOn,
		Findings: texts.Findings, NextFollowUpOn: f.NextFollowUpOn, RecordedBy: actor,
		Answers: make([]AnswerView, len(f.Answers)), Actions: make([]ActionView, len(f.Actions))}
	for i, a := range f.Answers {
		q, _ := cl.Question(a.Question)
		v.Answers[i] = AnswerView{Question: a.Question, Text: q.Text, Answer: a.Answer, Note: at(texts.Notes, i)}
	}
	for i, a := range f.Actions {
		v.Actions[i] = ActionView{ActionID: a.ActionID, Action: at(texts.Actions, i), DueOn: a.DueOn}
	}
	return v
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

// openAs opens an event's sealed part as a T: the zero T when the event
// carries none or its key was destroyed.
func openAs[T any](s *Server, c echo.Context, e *eventstore.Envelope) (T, error) {
	var zero T
	if e.Sealed == nil {
		return zero, nil
	}
	pd, err := s.store.Unseal(c.Request().Context(), e)
	var shredded *eventstore.ShreddedError
	if errors.As(err, &shredded) {
		return zero, nil
	}
	if err != nil {
		return zero, err
	}
	if v, ok := pd.(*T); ok {
		return *v, nil
	}
	return zero, nil
}

// --- matching -----------------------------------------------------------------

// matchRequest is POST /providers/match: a case (case_id), whose facts
// fill what the case knows, and the needs a case does not hold.
type matchRequest struct {
	CaseID         domain.ID                  `json:"case_id"`
	Adults         int                        `json:"adults"`
	Children       []domain.ChildNeed         `json:"children"`
	Pets           int                        `json:"pets"`
	AllergyFree    bool                       `json:"allergy_free"`
	Wheelchair     bool                       `json:"wheelchair"`
	VisionAdapted  bool                       `json:"vision_adapted"`
	HearingAdapted bool                       `json:"hearing_adapted"`
	Languages      []string                   `json:"languages"`
	TargetGroup    domain.ProviderTargetGroup `json:"target_group"`
	SpecialNeeds   []domain.SpecialNeed       `json:"special_needs"`
	AvoidRegions   []string                   `json:"avoid_regions"`
	// MoveInOn is the day the permit must hold on (default today).
	MoveInOn domain.Date `json:"move_in_on"`
}

// matchProviders matches a household to the registry.
func (s *Server) matchProviders(c echo.Context, p auth.Principal) error {
	var req matchRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	h := domain.Household{Adults: req.Adults, Children: req.Children, Pets: req.Pets, AllergyFree: req.AllergyFree,
		Wheelchair: req.Wheelchair, Vision: req.VisionAdapted, Hearing: req.HearingAdapted, Languages: req.Languages,
		TargetGroup: req.TargetGroup, SpecialNeeds: req.SpecialNeeds, AvoidRegions: req.AvoidRegions, On: req.MoveInOn}
	if h.On.IsZero() {
		h.On = s.today()
	}
	// Bad input is answered before any case is looked up.
	if req.CaseID != "" && !req.CaseID.Valid() {
		return errBadRequest("", domain.FieldProblem{Field: "case_id", Message: "must be a ULID"})
	}
	if req.CaseID != "" && req.Children != nil {
		return errBadRequest("", domain.FieldProblem{Field: "children", Message: "the case's children are used; do not send them with case_id"})
	}
	if err := domain.ValidateHousehold(&h); err != nil {
		return err
	}
	if req.CaseID != "" {
		if err := s.catchUp(c); err != nil {
			return err
		}
		cs, ok := s.cfg.Cases.Case(req.CaseID)
		if !ok || !policy.CaseWork(p, cs) {
			return errNotFound()
		}
		if err := s.householdFromCase(c, cs, &h); err != nil {
			return err
		}
	} else if err := s.catchUp(c); err != nil {
		return err
	}
	matches := domain.MatchProviders(h, s.cfg.Providers.All())
	return c.JSON(http.StatusOK, map[string]any{"matches": matches, "household": h})
}

// householdFromCase fills what the case knows (DOMAIN.md): the subject's
// sex gives women or men (unless the request names a target group), the
// special needs (has_pet gives a pet), protection, ages 18-25 give young
// adults, and the children with ages and sexes.
func (s *Server) householdFromCase(c echo.Context, cs domain.Case, h *domain.Household) error {
	subject, _, err := s.personState(c, cs.PersonID)
	if err != nil {
		return err
	}
	year := h.On.Year()
	if h.TargetGroup == "" {
		switch subject.Sex {
		case domain.SexFemale:
			h.TargetGroup = domain.ProvidesWomen
		case domain.SexMale:
			h.TargetGroup = domain.ProvidesMen
		}
	}
	if subject.BirthYear != 0 {
		age := year - subject.BirthYear
		h.YoungAdult = age >= 18 && age <= 25
	}
	h.Protected = subject.Protection.Protected()
	for _, n := range cs.SpecialNeeds {
		if n == domain.NeedHasPet {
			h.Pets = max(h.Pets, 1)
		}
		if !slices.Contains(h.SpecialNeeds, n) {
			h.SpecialNeeds = append(h.SpecialNeeds, n)
		}
	}
	h.Children = []domain.ChildNeed{}
	for _, ch := range cs.Children {
		st, _, err := s.personState(c, ch.PersonID)
		if err != nil {
			return err
		}
		age := -1
		if st.BirthYear != 0 {
			age = min(max(year-st.BirthYear, 0), 17)
		}
		h.Protected = h.Protected || st.Protection.Protected()
		h.Children = append(h.Children, domain.ChildNeed{Age: age, Sex: st.Sex})
	}
	return nil
}

// markRegistered says, for each placement whose provider is shown,
// whether that provider is in the registry.
func (s *Server) markRegistered(ps []PlacementView) {
	for i := range ps {
		if ps[i].ProviderID == "" { // masked: the provider is not shown
			continue
		}
		_, ok := s.cfg.Providers.Provider(ps[i].ProviderID)
		ps[i].ProviderRegistered = &ok
	}
}

// markReportedBack dates each assignment its provider reported back on
// (the report ended it).
func markReportedBack(as []CaseAssignmentView, cs domain.Case) {
	for i := range as {
		if r, ended := cs.ReportedBack(as[i].AssignmentID); ended {
			as[i].ReportedBackOn = r.ReportedOn
		}
	}
}
