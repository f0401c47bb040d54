package console

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The API's messages in Swedish: an unknown one never shows its English.
func TestSwedishMessages(t *testing.T) {
	for _, tc := range []struct{ en, sv string }{
		{"is required", "måste fyllas i"},
		{"is not one of the allowed codes", "är inte ett av de tillåtna värdena"},
		{"not a valid personal identity number", "är inte ett giltigt personnummer"},
		{"a granted support needs at least one goal", "ett beviljat bistånd behöver minst ett mål"},
		{"not a registered unit", "är inte en registrerad enhet"},
		{"must not be before valid_from", "får inte vara före startdatum"},
		{"something new the API says", "har ett otillåtet värde"},
	} {
		assert.Equal(t, tc.sv, swedishMessage(tc.en), tc.en)
	}
	errs := swedishErrors(apiProblem{Errors: []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	}{{"subject.personal_number", "not a valid personal identity number"}, {"goals[0]", "is too long"}}})
	assert.Equal(t, []fieldError{
		{Field: "subject.personal_number", Label: "Personnummer", Message: "är inte ett giltigt personnummer"},
		{Field: "goals[0]", Label: "Mål", Message: "är för lång"},
	}, errs)
}
