package domain

import (
	"fmt"
	"regexp"
	"slices"
)

// The delegation order (delegationsordning): the board's decision on who
// may decide what in its name. Per support type and outcome it names the
// point of the municipality's order and the roles that may decide under
// it. It is the municipality's setting, an aggregate of its own
// (KindDelegation, one per municipality: DelegationOrderID); every change
// replaces the whole order as one event, so the order in force at any
// moment is the fold of the events recorded until then.
//
// A decision records the point, the role and the order's version it was
// made under (DecisionMade), so a later change of the order never changes
// who was allowed to make an earlier decision.

// KindDelegation is the delegation order's aggregate kind.
const KindDelegation Kind = "delegation"

// DelegationOrderID is the id of the municipality's one delegation order.
const DelegationOrderID ID = "00000000000000000000DE1EGA"

// Roles that may hold a mandate. Mandates are given to roles of the
// municipality's staff, never to providers, statisticians or admins
// (an admin edits the order, and must not thereby decide).
const (
	RoleCaseworker = "caseworker"
	RoleSupervisor = "supervisor"
)

// MandateRoles are the roles a delegation rule may name.
func MandateRoles() []string { return []string{RoleCaseworker, RoleSupervisor} }

// DelegationRule is one point of the order: who may decide support of a
// type with an outcome.
type DelegationRule struct {
	Point       string          `json:"point"`
	SupportType SupportType     `json:"support_type"`
	Outcome     DecisionOutcome `json:"outcome"`
	Roles       []string        `json:"roles"`
}

// DelegationOrder is the order in force: Version is the aggregate's
// version (0: the default that ships, never changed by anyone).
type DelegationOrder struct {
	Version uint64
	Exists  bool // an order was recorded (otherwise the default applies)
	Rules   []DelegationRule
}

// DefaultDelegationOrder ships with fristad until the municipality records
// its own: protected housing, and every denial or partial grant, are
// decided by supervisors (enhetschef); other grants in full by case workers
// or supervisors. Points are placeholders of the form "SoL <n>" that a
// municipality replaces with its own order's numbering.
func DefaultDelegationOrder() DelegationOrder {
	var rules []DelegationRule
	for _, st := range SupportTypes() {
		for _, o := range DecisionOutcomes() {
			r := DelegationRule{SupportType: st, Outcome: o}
			switch {
			case st == SupportProtectedHousing:
				r.Point, r.Roles = "SoL 1.1", []string{RoleSupervisor}
			case o == OutcomeGranted:
				r.Point, r.Roles = "SoL 1.2", []string{RoleCaseworker, RoleSupervisor}
			default:
				r.Point, r.Roles = "SoL 1.3", []string{RoleSupervisor}
			}
			rules = append(rules, r)
		}
	}
	return DelegationOrder{Rules: rules}
}

// Rule is the rule for a support type and outcome, if the order has one.
func (o DelegationOrder) Rule(st SupportType, out DecisionOutcome) (DelegationRule, bool) {
	return find(o.Rules, func(r DelegationRule) bool { return r.SupportType == st && r.Outcome == out })
}

// MandateFor is the mandate a caller with roles holds for a decision of
// support type st with outcome out: the rule and the first of its roles
// the caller has. False when the order gives the caller no mandate.
func (o DelegationOrder) MandateFor(st SupportType, out DecisionOutcome, roles []string) (Mandate, bool) {
	r, ok := o.Rule(st, out)
	if !ok {
		return Mandate{}, false
	}
	for _, role := range r.Roles {
		if slices.Contains(roles, role) {
			return Mandate{Point: r.Point, Role: role, OrderVersion: o.Version}, true
		}
	}
	return Mandate{}, false
}

// Mandate is what a decision was made under: the point of the order, the
// decision-maker's role under it and the order's version (0: the default).
type Mandate struct {
	Point        string
	Role         string
	OrderVersion uint64
}

// Authority is what a decider needs to check a decision-maker's mandate:
// who decides, with which roles, against the order in force at that
// moment. The server fills it (json:"-" on every command that carries
// one); deciders never load the order themselves.
type Authority struct {
	Sub   string
	Roles []string
	Order DelegationOrder
}

