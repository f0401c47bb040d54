package reports

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// mappingWorld is the golden test's population. Ages are 2026 minus the
// birth year.
//
//	P1 woman 1980: two adult_victim cases K1 (from 2025, children C1, C2)
//	   and K2; protected housing PL1 (2025-12-20..2026-01-10, with C1 and
//	   C2) and PL3 (from 2026-01-05, open) overlapping it
//	P2 woman 1985: K3, violence "physical" corrected to "psychological"
//	P3 woman 1990: K4 opened as perpetrator, corrected to adult_victim
//	P4 woman 1995: K5, support talks denied; a correction to granted is
//	   recorded after as_of
//	P5 registered with sex unknown, then changed to man, 1970: K6
//	P6 man 1975: perpetrator case K7 closed 2025-12-15 (before the period)
//	P7 man 1988: perpetrator case K8 with two partner contacts
//	C1 girl 2016 (witnessed), C2 boy 2020 (both; his own decision D2),
//	C3 boy 2012: his own child_victim case K9 in unit "barn"
func mappingWorld() (envs []*eventstore.Envelope, asOf time.Time) {
	s := newStream()
	reg := on("2025-10-01")
	s.person(reg, "P1", domain.SexFemale, 1980)
	s.person(reg, "P2", domain.SexFemale, 1985)
	s.person(reg, "P3", domain.SexFemale, 1990)
	s.person(reg, "P4", domain.SexFemale, 1995)
	s.person(reg, "P5", domain.SexUnknown, 1970)
	s.at(on("2025-10-02"), domain.KindPerson, "P5", domain.PersonDetailsChanged{Sex: domain.SexMale, BirthYear: 1970})
	s.person(reg, "P6", domain.SexMale, 1975)
	s.person(reg, "P7", domain.SexMale, 1988)
	s.person(reg, "C1", domain.SexFemale, 2016)
	s.person(reg, "C2", domain.SexMale, 2020)
	s.person(reg, "C3", domain.SexMale, 2012)

	open := func(id domain.ID, person domain.ID, g domain.TargetGroup, unit, received string, needs ...domain.SpecialNeed) domain.ID {
		return s.kase(on(received), id, domain.CaseOpened{Unit: unit, TargetGroup: g, Source: domain.SourceApplication,
			ReceivedOn: day(received), PersonID: person, Assignee: "anna", SpecialNeeds: needs})
	}
	violence := func(id domain.ID, when string, forms ...domain.ViolenceForm) domain.ID {
		return s.kase(on(when), id, domain.ViolenceDocumented{Forms: forms, Relation: domain.RelPartner})
	}
	decide := func(id, dec domain.ID, st domain.SupportType, o domain.DecisionOutcome, from string, child domain.ID) domain.ID {
		goals := 1
		if !o.Granted() {
			goals = 0
		}
		return s.kase(on(from), id, domain.DecisionMade{DecisionID: dec, SupportType: st, Outcome: o, GoalCount: goals, ValidFrom: day(from), ChildID: child})
	}
	investigate := func(id domain.ID, when string, instruments ...domain.Instrument) {
		s.kase(on(when), id, domain.InvestigationOpened{OpenedOn: day(when)})
		for _, i := range instruments {
			s.kase(on(when), id, domain.RiskAssessed{Instrument: i, Level: domain.RiskHigh, Concerns: domain.ConcernAdult, AssessedOn: day(when)})
		}
	}
	G, D := domain.OutcomeGranted, domain.OutcomeDenied

	// K1: P1, opened before the period.
	open("K1", "P1", domain.AdultVictim, "vuxen", "2025-11-01", domain.NeedHasPet)
	investigate("K1", "2025-11-05", domain.InstrFredaShort)
	violence("K1", "2025-11-06", domain.FormPhysical, domain.FormPsychological)
	s.kase(on("2025-11-07"), "K1", domain.ChildAdded{ChildID: "C1", Relation: domain.ChildWitnessed})
	s.kase(on("2025-11-07"), "K1", domain.ChildAdded{ChildID: "C2", Relation: domain.ChildBoth})
	decide("K1", "D1", domain.SupportProtectedHousing, G, "2025-12-20", "")
	s.kase(on("2025-12-20"), "K1", domain.PlacementStarted{PlacementID: "PL1", DecisionID: "D1", ProviderID: "SH1", MovedInOn: day("2025-12-20"), ChildIDs: []domain.ID{"C1", "C2"}})
	s.kase(on("2025-12-28"), "K1", domain.SchoolingArranged{PlacementID: "PL1", ChildID: "C1", ArrangedOn: day("2025-12-28"), SchoolKind: domain.SchoolNew})
	decide("K1", "D2", domain.SupportProtectedHousing, G, "2026-01-05", "C2")
	s.kase(on("2026-01-10"), "K1", domain.MovedOut{PlacementID: "PL1", MovedOutOn: day("2026-01-10"), Reason: domain.MoveOutOtherShelter, GoalAttainment: domain.GoalPartly})

	// K2: P1 again; a second placement overlapping the first.
	open("K2", "P1", domain.AdultVictim, "vuxen", "2026-01-04")
	investigate("K2", "2026-01-06", domain.InstrFredaShort)
	violence("K2", "2026-01-06", domain.FormSexual)
	decide("K2", "D3", domain.SupportProtectedHousing, G, "2026-01-05", "")
	s.kase(on("2026-01-05"), "K2", domain.PlacementStarted{PlacementID: "PL3", DecisionID: "D3", ProviderID: "SH2", MovedInOn: day("2026-01-05"), ChildIDs: []domain.ID{}})
	decide("K2", "D8", domain.SupportTalks, G, "2026-03-10", "")

	// K3: P2; the violence form is corrected.
	open("K3", "P2", domain.AdultVictim, "vuxen", "2026-02-01", domain.NeedDisability)
	investigate("K3", "2026-02-03", domain.InstrClinical)
	v := violence("K3", "2026-02-03", domain.FormPhysical)
	decide("K3", "D4", domain.SupportTalks, G, "2026-02-10", "")
	s.correct(on("2026-02-20"), "K3", v, "case.violence_documented", `{"forms":["psychological"]}`)

	// K4: P3, opened as a perpetrator case by mistake.
	k4 := open("K4", "P3", domain.Perpetrator, "vuxen", "2026-04-01", domain.NeedDisability)
	investigate("K4", "2026-04-02", domain.InstrSARA, domain.InstrFredaDanger)
	s.correct(on("2026-04-03"), "K4", k4, "case.opened", `{"target_group":"adult_victim"}`)
	violence("K4", "2026-04-03", domain.FormPhysical)
	decide("K4", "D7", domain.SupportTalks, G, "2026-04-10", "")

	// K5: P4, denied; corrected to granted only after as_of (at the end).
	open("K5", "P4", domain.AdultVictim, "vuxen", "2026-05-01")
	violence("K5", "2026-05-02", domain.FormPsychological)
	d5 := decide("K5", "D5", domain.SupportTalks, D, "2026-05-10", "")

	// K6: P5, an investigation without any assessment.
	open("K6", "P5", domain.AdultVictim, "vuxen", "2026-06-01", domain.NeedDisability)
	investigate("K6", "2026-06-02")
	violence("K6", "2026-06-02", domain.FormPhysical)
	decide("K6", "D9", domain.SupportTalks, G, "2026-06-10", "")

	// K7: P6, closed before the period.
	open("K7", "P6", domain.Perpetrator, "vuxen", "2025-01-01")
	s.kase(on("2025-12-15"), "K7", domain.CaseClosed{ClosedOn: day("2025-12-15"), GoalAttainment: domain.GoalNot})

	// K8: P7 in treatment, two partner contacts in the period, one before.
	open("K8", "P7", domain.Perpetrator, "vuxen", "2026-01-15")
	s.contact(on("2025-06-01"), "PC3", domain.PartnerContactOffered{TreatmentCaseID: "K7", PartnerID: "P1"})
	s.contact(on("2025-06-02"), "PC3", domain.ConsentRecorded{Status: domain.ConsentGiven, SignedOn: day("2025-06-02")})
	s.contact(on("2026-02-01"), "PC1", domain.PartnerContactOffered{TreatmentCaseID: "K8", PartnerID: "P2"})
	s.contact(on("2026-02-02"), "PC1", domain.ConsentRecorded{Status: domain.ConsentGiven, SignedOn: day("2026-02-02")})
	s.contact(on("2026-02-03"), "PC1", domain.PartnerApproached{Channel: domain.ChannelPhone, Outcome: domain.ApproachReached, On: day("2026-02-03")})
	s.contact(on("2026-02-04"), "PC1", domain.PartnerResponded{Accepted: true})
	s.contact(on("2026-03-01"), "PC2", domain.PartnerContactOffered{TreatmentCaseID: "K8", PartnerID: "P4"})
	s.contact(on("2026-03-02"), "PC2", domain.ConsentRecorded{Status: domain.ConsentRefused, SignedOn: day("2026-03-02")})

	// K9: C3's own case in another unit.
	open("K9", "C3", domain.ChildVictim, "barn", "2026-02-01")
	s.kase(on("2026-02-01"), "K9", domain.ViolenceDocumented{Forms: []domain.ViolenceForm{domain.FormPhysical}, Relation: domain.RelParent})
	decide("K9", "D6", domain.SupportChild, G, "2026-02-05", "")

	// After as_of: D5 corrected to granted.
	asOf = time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	s.correct(on("2027-02-01"), "K5", d5, "case.decision_made", `{"outcome":"granted","goal_count":1}`)
	return s.envs, asOf
}

