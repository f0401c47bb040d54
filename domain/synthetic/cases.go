package synthetic

import (
	"fmt"
	"slices"

	"github.com/fristad/fristad/domain"
)

// texts are invented free-text entries (sealed like any personal data).
var texts = []string{
	"Uppgifter lämnade vid samtal.", "Klienten berättar om kontroll och hot.", "Polisanmälan gjord.",
	"Samråd med enhetschef.", "Barnen har bevittnat våld i hemmet.", "Klienten vill ha stöd att bryta upp.",
}

func (g *gen) text() string { return pick(g, texts...) }

// openCase registers the subject and opens the case; it returns both ids.
func (g *gen) openCase(unit string, group domain.TargetGroup, sex domain.Sex, birthYear int) (person, caseID domain.ID) {
	g.actor = g.worker(unit)
	person = g.person(sex, birthYear)
	caseID = g.id()
	g.add(domain.KindCase, caseID, domain.OpenCase{
		Unit: unit, TargetGroup: group, Source: pick(g, domain.SourceApplication, domain.SourceReport, domain.SourceReport, domain.SourceOther),
		ReceivedOn: g.day, PersonID: person, SpecialNeeds: g.needs(sex, birthYear), Description: g.text(),
		Assignee: g.actor, Today: g.day,
	})
	return person, caseID
}

func (g *gen) preliminary(caseID domain.ID) bool {
	g.later(1, 10)
	open := g.chance(0.88)
	cmd := domain.AssessPreliminary{Decision: domain.PrelimOpenInvestigation, AssessedOn: g.day}
	if !open {
		cmd.Decision, cmd.Reason = domain.PrelimNoInvestigation, g.text()
	}
	g.add(domain.KindCase, caseID, cmd)
	return open
}

func (g *gen) violence(caseID domain.ID, relation domain.Relation, children bool) {
	forms := []domain.ViolenceForm{domain.FormPsychological}
	for _, f := range []domain.ViolenceForm{domain.FormPhysical, domain.FormSexual, domain.FormEconomic, domain.FormMaterial, domain.FormLatent} {
		if g.chance(0.35) {
			forms = append(forms, f)
		}
	}
	from := g.day.AddDays(-30 - g.rng.IntN(700))
	g.add(domain.KindCase, caseID, domain.DocumentViolence{Forms: forms, Relation: relation, PeriodFrom: from, PeriodTo: g.day, ChildrenPresent: children, Description: g.text()})
}

func (g *gen) risk(caseID domain.ID, concerns domain.Concern, child domain.ID, instruments ...domain.Instrument) domain.RiskLevel {
	level := pick(g, domain.RiskLow, domain.RiskMedium, domain.RiskMedium, domain.RiskHigh)
	g.add(domain.KindCase, caseID, domain.AssessRisk{Instrument: pick(g, instruments...), Level: level, Concerns: concerns, ChildID: child, AssessedOn: g.day, Summary: g.text()})
	return level
}

// seedAuthority decides synthetic decisions: a supervisor under the
// default delegation order, which gives a supervisor every mandate.
func seedAuthority() domain.Authority {
	return domain.Authority{Sub: "seed-supervisor", Roles: []string{domain.RoleSupervisor}, Order: domain.DefaultDelegationOrder()}
}

func (g *gen) decide(caseID domain.ID, support domain.SupportType, child domain.ID, granted float64) (domain.ID, int, bool) {
	id := g.id()
	outcome := domain.OutcomeGranted
	if !g.chance(granted) {
		outcome = pick(g, domain.OutcomeDenied, domain.OutcomePartlyGranted)
	}
	goals := []string{"Trygg boendesituation", "Stärkt nätverk", "Bearbeta upplevelser"}[:1+g.rng.IntN(3)]
	cmd := domain.MakeDecision{
		SupportType: support, Outcome: outcome, Goals: goals, ValidFrom: g.day, ValidTo: g.day.AddDays(60 + g.rng.IntN(120)),
		ChildID: child, DecisionID: id, DecidedOn: g.day, Authority: seedAuthority(),
	}
	if domain.ReasonsRequired(support, outcome, child) {
		cmd.Reasons = "Skälen framgår av utredningen." // no draw from rng: the same plans as before reasons were asked for
	}
	g.add(domain.KindCase, caseID, cmd)
	return id, len(goals), outcome != domain.OutcomeDenied
}

