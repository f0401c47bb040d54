package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decisionIn finds a decision in a case file.
func decisionIn(t *testing.T, file map[string]any, id string) map[string]any {
	t.Helper()
	for _, d := range file["decisions"].([]any) {
		if m := d.(map[string]any); m["decision_id"] == id {
			return m
		}
	}
	t.Fatalf("decision %s not in the case file", id)
	return nil
}

func problemRule(t *testing.T, r response) string {
	t.Helper()
	v, _ := r.json(t)["rule"].(string)
	return v
}

// TestDelegationOrderRoutes: the default ships; an admin replaces it (an
// event, with version and ETag); supervisors read it; nobody else writes
// it; a bad order is refused whole and writes nothing.
func TestDelegationOrderRoutes(t *testing.T) {
	h := newHarness(t)
	def := h.must(200, "GET", "/api/v1/admin/delegation", &sara, nil).json(t)
	assert.Equal(t, true, def["default"])
	assert.EqualValues(t, 0, def["version"])
	assert.Len(t, def["rules"], len(domain.SupportTypes())*len(domain.DecisionOutcomes()))

	h.must(403, "PUT", "/api/v1/admin/delegation", &sara, map[string]any{"rules": []any{}})
	h.must(403, "GET", "/api/v1/admin/delegation", &anna, nil)
	bad := h.must(400, "PUT", "/api/v1/admin/delegation", &admin, map[string]any{"rules": []map[string]any{
		{"point": "Ring 070-123 45 67", "support_type": "support_talks", "outcome": "denied", "roles": []string{"admin"}},
	}})
	assert.NotContains(t, string(bad.body), "070-123")
	assert.EqualValues(t, 0, h.must(200, "GET", "/api/v1/admin/delegation", &admin, nil).json(t)["version"], "a refused order writes nothing")

	put := h.must(200, "PUT", "/api/v1/admin/delegation", &admin, map[string]any{"rules": []map[string]any{
		{"point": "4.2", "support_type": "support_talks", "outcome": "denied", "roles": []string{"caseworker"}},
	}})
	assert.Equal(t, `"1"`, put.header.Get("ETag"))
	got := h.must(200, "GET", "/api/v1/admin/delegation", &sara, nil).json(t)
	assert.Equal(t, false, got["default"])
	assert.EqualValues(t, 1, got["version"])
	h.must(412, "PUT", "/api/v1/admin/delegation", &admin, map[string]any{"rules": got["rules"]}, "If-Match", `"0"`)
}

