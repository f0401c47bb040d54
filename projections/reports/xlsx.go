package reports

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/xuri/excelize/v2"
)

// Suppressed cells read "för få" (too few) in the spreadsheet.
const tooFew = "för få"

// sheetNames are the Swedish names of the tables (sheet names are at most
// 31 characters).
var sheetNames = map[string]string{
	"persons": "Personer", "persons_by_age": "Personer efter ålder", "special_needs": "Särskilda behov",
	"violence_forms": "Våldsformer", "decisions": "Beslut", "placements": "Skyddat boende",
	"placement_days": "Dygn i skyddat boende", "schooling": "Skolgång", "risk_instruments": "Bedömningsinstrument",
	"partner_contact": "Partnerkontakt", "follow_ups": "Uppföljningar", "goal_outcomes": "Måluppfyllelse",
	"participation": "Delaktighet", "appeals": "Överklaganden", "decisions_changed": "Ändrade beslut",
	"V2": "V2", "decisions_changed_after_appeal": "Ändrade efter överklagande",
	"reports_of_concern": "Orosanmälningar", "deadlines": "Tidsfrister",
	"provider_placements": "Placeringar per utförare", "provider_persons": "Personer per utförare",
	"provider_children": "Barn per utförare", "provider_days": "Dygn per utförare", "provider_move_outs": "Utflyttningar per utförare",
	"provider_goal_attainment": "Måluppfyllelse per utförare", "provider_complaints": "Klagomål per utförare",
	"provider_open_actions": "Öppna åtgärder per utförare",
}

// dimNames are the Swedish column headers of the dims.
var dimNames = map[string]string{
	"target_group": "Målgrupp", "sex": "Kön", "age_band": "Åldersgrupp", "need": "Särskilt behov", "form": "Våldsform",
	"support_type": "Insats", "outcome": "Utfall", "status": "Status", "instrument": "Instrument", "step": "Steg",
	"participated": "Delaktig", "answer": "Svar", "measure": "Mått", "in_time": "I rätt tid", "survey_year": "Undersökningsår",
	"reporter_category": "Anmälare", "deadline": "Tidsfrist", "met": "Hållen",
	"provider": "Utförare (id)", "name": "Utförare", "reason": "Orsak",
}

// reportLabels are the Swedish labels of the codes the reports themselves
// define (the domain's vocabularies label the rest), by dim.
var reportLabels = map[string]map[string]string{
	"step": {
		"offered": "Partnerkontakt erbjuden", "consent_given": "Samtycke lämnat", "consent_refused": "Samtycke nekat",
		"partner_reached": "Partnern nådd", "accepted": "Partnern tackade ja", "declined": "Partnern tackade nej",
		"new_violence": "Nytt våld rapporterat",
	},
	"status":     {"arranged": "Skolgång ordnad", "not_arranged": "Skolgång inte ordnad"},
	"instrument": {"any_standardized": "Något standardiserat instrument", "none": "Ingen risk- eller skyddsbedömning"},
	"answer":     {answerYes: "Ja", answerNo: "Nej", answerTooFew: "För få för att redovisa"},
	"in_time":    {"yes": "Ja", "no": "Nej"},
	"measure": {
		"investigations": "Inledda utredningar", "with_standardized": "Med standardiserad bedömning",
		"per_mille": "Andel (promille)", "appeals_examined": "Prövade överklaganden", "changed": "Ändrade beslut",
	},
	// The appeals table's outcome is an appeal's latest step; the court's
	// rulings are labelled by their vocabulary (domain.AppealRuling).
	"outcome": {"pending": "Under handläggning", "reconsidered_changed": "Ändrat vid omprövning"},
	"age_band": {
		"0-5": "0–5 år", "6-12": "6–12 år", "13-17": "13–17 år", "18-24": "18–24 år", "25-64": "25–64 år",
		"65+": "65 år och äldre", "unknown": "Okänd ålder",
	},
}

// valueLabel is a dim value's Swedish label where a vocabulary has one.
func valueLabel(dim, v string) string {
	l, own := reportLabels[dim][v]
	switch {
	case own:
	case dim == "target_group":
		l = domain.TargetGroup(v).Label()
	case dim == "sex":
		l = domain.Sex(v).Label()
	case dim == "need":
		l = domain.SpecialNeed(v).Label()
	case dim == "form":
		l = domain.ViolenceForm(v).Label()
	case dim == "support_type":
		l = domain.SupportType(v).Label()
	case dim == "instrument":
		l = domain.Instrument(v).Label()
	case dim == "reporter_category":
		l = domain.ReporterCategory(v).Label()
	case dim == "deadline":
		l = map[string]string{"protection_same_day": "Skyddsbedömning samma dag", "preliminary_14_days": "Förhandsbedömning inom 14 dagar",
			"investigation_4_months": "Utredning inom fyra månader"}[v]
	case dim == "met":
		l = map[string]string{"yes": "Ja", "no": "Nej"}[v]
	case dim == "reason":
		l = domain.MoveOutReason(v).Label()
	case dim == "outcome":
		if l = domain.DecisionOutcome(v).Label(); l == "" {
			l = domain.GoalOutcome(v).Label()
		}
		if l == "" {
			l = domain.AppealRuling(v).Label()
		}
	}
	switch v {
	case "all":
		l = "Totalt"
	case "children":
		l = "Medföljande barn"
	case "true":
		l = "Ja"
	case "false":
		l = "Nej"
	}
	if l == "" {
		return v
	}
	return l
}