func (g *gen) followUp(caseID, decision domain.ID, goals int) {
	outcomes := make([]domain.GoalResult, goals)
	for i := range outcomes {
		outcomes[i] = domain.GoalResult{Goal: fmt.Sprintf("Mål %d", i+1), Outcome: pick(g, domain.GoalFully, domain.GoalFully, domain.GoalPartly, domain.GoalNot)}
	}
	cmd := domain.FollowUp{DecisionID: decision, FollowedUpOn: g.day, Participated: g.chance(0.85), GoalOutcomes: outcomes}
	if g.chance(0.05) {
		cmd.Complaint = "Klagomål på bemötande; åtgärdat genom samtal."
	}
	if g.chance(0.4) {
		cmd.NextFollowUpOn = g.day.AddDays(30 + g.rng.IntN(60))
	}
	g.add(domain.KindCase, caseID, cmd)
}

func (g *gen) notes(caseID domain.ID) {
	for n := g.rng.IntN(4); n > 0; n-- {
		g.later(0, 5)
		g.add(domain.KindCase, caseID, domain.AddNote{Text: g.text(), NoteID: g.id()})
	}
}

func (g *gen) maybeClose(caseID domain.ID, p float64) {
	if !g.chance(p) || g.placed {
		return
	}
	g.later(5, 60)
	g.add(domain.KindCase, caseID, domain.CloseCase{Reason: g.text(), GoalAttainment: pick(g, domain.GoalFully, domain.GoalPartly, domain.GoalNot), ClosedOn: g.day})
}

type child struct {
	id        domain.ID
	birthYear int
	sex       domain.Sex
	decision  domain.ID
	goals     int
}

// adultVictimCase: an adult subjected to violence, often with children,
// sometimes placed in protected housing with them.
func (g *gen) adultVictimCase() {
	unit := pick(g, Units[0], Units[1])
	sex := g.adultSex(true)
	year := g.adultBirthYear()
	_, caseID := g.openCase(unit, domain.AdultVictim, sex, year)
	if !g.preliminary(caseID) {
		g.maybeClose(caseID, 0.9)
		return
	}
	var kids []child
	if g.chance(0.5) {
		for n := 1 + g.rng.IntN(3); n > 0; n-- {
			cy := max(year+18, 2009) + g.rng.IntN(16)
			cy = min(cy, g.day.Year()-1)
			ks := pick(g, domain.SexFemale, domain.SexMale)
			kid := child{id: g.person(ks, cy), birthYear: cy, sex: ks}
			g.add(domain.KindCase, caseID, domain.AddChild{PersonID: kid.id, Relation: pick(g, domain.ChildWitnessed, domain.ChildWitnessed, domain.ChildBoth, domain.ChildSubjected), Today: g.day})
			kids = append(kids, kid)
		}
	}
	g.violence(caseID, pick(g, domain.RelPartner, domain.RelPartner, domain.RelFormerPartner, domain.RelParent, domain.RelOtherRelative), len(kids) > 0)
	instruments := []domain.Instrument{domain.InstrFredaShort, domain.InstrFredaDanger, domain.InstrPATRIARK, domain.InstrClinical}
	if year < 1961 {
		instruments = append(instruments, domain.InstrCheck65)
	}
	level := g.risk(caseID, domain.ConcernAdult, "", instruments...)
	g.add(domain.KindCase, caseID, domain.PlanSafety{For: domain.ConcernAdult, Occasion: domain.OccasionIntake, MadeOn: g.day, Plan: g.text()})

	talks, talkGoals, talksGranted := g.decide(caseID, domain.SupportTalks, "", 0.9)
	if level == domain.RiskHigh || g.chance(0.15) {
		g.protectedHousing(caseID, sex, year, kids)
	}
	g.later(20, 90)
	if talksGranted {
		g.followUp(caseID, talks, talkGoals)
	}
	g.notes(caseID)
	g.maybeClose(caseID, 0.6)
}

