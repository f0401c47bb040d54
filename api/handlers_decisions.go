package api

import (
	"context"
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// Decisions under the delegation order, proposals, communication, appeals
// and carrying out (API.md "Decisions, delegation and appeal").

// decisionCtx is what a decision command's preparation may use: the case,
// its history (to open a proposal's sealed goals), the ids of the route
// and the caller's authority under the delegation order in force now.
type decisionCtx struct {
	s         *Server
	c         echo.Context
	p         auth.Principal
	cs        domain.Case
	h         *eventstore.History
	did, aid  domain.ID // decision and appeal ids from the route
	prid      domain.ID // proposal id from the route (:pid, as API.md names it)
	today     domain.Date
	authority domain.Authority
}

type decisionOp[C domain.Command] func(x decisionCtx, cmd *C) (func(eventstore.Result) map[string]any, error)

// decisionWrite is the handler of every decision write: decode strictly,
// load the case (404 outside the caller's scope), load the delegation
// order in force, prepare, execute.
func decisionWrite[C domain.Command](op decisionOp[C]) func(*Server, echo.Context, auth.Principal) error {
	return func(s *Server, c echo.Context, p auth.Principal) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		x := decisionCtx{s: s, c: c, p: p, today: s.today()}
		for name, dst := range map[string]*domain.ID{"did": &x.did, "aid": &x.aid, "pid": &x.prid} {
			if c.Param(name) != "" {
				if *dst, err = pathID(c, name); err != nil {
					return err
				}
			}
		}
		var cmd C
		if err := decodeBody(c, &cmd); err != nil {
			return err
		}
		h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
		if err != nil {
			return err
		}
		if !h.Exists() {
			return errNotFound()
		}
		x.h, x.cs = h, eventstore.State(s.cases, h)
		if !caseWorkScope(p, x.cs) {
			return errNotFound()
		}
		order, err := s.delegationOrder(c.Request().Context())
		if err != nil {
			return err
		}
		x.authority = authorityOf(p, order)
		extra, err := op(x, &cmd)
		if err != nil {
			return err
		}
		return s.writeAndRespond(c, p, domain.KindCase, id, cmd, extra)
	}
}

// authorityOf is the caller as a decision-maker: who, with which roles,
// under the order in force.
func authorityOf(p auth.Principal, order domain.DelegationOrder) domain.Authority {
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	return domain.Authority{Sub: p.Sub, Roles: roles, Order: order}
}

// delegationOrder is the delegation order in force now: the last one
// recorded, or the default that ships.
func (s *Server) delegationOrder(ctx context.Context) (domain.DelegationOrder, error) {
	h, err := s.store.Load(ctx, domain.KindDelegation, domain.DelegationOrderID)
	if err != nil {
		return domain.DelegationOrder{}, err
	}
	return eventstore.State(s.delegation, h), nil
}

func makeDecisionOp(x decisionCtx, cmd *domain.MakeDecision) (func(eventstore.Result) map[string]any, error) {
	cmd.DecisionID, cmd.Authority, cmd.Today = domain.NewID(), x.authority, x.today
	if cmd.DecidedOn.IsZero() {
		cmd.DecidedOn = x.today
	}
	return reported("decision_id", func(f domain.DecisionMade) domain.ID { return f.DecisionID }), nil
}

func proposeOp(x decisionCtx, cmd *domain.ProposeDecision) (func(eventstore.Result) map[string]any, error) {
	cmd.ProposalID, cmd.ProposedBy, cmd.Today = domain.NewID(), x.p.Sub, x.today
	return reported("proposal_id", func(f domain.DecisionProposed) domain.ID { return f.ProposalID }), nil
}