// TestDecisionUnderTheDelegationOrder: the caller decides under the
// mandate in force at that moment; a later change of the order changes
// neither who decided the earlier decision nor a report of it.
func TestDecisionUnderTheDelegationOrder(t *testing.T) {
	h := newHarness(t)
	clock := &testClock{t: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
	h.srv.now = clock.now
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	denial := map[string]any{"support_type": "support_talks", "outcome": "denied", "valid_from": "2026-03-02", "decided_on": "2026-03-02"}

	r := h.must(422, "POST", c+"/decisions", &anna, denial)
	assert.Equal(t, "no-mandate", problemRule(t, r), "a case worker may not deny under the default order")
	r = h.must(422, "POST", c+"/decisions", &sara, denial)
	assert.Equal(t, "reasons-required", problemRule(t, r))
	denial["reasons"] = "Behovet tillgodoses genom andra insatser."
	denied := h.must(201, "POST", c+"/decisions", &sara, denial).str(t, "decision_id")
	housing := map[string]any{"support_type": "protected_housing", "outcome": "granted", "goals": []string{"Trygghet"}, "valid_from": "2026-03-02"}
	assert.Equal(t, "no-mandate", problemRule(t, h.must(422, "POST", c+"/decisions", &anna, housing)))
	granted := h.must(201, "POST", c+"/decisions", &anna, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-03-02", "decided_on": "2026-03-02"}).str(t, "decision_id")
	future := h.do("POST", c+"/decisions", &anna, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-03-02", "decided_on": "2999-01-01"})
	require.Equal(t, 400, future.code, string(future.body))
	assert.NotContains(t, string(future.body), "2999")

	report := func(asOf string) []any {
		q := "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&unit=vuxen&min_cell=1"
		if asOf != "" {
			q += "&as_of=" + asOf
		}
		var out []any
		for _, cell := range h.must(200, "GET", q, &statist, nil).json(t)["cells"].([]any) {
			if cell.(map[string]any)["table"] == "decisions" {
				out = append(out, cell)
			}
		}
		return out
	}
	before := report("")
	asOf := clock.now().Format(time.RFC3339)
	clock.advance(time.Hour)

	// The order changes: case workers no longer grant support talks.
	h.must(200, "PUT", "/api/v1/admin/delegation", &admin, map[string]any{"rules": []map[string]any{
		{"point": "7.1", "support_type": "support_talks", "outcome": "granted", "roles": []string{"supervisor"}},
		{"point": "7.2", "support_type": "support_talks", "outcome": "denied", "roles": []string{"supervisor"}},
	}})
	assert.Equal(t, "no-mandate", problemRule(t, h.must(422, "POST", c+"/decisions", &anna, map[string]any{"support_type": "support_talks",
		"outcome": "granted", "goals": []string{"Stöd"}, "valid_from": "2026-03-03"})))

	file := h.must(200, "GET", c, &sara, nil).json(t)
	g := decisionIn(t, file, granted)
	assert.Equal(t, "anna", g["decided_by"])
	assert.Equal(t, "SoL 1.2", g["delegation_point"], "made under the default order, and still shown so")
	assert.Equal(t, "caseworker", g["decided_as"])
	assert.Nil(t, g["delegation_version"])
	d := decisionIn(t, file, denied)
	assert.Equal(t, "sara", d["decided_by"])
	assert.Equal(t, true, d["has_reasons"])
	assert.Equal(t, before, report(asOf), "a report as of before the change gives the same cells")
	assert.Equal(t, before, report(""), "and after it too: the change rewrote no earlier decision")
	assert.NotEmpty(t, before)
}

// TestProposalsAreDecidedByADelegate: nobody decides their own proposal,
// not even with the mandate; a case worker without the mandate cannot.
func TestProposalsAreDecidedByADelegate(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	both := user{sub: "britt", roles: []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}, units: []string{"vuxen"}}
	pid := h.must(201, "POST", c+"/proposals", &both, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet", "Eget boende"}, "valid_from": "2026-03-02", "valid_to": "2026-06-30"}).str(t, "proposal_id")
	decide := c + "/proposals/" + pid + "/decide"
	assert.Equal(t, "own-proposal", problemRule(t, h.must(422, "POST", decide, &both, map[string]any{"outcome": "granted"})))
	assert.Equal(t, "no-mandate", problemRule(t, h.must(422, "POST", decide, &bertil, map[string]any{"outcome": "granted"})))
	h.must(404, "POST", c+"/proposals/"+string(domain.NewID())[:10]+"/decide", &sara, map[string]any{"outcome": "granted"})
	did := h.must(201, "POST", decide, &sara, map[string]any{"outcome": "granted", "reasons": "Hög risk enligt FREDA."}).str(t, "decision_id")
	assert.Equal(t, "proposal-decided", problemRule(t, h.must(422, "POST", decide, &sara, map[string]any{"outcome": "granted"})))

	d := decisionIn(t, h.must(200, "GET", c, &sara, nil).json(t), did)
	assert.Equal(t, pid, d["proposal_id"])
	assert.Equal(t, "sara", d["decided_by"])
	assert.EqualValues(t, 2, d["goal_count"], "the proposal's goals carry over")
}

// pdfText is the text a PDF reader finds in the letter (pdfcpu reads the
// page content; strings are cp1252 in the core fonts' encoding).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	model.ConfigPath = "disable"
	var out strings.Builder
	err := api.ExtractContent(bytes.NewReader(pdf), nil, func(r io.Reader, _ int) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		out.WriteString(showStrings(b))
		return nil
	}, model.NewDefaultConfiguration())
	require.NoError(t, err)
	return strings.Join(strings.Fields(out.String()), " ")
}

// showStrings decodes the literal strings a content stream shows, a space
// between each.
func showStrings(content []byte) string {
	cp1252 := map[byte]rune{0x96: '–', 0x97: '—', 0x93: '“', 0x94: '”', 0x92: '’', 0x80: '€'}
	var out []rune
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		depth := 1
		for i++; i < len(content) && depth > 0; i++ {
			b := content[i]
			switch {
			case b == '\\' && i+1 < len(content):
				i++
				switch content[i] {
				case 'n':
					out = append(out, '\n')
				default:
					out = append(out, rune(content[i]))
				}
				continue
			case b == '(':
				depth++
			case b == ')':
				depth--
				if depth == 0 {
					continue
				}
			}
			if r, ok := cp1252[b]; ok {
				out = append(out, r)
			} else {
				out = append(out, rune(b))
			}
		}
		out = append(out, ' ')
		i--
	}
	return string(out)
}