func (g *gen) protectedHousing(caseID domain.ID, sex domain.Sex, birthYear int, kids []child) {
	g.later(0, 3)
	housing, goals, granted := g.decide(caseID, domain.SupportProtectedHousing, "", 0.9)
	if !granted {
		return
	}
	var placed []domain.ID
	for i := range kids {
		d, gl, ok := g.decide(caseID, domain.SupportProtectedHousing, kids[i].id, 0.95)
		if ok {
			kids[i].decision, kids[i].goals = d, gl
			placed = append(placed, kids[i].id)
		}
	}
	g.later(0, 2) // the move-in day, which the provider's permit must cover
	pets := g.rng.IntN(2)
	at := g.shelterFor(sex, birthYear, kids, placed, pets)
	provider := at.ID
	g.add(domain.KindCase, caseID, domain.IssueAssignment{
		DecisionID: housing, ProviderID: provider, NeedsAssessment: g.text(), Includes: "Boende och stödsamtal",
		Goals: []string{"Trygg boendesituation"}, FollowUp: "Uppföljning var fjärde vecka", ReturnInformation: "Sammanfattning vid utflytt",
		ResponsibleWorker: g.actor + ", tel 010-123 45 67", AssignmentID: g.id(),
	})
	placement := g.id()
	g.add(domain.KindCase, caseID, domain.StartPlacement{DecisionID: housing, ProviderID: provider, MovedInOn: g.day, ChildIDs: placed, Pets: pets, PlacementID: placement, At: at})
	g.add(domain.KindCase, caseID, domain.PlanSafety{For: domain.ConcernAdult, Occasion: domain.OccasionMoveIn, MadeOn: g.day, Plan: g.text()})
	for _, k := range kids {
		if k.decision == "" {
			continue
		}
		if age := g.day.Year() - k.birthYear; age >= 6 && age <= 17 && g.chance(0.8) {
			g.add(domain.KindCase, caseID, domain.ArrangeSchooling{PlacementID: placement, ChildID: k.id, ArrangedOn: g.day.AddDays(g.rng.IntN(14)), SchoolKind: pick(g, domain.SchoolSame, domain.SchoolNew, domain.SchoolDistance)})
		}
	}
	g.later(3, 14)
	g.add(domain.KindCase, caseID, domain.RecordImplementationPlan{PlacementID: placement, FollowUpOn: g.day.AddDays(30), Participated: g.chance(0.9),
		Activities: []domain.Activity{{Name: "Stödsamtal", Goal: "Bearbeta", Responsible: "Boendepersonal", When: "Varje vecka"}}})
	stay := 14 + g.rng.IntN(150)
	if g.chance(0.3) {
		g.later(10, 30)
		g.add(domain.KindCase, caseID, domain.ExtendPlacement{PlacementID: placement, Until: g.day.AddDays(200 + stay)})
	}
	g.placed = true
	if g.chance(0.75) {
		g.placed = false
		g.later(stay/2, stay)
		g.add(domain.KindCase, caseID, domain.MoveOut{PlacementID: placement, MovedOutOn: g.day,
			Reason: pick(g, domain.MoveOutPermanentHousing, domain.MoveOutPermanentHousing, domain.MoveOutReturnedHome, domain.MoveOutOtherShelter, domain.MoveOutBrokeOff), GoalAttainment: pick(g, domain.GoalFully, domain.GoalPartly, domain.GoalNot)})
		g.add(domain.KindCase, caseID, domain.PlanSafety{For: domain.ConcernAdult, Occasion: domain.OccasionMoveOut, MadeOn: g.day, Plan: g.text()})
		g.followUp(caseID, housing, goals)
		for _, k := range kids {
			if k.decision != "" {
				g.followUp(caseID, k.decision, k.goals)
			}
		}
	}
}