func decideProposalOp(x decisionCtx, cmd *domain.DecideProposal) (func(eventstore.Result) map[string]any, error) {
	cmd.ProposalID, cmd.DecisionID, cmd.Authority, cmd.Today = x.prid, domain.NewID(), x.authority, x.today
	if cmd.DecidedOn.IsZero() {
		cmd.DecidedOn = x.today
	}
	// The proposal's goals are sealed: open them for the decision.
	for i := range x.h.Events {
		e := &x.h.Events[i]
		if f, ok := e.Facts.(domain.DecisionProposed); !ok || f.ProposalID != x.prid {
			continue
		}
		v, err := x.s.store.Unseal(x.c.Request().Context(), e)
		if shreddedErr(err) {
			break // culled: the decision must give its own goals
		}
		if err != nil {
			return nil, err
		}
		if g, ok := v.(*domain.GoalTexts); ok {
			cmd.ProposalGoals = g.Goals
		}
	}
	return reported("decision_id", func(f domain.DecisionMade) domain.ID { return f.DecisionID }), nil
}

func communicateOp(x decisionCtx, cmd *domain.CommunicateDecision) (func(eventstore.Result) map[string]any, error) {
	cmd.DecisionID, cmd.Today = x.did, x.today
	return nil, nil
}

func receiveAppealOp(x decisionCtx, cmd *domain.ReceiveAppeal) (func(eventstore.Result) map[string]any, error) {
	cmd.DecisionID, cmd.AppealID, cmd.Today = x.did, domain.NewID(), x.today
	return func(res eventstore.Result) map[string]any {
		f, _ := factsOf[domain.AppealReceived](res)
		out := map[string]any{"appeal_id": f.AppealID, "in_time": f.InTime}
		if !f.LastDay.IsZero() {
			out["last_day"] = f.LastDay
		}
		return out
	}, nil
}

func dismissAppealOp(x decisionCtx, cmd *domain.DismissAppeal) (func(eventstore.Result) map[string]any, error) {
	cmd.AppealID, cmd.Authority, cmd.Today = x.aid, x.authority, x.today
	return nil, nil
}

func reconsiderOp(x decisionCtx, cmd *domain.ReconsiderAppeal) (func(eventstore.Result) map[string]any, error) {
	cmd.AppealID, cmd.Authority, cmd.Today = x.aid, x.authority, x.today
	if cmd.Changed {
		cmd.NewDecisionID = domain.NewID()
		return reported("decision_id", func(f domain.AppealReconsidered) domain.ID { return f.NewDecisionID }), nil
	}
	return nil, nil
}

func forwardOp(x decisionCtx, cmd *domain.ForwardAppeal) (func(eventstore.Result) map[string]any, error) {
	cmd.AppealID, cmd.Today = x.aid, x.today
	return nil, nil
}

func rulingOp(x decisionCtx, cmd *domain.RecordRuling) (func(eventstore.Result) map[string]any, error) {
	cmd.AppealID, cmd.Today = x.aid, x.today
	if cmd.NewOutcome != "" {
		cmd.NewDecisionID = domain.NewID()
		return reported("decision_id", func(f domain.AppealRuled) domain.ID { return f.NewDecisionID }), nil
	}
	return nil, nil
}

func carryOutOp(x decisionCtx, cmd *domain.CarryOut) (func(eventstore.Result) map[string]any, error) {
	cmd.DecisionID, cmd.Today = x.did, x.today
	return nil, nil
}

func delayOp(x decisionCtx, cmd *domain.RecordDelay) (func(eventstore.Result) map[string]any, error) {
	cmd.DecisionID, cmd.Today = x.did, x.today
	return nil, nil
}

// DelegationView is the delegation order as GET /admin/delegation shows it.
type DelegationView struct {
	Version uint64                  `json:"version"`
	Default bool                    `json:"default"` // no order recorded yet: the one that ships
	Rules   []domain.DelegationRule `json:"rules"`
}

func (s *Server) getDelegation(c echo.Context, _ auth.Principal) error {
	o, err := s.delegationOrder(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(o.Version))
	return c.JSON(http.StatusOK, DelegationView{Version: o.Version, Default: !o.Exists, Rules: o.Rules})
}

func (s *Server) putDelegation(c echo.Context, p auth.Principal) error {
	var cmd domain.ReplaceDelegationOrder
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	opt, err := s.writeOptions(c, p, "")
	if err != nil {
		return err
	}
	res, err := s.execute(c, domain.KindDelegation, domain.DelegationOrderID, cmd, opt)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res, nil)
}