// TestDecisionLetter: Swedish, from the record, with reasons, validity,
// the decision-maker and mandate, and appeal instructions for a decision
// against the person; no address, phone or shelter for a protected person.
func TestDecisionLetter(t *testing.T) {
	h := newHarness(t)
	h.shelter(providerA) // placements are only at a registered provider
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	denied := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
		"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Behovet av stödsamtal tillgodoses inom hälso- och sjukvården."}).str(t, "decision_id")
	h.must(200, "POST", c+"/decisions/"+denied+"/communicated", &anna, map[string]any{"communicated_on": "2026-03-13", "channel": "letter"})
	granted := h.must(201, "POST", c+"/decisions", &anna, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Minskad oro"}, "valid_from": "2026-03-02", "valid_to": "2026-08-31", "decided_on": "2026-03-02"}).str(t, "decision_id")

	letter := func(did string) (response, string) {
		r := h.must(200, "GET", c+"/decisions/"+did+"/letter", &anna, nil)
		require.Equal(t, "application/pdf", r.header.Get("Content-Type"))
		return r, pdfText(t, r.body)
	}
	_, text := letter(denied)
	for _, want := range []string{
		"Socialnämnden", "avslår din ansökan om bistånd i form av stödsamtal", "Skäl för beslutet",
		"Behovet av stödsamtal tillgodoses inom hälso- och sjukvården.", "Beslutet är fattat av sara (enhetschef)", "punkt SoL 1.3",
		"Hur man överklagar", "till förvaltningsrätten", "Skicka eller lämna överklagandet till socialnämnden", "inom tre veckor från den dag du fick del av beslutet",
		"midsommarafton, julafton eller nyårsafton", "Du fick del av beslutet den 2026-03-13. Sista dag att överklaga är 2026-04-07.",
		"hur du vill att beslutet ska ändras och varför", subjectName, subjectStreet,
	} {
		assert.Contains(t, text, want)
	}
	_, text = letter(granted)
	assert.Contains(t, text, "beviljar din ansökan")
	assert.Contains(t, text, "Beslutet gäller från och med 2026-03-02 till och med 2026-08-31.")
	assert.Contains(t, text, "Minskad oro")
	assert.NotContains(t, text, "Hur man överklagar", "a grant in full goes against no one")

	// Protected: the letter keeps the name and loses address, phone and shelter.
	h.must(200, "POST", c+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	housing := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "protected_housing", "outcome": "partly_granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-06-30", "reasons": "Placering i kortare tid än ansökt."}).str(t, "decision_id")
	h.must(201, "POST", c+"/placements", &anna, map[string]any{"decision_id": housing, "provider_id": providerA, "moved_in_on": "2026-03-05"})
	for _, did := range []string{denied, granted, housing} {
		_, text := letter(did)
		assert.Contains(t, text, subjectName)
		for _, leak := range []string{subjectStreet, "Hemliga", "070-111 22 33", "070", providerA, subjectPnr} {
			assert.NotContains(t, text, leak, "the letter of a protected person")
		}
	}
	h.must(404, "GET", c+"/decisions/"+string(domain.NewID())+"/letter", &anna, nil)
	h.must(404, "GET", c+"/decisions/"+denied+"/letter", &olle, nil)
	h.must(403, "GET", c+"/decisions/"+denied+"/letter", &jouren, nil)
}

