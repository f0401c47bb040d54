package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
)

// Reports of concern, the child's views and placement basis, and links.

// deadlineMet names, in a write's response, the deadline the write met or
// missed, so a late step is never accepted without a word.
func deadlineMet(applies bool, due, done domain.Date) func(eventstore.Result) map[string]any {
	if !applies || due.IsZero() {
		return nil
	}
	return func(eventstore.Result) map[string]any {
		return map[string]any{"due_on": due, "late": done.After(due)}
	}
}

// reportDeadlines are the deadlines a report of concern starts.
func reportDeadlines(f domain.CaseOpened) map[string]any {
	s := domain.Case{Exists: true, Source: f.Source, TargetGroup: f.TargetGroup, ReceivedOn: f.ReceivedOn}
	if !s.ChildDeadlines() {
		return nil
	}
	out := map[string]any{"preliminary_assessment": s.PreliminaryAssessmentDue()}
	if s.IsReportOfConcern() {
		out["protection_assessment"] = s.ProtectionAssessmentDue()
	}
	return out
}

func assessProtection(x caseCtx, cmd *domain.AssessProtection) func(eventstore.Result) map[string]any {
	cmd.Now = x.s.now()
	if cmd.AssessedAt.IsZero() {
		return nil
	}
	return deadlineMet(x.cs.IsReportOfConcern(), x.cs.ProtectionAssessmentDue(), domain.DateIn(cmd.AssessedAt.Time, stockholm))
}

func extendInvestigation(x caseCtx, cmd *domain.ExtendInvestigation) func(eventstore.Result) map[string]any {
	cmd.Today = x.today
	return nil
}

func recordChildViews(x caseCtx, cmd *domain.RecordChildViews) func(eventstore.Result) map[string]any {
	cmd.ChildID, cmd.Today = x.cid, x.today
	return nil
}

func recordPlacementBasis(x caseCtx, cmd *domain.RecordPlacementBasis) func(eventstore.Result) map[string]any {
	// The municipality's interval (settings: placement_reconsider_months);
	// the shipped default when the settings cannot be read, since a basis
	// must never go without a reconsideration date.
	cmd.ChildID, cmd.Today, cmd.DefaultMonths = x.cid, x.today, domain.DefaultSettings().PlacementReconsiderMonths
	if st, err := x.s.store.Settings(x.ctx); err == nil && st.Values.PlacementReconsiderMonths > 0 {
		cmd.DefaultMonths = st.Values.PlacementReconsiderMonths
	}
	return func(res eventstore.Result) map[string]any {
		f, _ := factsOf[domain.PlacementBasisRecorded](res)
		return map[string]any{"reconsider_by": f.ReconsiderBy}
	}
}

func addTask(x caseCtx, cmd *domain.AddTask) func(eventstore.Result) map[string]any {
	cmd.TaskID = domain.NewID()
	if cmd.Assignee == "" {
		cmd.Assignee = x.p.Sub
	}
	return reported("task_id", func(f domain.TaskAdded) domain.ID { return f.TaskID })
}

// linkCase links another case. The caller must reach both; a case they do
// not reach is answered exactly like one that does not exist.
func (s *Server) linkCase(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var cmd domain.LinkCase
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	if err := cmd.Validate(); err != nil {
		return err
	}
	cs, err := s.loadCase(c, id)
	if err != nil {
		return err
	}
	if !caseWorkScope(p, cs) {
		return errNotFound()
	}
	if cmd.CaseID != id {
		other, err := s.loadCase(c, cmd.CaseID)
		if err != nil && problemFor(err).Status != http.StatusNotFound {
			return err
		}
		if err != nil || !caseWorkScope(p, other) {
			q := newProblem(http.StatusUnprocessableEntity, "rule/linked-case-not-found", "The command breaks a rule", "no case you work on has that id")
			q.Rule = "linked-case-not-found"
			return q
		}
	}
	res, err := s.write(c, p, "link", domain.KindCase, id, cmd)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, res, map[string]any{"case_id": cmd.CaseID})
}

