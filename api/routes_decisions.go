package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
)

// Who may do what with decisions (API.md). Deciding also needs the mandate
// of the delegation order in force, which the decider checks.
var (
	deciders       = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}
	delegationRead = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor}
)

// decisionRoutes are the routes of decisions, delegation and appeal.
func decisionRoutes() []route {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	return []route{
		{Method: get, Path: "/admin/delegation", Roles: delegationRead, Summary: "The delegation order (delegationsordning) in force", Status: 200, Handle: (*Server).getDelegation},
		{Method: put, Path: "/admin/delegation", Roles: admins, Summary: "Replace the delegation order (an event; earlier orders stay in the history)", Body: domain.ReplaceDelegationOrder{}, Status: 200, Handle: (*Server).putDelegation},
		{Method: post, Path: "/cases/:id/proposals", Roles: caseworker, Summary: "A proposed decision (förslag till beslut)", Body: domain.ProposeDecision{}, Status: 201, Handle: decisionWrite(proposeOp)},
		{Method: post, Path: "/cases/:id/proposals/:pid/decide", Roles: deciders, Summary: "Decide a proposal: with the mandate, never the proposer", Body: domain.DecideProposal{}, Status: 201, Handle: decisionWrite(decideProposalOp)},
		{Method: post, Path: "/cases/:id/decisions/:did/communicated", Roles: caseworker, Summary: "The day the person received the decision, and how", Body: domain.CommunicateDecision{}, Status: 200, Handle: decisionWrite(communicateOp)},
		{Method: get, Path: "/cases/:id/decisions/:did/letter", Roles: caseReaders, Summary: "The decision letter (beslutsbrev), application/pdf, Swedish", Status: 200, Handle: (*Server).decisionLetter},
		{Method: post, Path: "/cases/:id/decisions/:did/appeals", Roles: caseworker, Summary: "An appeal (överklagande) received: timeliness by lag 1930:173", Body: domain.ReceiveAppeal{}, Status: 201, Handle: decisionWrite(receiveAppealOp)},
		{Method: post, Path: "/cases/:id/appeals/:aid/dismissal", Roles: deciders, Summary: "Dismiss a late appeal (avvisning, FL 45 §)", Body: domain.DismissAppeal{}, Status: 200, Handle: decisionWrite(dismissAppealOp)},
		{Method: post, Path: "/cases/:id/appeals/:aid/reconsideration", Roles: deciders, Summary: "Reconsider the appealed decision (omprövning, FL 38-39 §§)", Body: domain.ReconsiderAppeal{}, Status: 200, Handle: decisionWrite(reconsiderOp)},
		{Method: post, Path: "/cases/:id/appeals/:aid/forwarded", Roles: caseworker, Summary: "The appeal forwarded to the administrative court", Body: domain.ForwardAppeal{}, Status: 200, Handle: decisionWrite(forwardOp)},
		{Method: post, Path: "/cases/:id/appeals/:aid/ruling", Roles: caseworker, Summary: "The court's ruling", Body: domain.RecordRuling{}, Status: 200, Handle: decisionWrite(rulingOp)},
		{Method: post, Path: "/cases/:id/decisions/:did/carried-out", Roles: caseworker, Summary: "The granted support started (verkställt)", Body: domain.CarryOut{}, Status: 200, Handle: decisionWrite(carryOutOp)},
		{Method: post, Path: "/cases/:id/decisions/:did/delay", Roles: caseworker, Summary: "Why a granted decision is not carried out yet", Body: domain.RecordDelay{}, Status: 200, Handle: decisionWrite(delayOp)},
		{Method: get, Path: "/reports/appeals", Roles: reporters, Summary: "Appeals report: from, to, unit, format, as_of, min_cell", Status: 200, Handle: report(reports.Appeals)},
		{Method: get, Path: "/reports/not-carried-out", Roles: reporters, Summary: "Decisions not carried out within three months, for IVO and the board: quarter (e.g. 2026Q3), unit, format, as_of", Status: 200, Handle: (*Server).notCarriedOut},
	}
}
