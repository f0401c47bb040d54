package api

import (
	"net/http"

	"github.com/fristad/fristad/domain"
)

// childrenRoutes: reports of concern and their deadlines, the child's
// views and placement basis, case links and tasks (API.md "Children,
// deadlines and tasks").
func childrenRoutes() []route {
	const get, post = http.MethodGet, http.MethodPost
	return []route{
		{Method: post, Path: "/cases/:id/protection-assessment", Roles: caseworker, Summary: "Protection assessment (skyddsbedömning) of a report of concern: the same day",
			Body: domain.AssessProtection{}, Status: 200, Handle: caseWrite(assessProtection)},
		{Method: post, Path: "/cases/:id/investigation-extension", Roles: caseworker, Summary: "Extend a child's investigation beyond four months, with reasons",
			Body: domain.ExtendInvestigation{}, Status: 200, Handle: caseWrite(extendInvestigation)},
		{Method: post, Path: "/cases/:id/children/:cid/views", Roles: caseworker, Summary: "The child's own views (barnets åsikter)",
			Body: domain.RecordChildViews{}, Status: 200, Handle: caseWrite(recordChildViews)},
		{Method: post, Path: "/cases/:id/children/:cid/placement-basis", Roles: caseworker, Summary: "The legal basis of a child's placement in protected housing and its reconsideration date",
			Body: domain.RecordPlacementBasis{}, Status: 200, Handle: caseWrite(recordPlacementBasis)},
		{Method: post, Path: "/cases/:id/links", Roles: caseworker, Summary: "Link another case the caller also reaches (a child's case and the adult's)",
			Body: domain.LinkCase{}, Status: 201, Handle: (*Server).linkCase},
		{Method: get, Path: "/tasks", Roles: caseReaders, Summary: "Tasks (uppgifter): filters assignee (me or a user), unit, status (open, done), kind, overdue; limit, cursor; overdue first",
			Body: nil, Status: 200, Handle: (*Server).tasks},
		{Method: post, Path: "/cases/:id/tasks", Roles: caseOrSuper, Summary: "A worker's own task on a case",
			Body: domain.AddTask{}, Status: 201, Handle: caseWrite(addTask)},
		{Method: post, Path: "/cases/:id/tasks/:tid/done", Roles: caseOrSuper, Summary: "Mark an own task done, or record the report of concern a new_violence task asks for",
			Body: taskDoneBody{}, Status: 200, Handle: (*Server).taskDone},
	}
}