// TestAppealsThroughTheAPI: timeliness on the edges, dismissal only of a
// late appeal, a reconsideration that changes the decision records a new
// one that is the valid one, forwarded even when changed, and nothing but
// corrections after the ruling.
func TestAppealsThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	deny := func() string {
		did := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
			"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Skäl."}).str(t, "decision_id")
		h.must(200, "POST", c+"/decisions/"+did+"/communicated", &anna, map[string]any{"communicated_on": "2026-03-02", "channel": "in_person"})
		return did
	}
	appeal := func(did, on string) map[string]any {
		return h.must(201, "POST", c+"/decisions/"+did+"/appeals", &anna, map[string]any{"received_on": on}).json(t)
	}
	day21 := appeal(deny(), "2026-03-23")
	assert.Equal(t, true, day21["in_time"])
	assert.Equal(t, "2026-03-23", day21["last_day"])
	day22 := appeal(deny(), "2026-03-24")
	assert.Equal(t, false, day22["in_time"])
	late := day22["appeal_id"].(string)
	inTime := day21["appeal_id"].(string)

	assert.Equal(t, "appeal-not-late", problemRule(t, h.must(422, "POST", c+"/appeals/"+inTime+"/dismissal", &anna, map[string]any{"decided_on": "2026-03-25", "reasons": "x"})))
	assert.Equal(t, "appeal-late", problemRule(t, h.must(422, "POST", c+"/appeals/"+late+"/reconsideration", &sara, map[string]any{"decided_on": "2026-03-25", "changed": false})))
	h.must(200, "POST", c+"/appeals/"+late+"/dismissal", &anna, map[string]any{"decided_on": "2026-03-25", "reasons": "Överklagandet kom in för sent."})
	assert.Equal(t, "appeal-final", problemRule(t, h.must(422, "POST", c+"/appeals/"+late+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-26", "court": "FR"})))

	// Reconsidered and changed: a new decision, linked, the valid one.
	re := h.must(200, "POST", c+"/appeals/"+inTime+"/reconsideration", &anna, map[string]any{"decided_on": "2026-03-25", "changed": true,
		"outcome": "granted", "goals": []string{"Stöd"}, "reasons": "Nya uppgifter i överklagandet."}).json(t)
	newDecision := re["decision_id"].(string)
	file := h.must(200, "GET", c, &sara, nil).json(t)
	nd := decisionIn(t, file, newDecision)
	assert.Equal(t, "granted", nd["outcome"])
	oldID := nd["replaces"].(string)
	assert.Equal(t, newDecision, decisionIn(t, file, oldID)["replaced_by"])
	assert.Equal(t, "decision-replaced", problemRule(t, h.must(422, "POST", c+"/decisions/"+oldID+"/appeals", &anna, map[string]any{"received_on": "2026-03-26"})))

	h.must(200, "POST", c+"/appeals/"+inTime+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-26", "court": "Förvaltningsrätten i Stockholm"})
	h.must(200, "POST", c+"/appeals/"+inTime+"/ruling", &anna, map[string]any{"ruled_on": "2026-06-01", "outcome": "upheld"})
	assert.Equal(t, "appeal-final", problemRule(t, h.must(422, "POST", c+"/appeals/"+inTime+"/ruling", &anna, map[string]any{"ruled_on": "2026-06-02", "outcome": "changed"})))

	// The appeals report counts both appeals by their latest step.
	cells := h.must(200, "GET", "/api/v1/reports/appeals?from=2026-01-01&to=2026-12-31&unit=vuxen&min_cell=1", &statist, nil).json(t)["cells"].([]any)
	counts := map[string]float64{}
	for _, x := range cells {
		m := x.(map[string]any)
		if v, ok := m["value"].(float64); ok && v > 0 {
			counts[m["table"].(string)+"|"+dimKey(toStrings(m["dims"]))] = v
		}
	}
	assert.Equal(t, map[string]float64{
		"appeals|in_time=yes;outcome=upheld":           1,
		"appeals|in_time=no;outcome=dismissed":         1,
		"decisions_changed|support_type=support_talks": 1,
	}, counts)

	// The court changes a denial into a grant: its decision replaces the
	// appealed one, is carried out, and its letter names the court.
	byCourt := appeal(deny(), "2026-03-10")["appeal_id"].(string)
	h.must(200, "POST", c+"/appeals/"+byCourt+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-12", "court": "FR"})
	courtDecision := h.must(200, "POST", c+"/appeals/"+byCourt+"/ruling", &anna, map[string]any{"ruled_on": "2026-05-04", "outcome": "changed",
		"new_outcome": "granted", "goals": []string{"Stödsamtal varannan vecka"}}).str(t, "decision_id")
	h.must(200, "POST", c+"/decisions/"+courtDecision+"/carried-out", &anna, map[string]any{"started_on": "2026-05-11"})
	text := pdfText(t, h.must(200, "GET", c+"/decisions/"+courtDecision+"/letter", &anna, nil).body)
	assert.Contains(t, text, "Förvaltningsrätten ändrade den 2026-05-04 beslutet")
	assert.NotContains(t, text, "Hur man överklagar")

	// After `returned` the municipality decides anew.
	ret := appeal(deny(), "2026-03-10")["appeal_id"].(string)
	h.must(200, "POST", c+"/appeals/"+ret+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-12", "court": "FR"})
	h.must(200, "POST", c+"/appeals/"+ret+"/ruling", &anna, map[string]any{"ruled_on": "2026-05-01", "outcome": "returned"})
	file = h.must(200, "GET", c, &sara, nil).json(t)
	var returnedDecision string
	for _, a := range file["appeals"].([]any) {
		if m := a.(map[string]any); m["appeal_id"] == ret {
			returnedDecision = m["decision_id"].(string)
		}
	}
	require.NotEmpty(t, returnedDecision)
	h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied", "valid_from": "2026-05-05",
		"decided_on": "2026-05-05", "reasons": "Prövat på nytt.", "replaces": returnedDecision})
}

// dimKey is "k=v;k=v" with keys sorted.
func dimKey(dims map[string]string) string {
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		keys[i] = k + "=" + dims[k]
	}
	return strings.Join(keys, ";")
}

func toStrings(v any) map[string]string {
	out := map[string]string{}
	for k, x := range v.(map[string]any) {
		out[k] = x.(string)
	}
	return out
}

// TestNotCarriedOutReport: a granted decision not carried out within three
// months is a row of the quarter, without the person's identity; one
// carried out in time is not.
func TestNotCarriedOutReport(t *testing.T) {
	h := newHarness(t)
	caseID, personID := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	grant := func(from string) string {
		return h.must(201, "POST", c+"/decisions", &anna, map[string]any{"support_type": "contact_person", "outcome": "granted",
			"goals": []string{"Nätverk"}, "valid_from": from, "decided_on": from}).str(t, "decision_id")
	}
	waiting := grant("2026-03-02")
	h.must(200, "POST", c+"/decisions/"+waiting+"/delay", &anna, map[string]any{"reason": "no_place_available", "note": "Ingen kontaktperson ledig."})
	inTime := grant("2026-04-01")
	h.must(200, "POST", c+"/decisions/"+inTime+"/carried-out", &anna, map[string]any{"started_on": "2026-05-01"})
	assert.Equal(t, "decision-carried-out", problemRule(t, h.must(422, "POST", c+"/decisions/"+inTime+"/carried-out", &anna, map[string]any{"started_on": "2026-05-02"})))

	r := h.must(200, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q3&unit=vuxen", &sara, nil)
	body := string(r.body)
	rows := r.json(t)["rows"].([]any)
	require.Len(t, rows, 1, body)
	row := rows[0].(map[string]any)
	assert.Equal(t, "2026-03-02", row["decided_on"])
	assert.Equal(t, "contact_person", row["support_type"])
	assert.Equal(t, "female", row["sex"])
	assert.EqualValues(t, 1985, row["birth_year"])
	assert.Equal(t, "no_place_available", row["delay_reason"])
	for _, leak := range []string{caseID, personID, waiting, subjectName, subjectPnr, "Ingen kontaktperson"} {
		assert.NotContains(t, body, leak)
	}
	board := h.must(200, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q3&unit=vuxen&copy=board", &sara, nil).json(t)["rows"].([]any)
	require.Len(t, board, 1)
	assert.Equal(t, caseID, board[0].(map[string]any)["case_id"], "the board's own copy names the case")
	h.must(403, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q3&copy=board", &statist, nil)
	h.must(400, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q3&unit=vuxen&copy=all", &sara, nil)
	h.must(400, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q5&unit=vuxen", &sara, nil)
	h.must(403, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q3", &sara, nil)
	h.must(403, "GET", "/api/v1/reports/not-carried-out?quarter=2026Q3", &anna, nil)
}

// TestDecisionsFromBeforeTheDelegationOrder: a decision recorded before
// decisions had a decision-maker stays valid, shows "decided before the
// delegation order" and names nobody.
func TestDecisionsFromBeforeTheDelegationOrder(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	ctx := context.Background()
	hist, err := h.store.Load(ctx, domain.KindCase, domain.ID(caseID))
	require.NoError(t, err)
	old := domain.NewID()
	_, err = h.store.Append(ctx, hist, []domain.Event{{Facts: domain.DecisionMade{DecisionID: old, SupportType: domain.SupportTalks,
		Outcome: domain.OutcomeDenied, ValidFrom: domain.NewDate(2025, 5, 1)}}}, eventstore.AppendOptions{Actor: "anna", Now: time.Now()})
	require.NoError(t, err)
	c := "/api/v1/cases/" + caseID
	d := decisionIn(t, h.must(200, "GET", c, &sara, nil).json(t), string(old))
	assert.Equal(t, true, d["decided_before_delegation_order"])
	assert.Nil(t, d["decided_by"])
	text := pdfText(t, h.must(200, "GET", c+"/decisions/"+string(old)+"/letter", &anna, nil).body)
	assert.Contains(t, text, "Beslutet fattades innan beslut registrerades enligt delegationsordningen")
	assert.Contains(t, text, "Hur man överklagar")
	h.must(200, "POST", c+"/decisions/"+string(old)+"/communicated", &anna, map[string]any{"communicated_on": "2025-05-02", "channel": "letter"})
	_ = http.StatusOK
}

// testClock is a server clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// TestDecisionDeadlinesOnTheDashboard: a decision not communicated within
// the set days, an appeal not forwarded within appeal_forward_days and a
// grant not carried out within three months are overdue; each by lag
// 1930:173 (a due day on a weekend moves to Monday).
func TestDecisionDeadlinesOnTheDashboard(t *testing.T) {
	h := newHarness(t)
	clock := &testClock{t: time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)} // a Monday
	h.srv.now = clock.now
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	// Decided Monday 2026-03-02: seven days end Monday 2026-03-09.
	silent := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
		"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Skäl."}).str(t, "decision_id")
	told := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "contact_person", "outcome": "denied",
		"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Skäl."}).str(t, "decision_id")
	h.must(200, "POST", c+"/decisions/"+told+"/communicated", &anna, map[string]any{"communicated_on": "2026-03-03", "channel": "letter"})
	// Received Tuesday 2026-03-03: seven days end Tuesday 2026-03-10.
	aid := h.must(201, "POST", c+"/decisions/"+told+"/appeals", &anna, map[string]any{"received_on": "2026-03-03"}).str(t, "appeal_id")

	ids := func(list string) []string {
		var out []string
		for _, x := range h.must(200, "GET", "/api/v1/dashboard/overdue", &sara, nil).json(t)[list].([]any) {
			m := x.(map[string]any)
			out = append(out, m["decision_id"].(string)+"/"+fmt.Sprint(m["appeal_id"]))
		}
		return out
	}
	assert.Empty(t, ids("decisions_not_communicated"), "the last day is today")
	assert.Empty(t, ids("appeals_not_forwarded"))
	clock.advance(24 * time.Hour) // Tuesday 2026-03-10
	assert.Equal(t, []string{silent + "/<nil>"}, ids("decisions_not_communicated"))
	assert.Empty(t, ids("appeals_not_forwarded"), "the last day is today")
	clock.advance(24 * time.Hour)
	assert.Equal(t, []string{told + "/" + aid}, ids("appeals_not_forwarded"))
	h.must(200, "POST", c+"/appeals/"+aid+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-11", "court": "FR"})
	assert.Empty(t, ids("appeals_not_forwarded"))
	assert.Empty(t, ids("decisions_not_carried_out"), "denials are never carried out")
}

// TestLetterNamingAProtectedChild: a child's own decision names the child;
// when the child is protected the letter carries no postal address at
// all (the child lives with the parent it is sent to), and reading it takes
// an access reason.
func TestLetterNamingAProtectedChild(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	child := h.must(201, "POST", c+"/children", &anna, map[string]any{"sex": "female", "birth_year": 2015, "name": childName,
		"personal_number": childPnr, "relation": "subjected"}).str(t, "child_id")
	// The child's own case protects the child (protection follows the person).
	own := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "child_victim", "source": "report",
		"received_on": "2026-03-02", "person_id": child}).str(t, "id")
	h.must(200, "POST", "/api/v1/cases/"+own+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	did := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "child_id": child, "reasons": "Den andra vårdnadshavaren är part."}).str(t, "decision_id")

	text := pdfText(t, h.must(200, "GET", c+"/decisions/"+did+"/letter", &anna, nil).body)
	assert.Contains(t, text, "för barnet "+childName)
	assert.Contains(t, text, "Den andra vårdnadshavaren är part.")
	assert.Contains(t, text, "Hur man överklagar", "the other guardian is a party")
	for _, leak := range []string{subjectStreet, "070-111 22 33", childPnr, subjectPnr} {
		assert.NotContains(t, text, leak)
	}
	h.reason = ""
	h.must(400, "GET", c+"/decisions/"+did+"/letter", &anna, nil)
}

// TestDecideIsIdempotent: a retried decide with the same key returns the
// first decision and writes nothing more.
func TestDecideIsIdempotent(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	pid := h.must(201, "POST", c+"/proposals", &anna, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-03-02"}).str(t, "proposal_id")
	body := map[string]any{"outcome": "granted"}
	first := h.must(201, "POST", c+"/proposals/"+pid+"/decide", &sara, body, "Idempotency-Key", "k-1")
	again := h.must(201, "POST", c+"/proposals/"+pid+"/decide", &sara, body, "Idempotency-Key", "k-1")
	assert.Equal(t, first.str(t, "decision_id"), again.str(t, "decision_id"))
	assert.Equal(t, first.json(t)["version"], again.json(t)["version"])
	assert.Len(t, h.must(200, "GET", c, &sara, nil).json(t)["decisions"], 1)
}

// TestConcurrentDecidesOfOneProposal: two delegates decide the same
// proposal at once; exactly one decision is recorded.
func TestConcurrentDecidesOfOneProposal(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	pid := h.must(201, "POST", c+"/proposals", &anna, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-03-02"}).str(t, "proposal_id")
	other := user{sub: "sven", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"vuxen"}}
	codes := make(chan int, 8)
	var wg sync.WaitGroup
	for i := range 8 {
		u := sara
		if i%2 == 1 {
			u = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := h.try("POST", c+"/proposals/"+pid+"/decide", &u, map[string]any{"outcome": "granted"})
			if err == nil {
				codes <- r.code
			}
		}()
	}
	wg.Wait()
	close(codes)
	created := 0
	for code := range codes {
		if code == 201 {
			created++
		} else {
			assert.Contains(t, []int{409, 422}, code)
		}
	}
	assert.Equal(t, 1, created)
	assert.Len(t, h.must(200, "GET", c, &sara, nil).json(t)["decisions"], 1)
}

// TestLetterAfterCulling: once the person's data key is destroyed the
// letter still comes, saying what was culled; it is never a 500.
func TestLetterAfterCulling(t *testing.T) {
	h := newHarness(t)
	caseID, personID := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	did := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
		"valid_from": "2026-03-02", "reasons": "Hemliga skäl."}).str(t, "decision_id")
	require.NoError(t, h.store.Keys().Destroy(context.Background(), domain.PersonKey(domain.ID(personID))))
	text := pdfText(t, h.must(200, "GET", c+"/decisions/"+did+"/letter", &anna, nil).body)
	assert.Contains(t, text, Destroyed)
	assert.NotContains(t, text, "Hemliga skäl.")
	assert.NotContains(t, text, subjectName)
}