// mandate checks the authority for a decision and returns the mandate or
// the rule error rule/no-mandate.
func (a Authority) mandate(st SupportType, out DecisionOutcome) (Mandate, error) {
	if a.Sub == "" {
		return Mandate{}, ruleErr("no-mandate", "no decision-maker")
	}
	m, ok := a.Order.MandateFor(st, out, a.Roles)
	if !ok {
		return Mandate{}, ruleErr("no-mandate", "the delegation order in force gives you no mandate for this support type and outcome")
	}
	return m, nil
}

// DelegationOrderReplaced is a new delegation order, replacing the one
// before it whole (the earlier ones stay in the history).
type DelegationOrderReplaced struct {
	Rules []DelegationRule `json:"rules"`
}

func (DelegationOrderReplaced) EventName() string { return "delegation.order_replaced" }

// pointRE keeps a point to the shape of an order's numbering ("4.2",
// "SoL 1.1", "§ 12 a"), so no free text reaches the facts.
var pointRE = regexp.MustCompile(`^[0-9A-Za-z§][0-9A-Za-z§ .:-]{0,19}$`)

func (f DelegationOrderReplaced) check(p *problems, at string) {
	if len(f.Rules) == 0 {
		p.add(path(at, "rules"), "needs at least one rule")
	}
	if len(f.Rules) > maxItems {
		p.add(path(at, "rules"), "has more than %d rules", maxItems)
	}
	type pair struct {
		st SupportType
		o  DecisionOutcome
	}
	seen := map[pair]bool{}
	for i, r := range f.Rules {
		ri := index(path(at, "rules"), i)
		if !pointRE.MatchString(r.Point) {
			p.add(path(ri, "point"), "must be a point of the order: 1-20 letters, digits, §, space, '.', ':' or '-'")
		}
		code(p, path(ri, "support_type"), r.SupportType, true)
		code(p, path(ri, "outcome"), r.Outcome, true)
		if len(r.Roles) == 0 {
			p.add(path(ri, "roles"), "needs at least one role")
		}
		for j, role := range r.Roles {
			if !slices.Contains(MandateRoles(), role) {
				p.add(index(path(ri, "roles"), j), "must be caseworker or supervisor")
			}
		}
		k := pair{r.SupportType, r.Outcome}
		if seen[k] {
			p.add(ri, "a second rule for the same support_type and outcome")
		}
		seen[k] = true
	}
}

// ReplaceDelegationOrder replaces the delegation order (PUT
// /admin/delegation).
type ReplaceDelegationOrder struct {
	Rules []DelegationRule `json:"rules"`
}

func (ReplaceDelegationOrder) CommandName() string { return "delegation.replace" }

func (c ReplaceDelegationOrder) Validate() error {
	var p problems
	DelegationOrderReplaced(c).check(&p, "")
	return p.err()
}

// DelegationDecider is the delegation order aggregate.
func DelegationDecider() Decider[DelegationOrder] {
	return Decider[DelegationOrder]{
		Kind:    KindDelegation,
		Initial: func(ID) DelegationOrder { return DefaultDelegationOrder() },
		Decide: func(s DelegationOrder, cmd Command) ([]Event, error) {
			c, ok := deref(cmd).(ReplaceDelegationOrder)
			if !ok {
				return nil, fmt.Errorf("delegation: %w %T", ErrUnknownCommand, cmd)
			}
			if err := c.Validate(); err != nil {
				return nil, err
			}
			rules := slices.Clone(c.Rules)
			for i := range rules {
				rules[i].Roles = slices.Compact(slices.Sorted(slices.Values(rules[i].Roles)))
			}
			return []Event{{Facts: DelegationOrderReplaced{Rules: rules}}}, nil
		},
		Evolve: func(s DelegationOrder, ev Recorded) DelegationOrder {
			s.Version = ev.Version
			if f, ok := ev.Facts.(DelegationOrderReplaced); ok {
				s.Exists, s.Rules = true, f.Rules
			}
			return s
		},
	}
}
