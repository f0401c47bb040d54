package console

import "strings"

// fieldLabels are the Swedish names of the API's fields, as the forms
// label them.
var fieldLabels = map[string]string{
	"text": "Anteckning", "instrument": "Instrument", "level": "Risknivå", "concerns": "Gäller",
	"assessed_on": "Bedömningsdatum", "summary": "Sammanfattning", "support_type": "Insats", "outcome": "Utfall",
	"goals": "Mål", "valid_from": "Gäller från", "valid_to": "Gäller till", "decision_id": "Beslut",
	"followed_up_on": "Uppföljningsdatum", "participated": "Deltog", "goal_outcomes": "Måluppfyllelse",
	"next_follow_up_on": "Nästa uppföljning", "complaint": "Synpunkter", "unit": "Enhet", "target_group": "Målgrupp",
	"source": "Källa", "received_on": "Inkom", "subject": "Person", "subject.name": "Namn", "subject.sex": "Kön",
	"subject.birth_year": "Födelseår", "subject.personal_number": "Personnummer", "subject.phone": "Telefon",
	"subject.address": "Adress", "description": "Beskrivning", "special_needs": "Särskilda behov",
	"entries": "Loggposter", "note": "Kommentar", "from": "Från", "to": "Till", "user": "Användare",
	"risk": "Risknivå", "status": "Status", "overdue": "Förfallna", "assignee": "Handläggare", "size": "Antal", "outcome_review": "Bedömning",
	"If-Match": "Version", "X-Access-Reason": "Skäl för åtkomst", "cursor": "Sida", "limit": "Antal",
}

// messages are the API's validation messages in Swedish; a message that
// starts with one of these keys gets its text.
var messages = []struct{ en, sv string }{
	{"is required", "måste fyllas i"},
	{"needs at least one value", "välj minst ett värde"},
	{"is not one of the allowed codes", "är inte ett av de tillåtna värdena"},
	{"not a valid personal identity number", "är inte ett giltigt personnummer"},
	{"must be valid UTF-8", "innehåller ogiltiga tecken"},
	{"is too long", "är för lång"},
	{"is out of range", "ligger utanför tillåtet intervall"},
	{"must not be before", "får inte vara före startdatum"},
	{"must be after", "måste vara efter startdatum"},
	{"must be between", "har ett otillåtet antal"},
	{"must be a ULID", "är inte ett giltigt id"},
	{"repeats", "förekommer mer än en gång"},
	{"a granted support needs at least one goal", "ett beviljat bistånd behöver minst ett mål"},
	{"not a date", "är inte ett datum (ÅÅÅÅ-MM-DD)"},
	{"must be", "har ett otillåtet värde"},
	{"not one of your units", "är inte en av dina enheter"},
	{"not a registered unit", "är inte en registrerad enhet"},
	{"unknown", "är okänt"},
	{"not a", "har ett otillåtet värde"},
}

func swedishMessage(en string) string {
	for _, m := range messages {
		if strings.HasPrefix(en, m.en) || strings.Contains(en, m.en) {
			return m.sv
		}
	}
	return "har ett otillåtet värde"
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	if i := strings.IndexByte(f, '['); i > 0 {
		return fieldLabel(f[:i]) // goals[1]: Mål
	}
	if i := strings.LastIndexByte(f, '.'); i >= 0 {
		if l, ok := fieldLabels[f[i+1:]]; ok {
			return l
		}
	}
	if f == "" {
		return "Formuläret"
	}
	return f
}

func swedishErrors(p apiProblem) []fieldError {
	out := make([]fieldError, 0, len(p.Errors))
	for _, e := range p.Errors {
		out = append(out, fieldError{Field: e.Field, Label: fieldLabel(e.Field), Message: swedishMessage(e.Message)})
	}
	return out
}

// swedishDetail is the page's summary of a refusal, by status.
func swedishDetail(p apiProblem) string {
	switch p.Status {
	case 409, 412:
		return "Ärendet har ändrats av någon annan sedan du öppnade det. Läs in sidan igen och gör om ändringen."
	case 413:
		return "Uppgifterna är för stora."
	case 422, 400:
		if len(p.Errors) > 0 {
			return "Rätta uppgifterna nedan."
		}
		return "Uppgifterna kunde inte tas emot."
	case 429:
		return "För många förfrågningar. Vänta en stund."
	}
	return "Begäran kunde inte utföras."
}