var generatedAt = time.Date(2027, 1, 20, 10, 0, 0, 0, time.UTC)

func mappingParams(asOf time.Time, k int) Params {
	return Params{Report: Mapping, From: day("2026-01-01"), To: day("2026-12-31"), AsOf: asOf, MinCell: k, GeneratedAt: generatedAt}
}

func TestGoldenMapping(t *testing.T) {
	envs, asOf := mappingWorld()
	r := build(t, mappingParams(asOf, 3), envs).Report()

	// Written out by hand from the population above, k = 3. "null" is a
	// suppressed cell; every cell not listed is a shown zero.
	want := map[string]string{
		// P1..P4 women (P1 once for two cases, P3 by the corrected group),
		// P5 a man. The man (1) is suppressed; the women (4) are
		// suppressed too, or 5 - 4 - 0 - 0 would give him away.
		"persons|sex=female;target_group=adult_victim": "null",
		"persons|sex=male;target_group=adult_victim":   "null",
		"persons|sex=all;target_group=adult_victim":    "5",
		// C2 (subjected in K1) and C3 (own case).
		"persons|sex=male;target_group=child_victim": "null",
		"persons|sex=all;target_group=child_victim":  "null",
		// C1 and C2 (both).
		"persons|sex=female;target_group=child_witness": "null",
		"persons|sex=male;target_group=child_witness":   "null",
		"persons|sex=all;target_group=child_witness":    "null",
		// P7 only: P6's case closed before the period, P3 was corrected away.
		"persons|sex=male;target_group=perpetrator": "null",
		"persons|sex=all;target_group=perpetrator":  "null",

		"persons_by_age|age_band=25-64;target_group=adult_victim": "5",
		"persons_by_age|age_band=6-12;target_group=child_victim":  "null", // C2, 6
		"persons_by_age|age_band=13-17;target_group=child_victim": "null", // C3, 14
		"persons_by_age|age_band=6-12;target_group=child_witness": "null", // C1 10, C2 6
		"persons_by_age|age_band=25-64;target_group=perpetrator":  "null", // P7, 38

		"special_needs|need=has_pet;target_group=adult_victim":    "null", // P1
		"special_needs|need=disability;target_group=adult_victim": "3",    // P2, P3, P5

		// physical: P1, P3, P5 (P2's was corrected); psychological: P1, P2, P4.
		"violence_forms|form=physical;target_group=adult_victim":      "3",
		"violence_forms|form=psychological;target_group=adult_victim": "3",
		"violence_forms|form=sexual;target_group=adult_victim":        "null",
		"violence_forms|form=physical;target_group=child_victim":      "null",

		// D2 (C2's own decision, a subjected child) and D3 (P1); D1 is dated
		// before the period.
		"decisions|outcome=granted;sex=female;support_type=protected_housing;target_group=adult_victim": "null",
		"decisions|outcome=granted;sex=all;support_type=protected_housing;target_group=adult_victim":    "null",
		"decisions|outcome=granted;sex=male;support_type=protected_housing;target_group=child_victim":   "null",
		"decisions|outcome=granted;sex=all;support_type=protected_housing;target_group=child_victim":    "null",
		// D8 P1, D4 P2, D7 P3 women, D9 P5 a man: the women are suppressed
		// alongside him.
		"decisions|outcome=granted;sex=female;support_type=support_talks;target_group=adult_victim": "null",
		"decisions|outcome=granted;sex=male;support_type=support_talks;target_group=adult_victim":   "null",
		"decisions|outcome=granted;sex=all;support_type=support_talks;target_group=adult_victim":    "4",
		// D5: still denied as of as_of.
		"decisions|outcome=denied;sex=female;support_type=support_talks;target_group=adult_victim": "null",
		"decisions|outcome=denied;sex=all;support_type=support_talks;target_group=adult_victim":    "null",
		"decisions|outcome=granted;sex=male;support_type=child_support;target_group=child_victim":  "null",
		"decisions|outcome=granted;sex=all;support_type=child_support;target_group=child_victim":   "null",

		"placements|sex=female":   "null", // P1
		"placements|sex=children": "null", // C1, C2
		// P1: PL1 Jan 1-9 and PL3 Jan 5-Dec 31 together are all 365 days;
		// C1 and C2 9 days each in PL1 (clipped at the period's start,
		// move-out day not counted).
		"placement_days|":                              "383",
		"schooling|status=arranged":                    "null", // C1
		"schooling|status=not_arranged":                "null", // C2, 6
		"risk_instruments|instrument=freda_short":      "null", // K2 (K1's investigation is from 2025)
		"risk_instruments|instrument=freda_danger":     "null", // K4
		"risk_instruments|instrument=sara":             "null", // K4
		"risk_instruments|instrument=clinical":         "null", // K3
		"risk_instruments|instrument=any_standardized": "null", // K2, K4
		"risk_instruments|instrument=none":             "null", // K6
		"partner_contact|step=accepted":                "null", // PC1
		"partner_contact|step=consent_refused":         "null", // PC2; PC3 is from 2025
		// K9 is a child's case: its preliminary assessment was due in 14
		// days and never recorded.
		"deadlines|deadline=preliminary_14_days;met=no": "null",
	}
	checkCells(t, r, want)
	if n := len(r.Cells); n != 4*5+4*7+4*9+4*9+10*3*4*5+5+1+2+10+7+9+6 {
		t.Errorf("%d cells, want 760", n)
	}
	// Tables in REPORTS.md order, rows in vocabulary order then "all".
	var tables []string
	for _, c := range r.Cells {
		if len(tables) == 0 || tables[len(tables)-1] != c.Table {
			tables = append(tables, c.Table)
		}
	}
	wantTables := []string{"persons", "persons_by_age", "special_needs", "violence_forms", "decisions", "placements", "placement_days", "schooling", "risk_instruments", "partner_contact", "reports_of_concern", "deadlines"}
	if !equalStrings(tables, wantTables) {
		t.Errorf("tables %v, want %v", tables, wantTables)
	}
	for i, k := range []string{
		"persons|sex=female;target_group=adult_victim", "persons|sex=male;target_group=adult_victim",
		"persons|sex=other;target_group=adult_victim", "persons|sex=unknown;target_group=adult_victim",
		"persons|sex=all;target_group=adult_victim", "persons|sex=female;target_group=child_victim",
	} {
		if got := cellKey(r.Cells[i]); got != k {
			t.Errorf("cell %d is %s, want %s", i, got, k)
		}
	}

	wantMeta := `{"report":"mapping","from":"2026-01-01","to":"2026-12-31","unit":null,"as_of":"2027-01-15T00:00:00Z","as_of_seq":` +
		itoa(uint64(len(envs)-1)) + `,"min_cell":3,"generated_at":"2027-01-20T10:00:00Z"}`
	if b, _ := json.Marshal(r.Meta); string(b) != wantMeta {
		t.Errorf("meta\n got %s\nwant %s", b, wantMeta)
	}
}

