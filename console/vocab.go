package console

import "github.com/fristad/fristad/domain"

// option is a choice in a form's select.
type option struct{ Value, Label string }

type labeled interface {
	~string
	Label() string
}

func vocab[T labeled](values []T) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{Value: string(v), Label: v.Label()})
	}
	return out
}

// vocabularies are the domain's code lists with their Swedish labels, by
// the name the templates use.
var vocabularies = map[string][]option{
	"status":       vocab(domain.CaseStatuses()),
	"risk":         vocab(domain.RiskLevels()),
	"target_group": vocab(domain.TargetGroups()),
	"source":       vocab(domain.IntakeSources()),
	"sex":          vocab(domain.Sexes()),
	"instrument":   vocab(domain.Instruments()),
	"concern":      vocab(domain.Concerns()),
	"support_type": vocab(domain.SupportTypes()),
	"outcome":      vocab(domain.DecisionOutcomes()),
	"goal_outcome": vocab(domain.GoalOutcomes()),
	"protection":   vocab(domain.ProtectionLevels()),
	"special_need": vocab(domain.SpecialNeeds()),
	"preliminary":  vocab(domain.PreliminaryDecisions()),
	"task_kind":    vocab(domain.TaskKinds()),
	// Matching against shelters: the reasons and needs as case workers read them.
	"match_reason":  vocab(domain.MatchReasons()),
	"match_need":    vocab(domain.MatchNeeds()),
	"provider_kind": vocab(domain.ProviderKinds()),
}

// label is the Swedish label of a code (the code itself when unknown).
func label(vocabulary string, code any) string {
	s, _ := code.(string)
	if s == "" {
		if v, ok := code.(interface{ String() string }); ok {
			s = v.String()
		}
	}
	for _, o := range vocabularies[vocabulary] {
		if o.Value == s {
			return o.Label
		}
	}
	return s
}

// eventLabels are the documentation history's event types in Swedish.
var eventLabels = map[string]string{
	"case.opened": "Aktualisering", "case.preliminary_assessed": "Förhandsbedömning", "case.investigation_opened": "Utredning inledd",
	"case.violence_documented": "Våld dokumenterat", "case.risk_assessed": "Hot- och riskbedömning", "case.safety_planned": "Säkerhetsplanering",
	"case.child_added": "Barn i ärendet", "case.decision_made": "Beslut", "case.assignment_issued": "Uppdrag", "case.placement_started": "Placering",
	"case.followed_up": "Uppföljning", "case.note_added": "Journalanteckning", "case.corrected": "Rättelse", "case.reassigned": "Ny handläggare",
	"case.closed": "Avslutat", "case.reopened": "Återöppnat", "case.flag_raised": "Flagga", "case.flag_resolved": "Flagga åtgärdad",
	"case.protection_changed": "Skyddade personuppgifter",
}

func eventLabel(t any) string {
	s, _ := t.(string)
	if l, ok := eventLabels[s]; ok {
		return l
	}
	return s
}

func actionLabel(a any) string {
	s, _ := a.(string)
	switch {
	case s == "read_case":
		return "Läste ärende"
	case s == "read_person":
		return "Läste person"
	case s == "read_audit":
		return "Läste logg"
	case s == "search":
		return "Sökte"
	}
	return s
}