// reachesCase reports whether the caller works on a case (the projection's
// state): a link shows only to those who reach both of its cases.
func (s *Server) reachesCase(p auth.Principal, id domain.ID) bool {
	cs, ok := s.cfg.Cases.Case(id)
	return ok && caseWorkScope(p, cs)
}

// LinkView is a linked case as the case file shows it.
type LinkView struct {
	CaseID   domain.ID           `json:"case_id"`
	Relation domain.LinkRelation `json:"relation"`
	// Direction is "to" for a link recorded on this case, "from" for one
	// recorded on the other.
	Direction string `json:"direction"`
}

// ReportView is a report of concern and its deadlines in the case file.
type ReportView struct {
	ReporterCategory        domain.ReporterCategory `json:"reporter_category,omitempty"`
	ReceivedAt              string                  `json:"received_at"`
	ConcernsViolence        bool                    `json:"concerns_violence"`
	ProtectionAssessedAt    string                  `json:"protection_assessed_at,omitempty"`
	ImmediateProtection     *bool                   `json:"immediate_protection,omitempty"`
	InvestigationExtensions int                     `json:"investigation_extensions"`
}

// ChildrenView is what the case file shows of children's matters: the
// report of concern, the deadlines as tasks, the children's views and
// placement bases (facts only; their texts are in the history), and the
// links the reader may see.
type ChildrenView struct {
	Report         *ReportView                     `json:"report_of_concern,omitempty"`
	ChildViews     []domain.ChildViewsRecorded     `json:"child_views"`
	PlacementBases []domain.PlacementBasisRecorded `json:"placement_bases"`
	Links          []LinkView                      `json:"links"`
}

// childrenView fills what the case file shows of children's matters for
// this reader.
func (s *Server) childrenView(p auth.Principal, cs domain.Case) ChildrenView {
	v := ChildrenView{ChildViews: nonNil(cs.ChildViews), PlacementBases: nonNil(cs.PlacementBases), Links: []LinkView{}}
	if cs.IsReportOfConcern() {
		r := &ReportView{ReporterCategory: cs.Report.Reporter, ReceivedAt: cs.Report.ReceivedAt.Format(time.RFC3339),
			ConcernsViolence: cs.Report.ConcernsViolence, InvestigationExtensions: cs.Report.Extensions}
		if cs.Report.Protected {
			r.ProtectionAssessedAt = cs.Report.Protection.AssessedAt.Format(time.RFC3339)
			imm := cs.Report.Protection.ImmediateProtection
			r.ImmediateProtection = &imm
		}
		v.Report = r
	}
	for _, l := range s.cfg.Cases.Links(cs.ID) {
		if s.reachesCase(p, l.CaseID) {
			v.Links = append(v.Links, LinkView{CaseID: l.CaseID, Relation: l.Relation, Direction: l.Direction})
		}
	}
	return v
}

// hiddenLink names the facts field of a link (or of a correction of one)
// that names a case the reader does not reach: it is masked in the
// history, since the id would confirm that the case exists.
func (s *Server) hiddenLink(p auth.Principal, f domain.Facts) string {
	switch f := f.(type) {
	case domain.CaseLinked:
		if !s.reachesCase(p, f.CaseID) {
			return "case_id"
		}
	case domain.Corrected:
		if f.EventType != (domain.CaseLinked{}).EventName() {
			return ""
		}
		var patch struct {
			CaseID domain.ID `json:"case_id"`
		}
		if json.Unmarshal(f.Patch, &patch) == nil && patch.CaseID != "" && !s.reachesCase(p, patch.CaseID) {
			return "patch"
		}
	}
	return ""
}

// partyChildren trims children's matters for the party view
// (kommunicering): who reported a concern is secret from the party (OSL
// 26:5), other cases are other persons' files, and tasks are the board's
// own planning.
func partyChildren(v *CaseView) {
	if v.Report != nil {
		r := *v.Report
		r.ReporterCategory = ""
		v.Report = &r
	}
	v.Links, v.Tasks = []LinkView{}, []projections.TaskRow{}
}