// TestGoldenMappingTrueValues checks the figures behind the suppressed
// cells (k = 1 suppresses nothing), and that as_of keeps out the later
// correction while a report without as_of applies it.
func TestGoldenMappingTrueValues(t *testing.T) {
	envs, asOf := mappingWorld()
	r := build(t, mappingParams(asOf, 1), envs).Report()
	got := map[string]string{}
	for _, c := range r.Cells {
		got[cellKey(c)] = shown(c)
	}
	for k, v := range map[string]string{
		"persons|sex=female;target_group=adult_victim":                                                "4",
		"persons|sex=male;target_group=adult_victim":                                                  "1",
		"persons|sex=all;target_group=child_witness":                                                  "2",
		"persons|sex=all;target_group=perpetrator":                                                    "1",
		"decisions|outcome=granted;sex=female;support_type=support_talks;target_group=adult_victim":   "3",
		"decisions|outcome=denied;sex=female;support_type=support_talks;target_group=adult_victim":    "1",
		"decisions|outcome=granted;sex=all;support_type=protected_housing;target_group=adult_victim":  "1", // D3; D2 is the child's (child_victim)
		"risk_instruments|instrument=any_standardized":                                                "2",
		"placements|sex=children":                                                                     "2",
		"schooling|status=arranged":                                                                   "1",
		"violence_forms|form=sexual;target_group=adult_victim":                                        "1",
		"decisions|outcome=granted;sex=male;support_type=protected_housing;target_group=child_victim": "1",
	} {
		if got[k] != v {
			t.Errorf("k=1: %s = %s, want %s", k, got[k], v)
		}
	}

	later := build(t, mappingParams(time.Time{}, 3), envs).Report()
	got = map[string]string{}
	for _, c := range later.Cells {
		got[cellKey(c)] = shown(c)
	}
	for k, v := range map[string]string{
		"decisions|outcome=granted;sex=all;support_type=support_talks;target_group=adult_victim":   "5",
		"decisions|outcome=denied;sex=all;support_type=support_talks;target_group=adult_victim":    "0",
		"decisions|outcome=denied;sex=female;support_type=support_talks;target_group=adult_victim": "0",
	} {
		if got[k] != v {
			t.Errorf("without as_of: %s = %s, want %s", k, got[k], v)
		}
	}
	if later.Meta.AsOf != "2027-02-01T09:00:00Z" || later.Meta.AsOfSeq != uint64(len(envs)) {
		t.Errorf("without as_of: as_of %q seq %d", later.Meta.AsOf, later.Meta.AsOfSeq)
	}
}