// perpetratorCase: a person using violence in treatment, with a partner
// contact in about half of the cases.
func (g *gen) perpetratorCase() {
	unit := pick(g, Units[0], Units[1])
	sex := g.adultSex(false)
	_, caseID := g.openCase(unit, domain.Perpetrator, sex, g.adultBirthYear())
	g.preliminary(caseID)
	g.risk(caseID, domain.ConcernAdult, "", domain.InstrSARA, domain.InstrSAM, domain.InstrClinical)
	treatment, goals, granted := g.decide(caseID, domain.SupportPerpetratorTreatment, "", 0.95)
	if granted && g.chance(0.5) {
		g.partnerContact(caseID)
	}
	g.later(30, 120)
	if granted {
		g.followUp(caseID, treatment, goals)
	}
	g.notes(caseID)
	g.maybeClose(caseID, 0.5)
}

func (g *gen) partnerContact(treatmentCase domain.ID) {
	caseWorker := g.actor
	g.actor = fmt.Sprintf("beh-%02d", 1+g.rng.IntN(8))
	// The treatment side knows the partner only by name and contact details
	// (API.md); the partner's personal file starts from those.
	offer := domain.OfferPartnerContact{
		TreatmentCaseID: treatmentCase, ChildrenInContact: g.rng.IntN(3), Today: g.day,
		Partner: domain.PartnerDetails{
			Name:  pick(g, firstNames[domain.SexFemale]...) + " " + pick(g, lastNames...),
			Phone: fmt.Sprintf("073-%03d %02d %02d", g.rng.IntN(1000), g.rng.IntN(100), g.rng.IntN(100)),
		},
	}
	partner, contact := g.id(), g.id()
	g.add(domain.KindPerson, partner, offer.RegisterPartner())
	offer.PartnerID = partner
	// The contact's two records (ADR 0200): the treatment side's is
	// domain.KindPartnerContact, the partner side's domain.KindPartnerSide.
	const treatment, partnerSide = domain.KindPartnerContact, domain.KindPartnerSide
	g.add(treatment, contact, offer)
	g.cross(partnerSide, contact, domain.OpenPartnerSide{TreatmentCaseID: treatmentCase, PartnerID: partner, ChildrenInContact: offer.ChildrenInContact})
	defer func() { g.actor = caseWorker }()
	if g.chance(0.08) {
		// The treatment side's exception lands on the partner side's record.
		g.add(partnerSide, contact, domain.ReceiveException{Reason: pick(g, domain.ExceptionProtectedHousing, domain.ExceptionAbroad, domain.ExceptionNoRecentContact, domain.ExceptionControllingPattern)})
		g.add(treatment, contact, domain.EndPartnerContact{Reason: g.text(), EndedOn: g.day})
		g.cross(partnerSide, contact, domain.NoteTreatmentSide{Ended: true, EndedOn: g.day})
		return
	}
	g.later(1, 7)
	if !g.chance(0.7) {
		g.add(treatment, contact, domain.RecordConsent{Status: domain.ConsentRefused, SignedOn: g.day})
		g.cross(partnerSide, contact, domain.NoteTreatmentSide{Consent: domain.ConsentRefused})
		return
	}
	g.add(treatment, contact, domain.RecordConsent{Status: domain.ConsentGiven, SignedOn: g.day, Document: "Samtycke undertecknat " + g.day.String()})
	g.add(treatment, contact, domain.ChangeTreatmentStatus{Status: domain.TreatmentOngoing})
	g.cross(partnerSide, contact, domain.NoteTreatmentSide{Consent: domain.ConsentGiven, TreatmentStatus: domain.TreatmentOngoing})
	partnerWorker := fmt.Sprintf("pk-%02d", 1+g.rng.IntN(4))
	g.actor = partnerWorker
	g.later(1, 10)
	reached := g.chance(0.8)
	outcome := domain.ApproachNotReached
	if reached {
		outcome = domain.ApproachReached
	}
	g.add(partnerSide, contact, domain.RecordApproach{Channel: pick(g, domain.ChannelLetter, domain.ChannelPhone, domain.ChannelSMS), Outcome: outcome, On: g.day})
	if !reached {
		return
	}
	accepted := g.chance(0.6)
	g.add(partnerSide, contact, domain.RecordResponse{Accepted: accepted})
	if !accepted {
		return
	}
	g.add(partnerSide, contact, domain.AssessPartnerRisk{Instrument: pick(g, domain.InstrFredaShort, domain.InstrSARA), Level: pick(g, domain.RiskLow, domain.RiskMedium, domain.RiskHigh), Concerns: domain.ConcernPartner, AssessedOn: g.day, Summary: g.text()})
	g.add(partnerSide, contact, domain.PlanPartnerSafety{For: domain.ConcernPartner, MadeOn: g.day, Plan: g.text()})
	if g.chance(0.3) {
		// A signal is recorded on the receiving side's record only.
		g.add(treatment, contact, domain.ReceiveSignal{Category: pick(g, domain.SignalEscalation, domain.SignalIncreasedFear, domain.SignalChildConcern, domain.SignalWantsToEnd), From: domain.SidePartnerContact})
	}
	if g.chance(0.1) {
		g.later(5, 40)
		g.add(partnerSide, contact, domain.ReportNewViolence{ReportedOn: g.day, ChildrenAffected: g.chance(0.3)})
	}
	g.actor = fmt.Sprintf("beh-%02d", 1+g.rng.IntN(8))
	if g.chance(0.6) {
		g.later(30, 120)
		status := pick(g, domain.TreatmentCompleted, domain.TreatmentCompleted, domain.TreatmentDroppedOut)
		g.add(treatment, contact, domain.ChangeTreatmentStatus{Status: status})
		g.add(treatment, contact, domain.EndPartnerContact{Reason: g.text(), EndedOn: g.day})
		g.cross(partnerSide, contact, domain.NoteTreatmentSide{Consent: domain.ConsentGiven, TreatmentStatus: status, Ended: true, EndedOn: g.day})
	}
}