// TestAppealAfterTheCaseClosed: a denial closes the case; the appeal that
// comes weeks later is recorded, shows on the dashboard until forwarded,
// and a changed decision needs the case reopened.
func TestAppealAfterTheCaseClosed(t *testing.T) {
	h := newHarness(t)
	clock := &testClock{t: time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)}
	h.srv.now = clock.now
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	did := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
		"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Skäl."}).str(t, "decision_id")
	h.must(200, "POST", c+"/decisions/"+did+"/communicated", &anna, map[string]any{"communicated_on": "2026-03-03", "channel": "letter"})
	h.must(200, "POST", c+"/close", &anna, map[string]any{"reason": "Avslag", "goal_attainment": "not"})
	aid := h.must(201, "POST", c+"/decisions/"+did+"/appeals", &anna, map[string]any{"received_on": "2026-03-20"}).str(t, "appeal_id")
	waiting := h.must(200, "GET", "/api/v1/dashboard/overdue", &sara, nil).json(t)["appeals_not_forwarded"].([]any)
	require.Len(t, waiting, 1)
	assert.Equal(t, aid, waiting[0].(map[string]any)["appeal_id"])
	r := h.must(422, "POST", c+"/appeals/"+aid+"/reconsideration", &sara, map[string]any{"decided_on": "2026-03-25", "changed": true,
		"outcome": "granted", "goals": []string{"Stöd"}})
	assert.Equal(t, "case-closed", problemRule(t, r))
	h.must(200, "POST", c+"/appeals/"+aid+"/reconsideration", &sara, map[string]any{"decided_on": "2026-03-25", "changed": false, "reasons": "Inget nytt."})
	h.must(200, "POST", c+"/appeals/"+aid+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-26", "court": "FR"})
	assert.Empty(t, h.must(200, "GET", "/api/v1/dashboard/overdue", &sara, nil).json(t)["appeals_not_forwarded"])
	h.must(422, "POST", c+"/notes", &anna, map[string]any{"text": "x"})
}