func TestGoldenMappingUnit(t *testing.T) {
	envs, asOf := mappingWorld()
	p := mappingParams(asOf, 1)
	p.Unit = "barn"
	b := build(t, p, envs)
	if u := b.Units(); !equalStrings(u, []string{"barn", "vuxen"}) {
		t.Errorf("units %v", u)
	}
	r := b.Report()
	checkCells(t, r, map[string]string{
		"persons|sex=male;target_group=child_victim":                                              "1",
		"persons|sex=all;target_group=child_victim":                                               "1",
		"persons_by_age|age_band=13-17;target_group=child_victim":                                 "1",
		"violence_forms|form=physical;target_group=child_victim":                                  "1",
		"decisions|outcome=granted;sex=male;support_type=child_support;target_group=child_victim": "1",
		"decisions|outcome=granted;sex=all;support_type=child_support;target_group=child_victim":  "1",
		"deadlines|deadline=preliminary_14_days;met=no":                                           "1",
	})
	if r.Meta.Unit == nil || *r.Meta.Unit != "barn" {
		t.Errorf("meta unit %v", r.Meta.Unit)
	}
}

// TestSealedIgnored: the report reads facts only, so sealed personal data
// (here: garbage, as after every key is destroyed) changes nothing.
func TestSealedIgnored(t *testing.T) {
	envs, asOf := mappingWorld()
	var a, b bytes.Buffer
	_ = WriteJSON(&a, build(t, mappingParams(asOf, 3), envs).Report())
	for _, e := range envs {
		c := *e
		c.Sealed = &eventstore.Sealed{Key: "person.X", Nonce: []byte{1}, Data: []byte("destroyed")}
		*e = c
	}
	_ = WriteJSON(&b, build(t, mappingParams(asOf, 3), envs).Report())
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("sealed data changed the report")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func itoa(n uint64) string { b, _ := json.Marshal(n); return string(b) }