// childCase: a child's own case (child subjected to or witnessing violence).
func (g *gen) childCase() {
	unit := pick(g, Units[2], Units[3])
	group := pick(g, domain.ChildVictim, domain.ChildWitness)
	year := max(2009, g.day.Year()-17) + g.rng.IntN(15)
	year = min(year, g.day.Year()-1)
	_, caseID := g.openCase(unit, group, pick(g, domain.SexFemale, domain.SexMale), year)
	if !g.preliminary(caseID) {
		g.maybeClose(caseID, 0.9)
		return
	}
	g.violence(caseID, pick(g, domain.RelParent, domain.RelParent, domain.RelSibling, domain.RelOtherRelative), true)
	g.risk(caseID, domain.ConcernChild, "", domain.InstrFredaShort, domain.InstrClinical)
	support, goals, granted := g.decide(caseID, domain.SupportChild, "", 0.9)
	g.later(20, 90)
	if granted {
		g.followUp(caseID, support, goals)
	}
	g.notes(caseID)
	g.maybeClose(caseID, 0.6)
}

// shelterFor picks, among the registry's providers that can take the
// household on the move-in day (as matching says, vacancies aside), one
// of the best matches; the municipality's own shelter takes anyone.
func (g *gen) shelterFor(sex domain.Sex, birthYear int, kids []child, placed []domain.ID, pets int) *domain.Provider {
	h := domain.Household{Adults: 1, Pets: pets, On: g.day}
	switch sex {
	case domain.SexFemale:
		h.TargetGroup = domain.ProvidesWomen
	case domain.SexMale:
		h.TargetGroup = domain.ProvidesMen
	}
	for _, k := range kids {
		if slices.Contains(placed, k.id) {
			h.Children = append(h.Children, domain.ChildNeed{Age: g.day.Year() - k.birthYear, Sex: k.sex})
		}
	}
	age := g.day.Year() - birthYear
	h.YoungAdult = age >= 18 && age <= 25
	reg := registry()
	for i := range reg {
		reg[i].Vacancies = nil // the synthetic population does not track places
	}
	var fits []domain.ID
	for _, m := range domain.MatchProviders(h, reg) {
		if m.Fits && (len(fits) < 3) {
			fits = append(fits, m.ProviderID)
		}
	}
	id := Providers[2] // the municipality's own shelter
	if len(fits) > 0 {
		id = pick(g, fits...)
	}
	for i := range reg {
		if reg[i].ID == id {
			p := reg[i]
			return &p
		}
	}
	return nil
}