// WriteXLSX writes the report as a workbook: one sheet per table with
// Swedish labels, numbers as numbers, suppressed cells as "för få", and a
// definitions sheet. Text that a spreadsheet would read as a formula is
// written as text. The same report gives the same bytes: the document's
// dates are the report's generated_at.
func WriteXLSX(w io.Writer, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	stamp := r.Meta.GeneratedAt
	if stamp == "" {
		stamp = time.Unix(0, 0).UTC().Format(time.RFC3339)
	}
	title, creator, language := "fristad "+string(r.Meta.Report), "fristad", "sv-SE"
	if err := f.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: creator, LastModifiedBy: creator,
		Title: title, Language: language}); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "Definitioner"); err != nil {
		return err
	}
	if err := writeDefinitions(f, r); err != nil {
		return err
	}
	var order []string
	byTable := map[string][]Cell{}
	for _, c := range r.Cells {
		if _, seen := byTable[c.Table]; !seen {
			order = append(order, c.Table)
		}
		byTable[c.Table] = append(byTable[c.Table], c)
	}
	for _, table := range order {
		if err := writeTable(f, table, byTable[table]); err != nil {
			return err
		}
	}
	var pkg bytes.Buffer
	if err := f.Write(&pkg); err != nil {
		return err
	}
	return replacePart(w, pkg.Bytes(), corePropsPart, coreProperties(title, creator, language, stamp))
}

func writeTable(f *excelize.File, table string, cells []Cell) error {
	name := sheetNames[table]
	if name == "" {
		name = table
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	var dims []string
	for k := range cells[0].Dims {
		dims = append(dims, k)
	}
	sort.Strings(dims)
	header := make([]any, 0, len(dims)+1)
	for _, d := range dims {
		h := dimNames[d]
		if h == "" {
			h = d
		}
		header = append(header, h)
	}
	header = append(header, "Antal")
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return err
	}
	for i, c := range cells {
		row := make([]any, 0, len(dims)+1)
		for _, d := range dims {
			row = append(row, safeText(valueLabel(d, c.Dims[d])))
		}
		switch {
		case c.Suppressed:
			row = append(row, tooFew)
		case c.Value != nil:
			row = append(row, *c.Value)
		default:
			row = append(row, "")
		}
		if err := f.SetSheetRow(name, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return err
		}
	}
	return nil
}

// safeText keeps a spreadsheet from reading text as a formula.
func safeText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeDefinitions(f *excelize.File, r Report) error {
	unit := "alla enheter / all units"
	if r.Meta.Unit != nil {
		unit = *r.Meta.Unit
	}
	rows := [][]any{
		{"Rapport / Report", string(r.Meta.Report)},
		{"Period", r.Meta.From + " – " + r.Meta.To},
		{"Enhet / Unit", safeText(unit)},
		{"Händelser till och med / Events as of", r.Meta.AsOf},
		{"Sista sekvens / Last stream sequence", r.Meta.AsOfSeq},
		{"Tröskel k (celler 1..k−1 visas som \"för få\") / Threshold k", r.Meta.MinCell},
		{"Skapad / Generated", r.Meta.GeneratedAt},
		{},
		{"Räkneregler", "Counting rules"},
		{"Personer räknas, inte ärenden: en person räknas en gång per cell.", "Persons, not cases: a person counts once per cell."},
		{"Aktiv under perioden: aktualiserad senast periodens slut och inte avslutad före periodens början.", "Active in the period: opened on or before the end and not closed before the start."},
		{"Ålder = periodens slutår minus födelseår.", "Age = the end year minus the birth year."},
		{"Rättelser gäller: en rättad uppgift räknas som rättad.", "Corrections apply: a corrected fact counts as corrected."},
		{"Celler med 1 till k−1 personer visas som \"för få\"; ytterligare celler döljs så att ingen dold cell kan räknas fram ur totaler.", "Cells of 1 to k−1 persons show \"för få\"; further cells are hidden so that no hidden cell can be derived from totals."},
		{"Rapporten läser inga personuppgifter.", "The report reads no personal data."},
	}
	for i, row := range rows {
		if err := f.SetSheetRow("Definitioner", fmt.Sprintf("A%d", i+1), &row); err != nil {
			return err
		}
	}
	return nil
}
