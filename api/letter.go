package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/go-pdf/fpdf"
	"github.com/labstack/echo/v4"
)

// The decision letter (beslutsbrev, FL 33 §): Swedish, produced from the
// record alone (the decision's facts, its sealed goals and reasons as
// corrected, the person's name), never stored as free text. A protected
// person's letter carries no address, phone or shelter; no letter carries
// a placement's provider or anyone's whereabouts but an unprotected
// recipient's own postal address.

// decisionLetter serves GET /cases/{id}/decisions/{did}/letter.
func (s *Server) decisionLetter(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	did, err := pathID(c, "did")
	if err != nil {
		return err
	}
	h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
	if err != nil {
		return err
	}
	if !h.Exists() {
		return errNotFound()
	}
	cs := eventstore.State(s.cases, h)
	if !caseWorkScope(p, cs) {
		return errNotFound()
	}
	d, ok := cs.Decision(did)
	if !ok {
		return errNotFound()
	}
	texts, err := s.decisionTexts(c, h, did)
	if err != nil {
		return err
	}
	// The recipient's name always; the postal address only when the
	// person is not protected.
	subject, err := s.personView(c, p, cs.PersonID)
	if err != nil {
		return err
	}
	in := letterInput{caseID: id, decision: d, goals: texts.Goals, reasons: texts.Reasons}
	t := caseTarget(cs)
	t.detail = "decision_letter"
	if subject != nil {
		in.name = subject.Name
		t.protected = protectedIn(subject)
	}
	if d.ChildID != "" {
		child, err := s.personView(c, p, d.ChildID)
		if err != nil {
			return err
		}
		if child != nil {
			in.childName = child.Name
			t.protected = t.protected || protectedIn(child)
		}
	}
	// A postal address only when no one the letter names is protected: a
	// protected child's home is where the parent lives.
	if subject != nil && !t.protected {
		in.address = subject.Address
	}
	t.withheld = t.protected // the letter leaves every protected person's whereabouts out
	if d.Replaces != "" {
		if old, ok := cs.Decision(d.Replaces); ok {
			in.replaced = &old
		}
	}
	if err := s.logAccess(c, p, actReadCaseFile, t); err != nil {
		return err
	}
	pdf, err := renderLetter(letterLines(in), s.now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="beslut-`+string(did)+`.pdf"`)
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}

// decisionTexts opens a decision's goals and reasons, with corrections of
// those personal fields applied in order.
func (s *Server) decisionTexts(c echo.Context, h *eventstore.History, did domain.ID) (domain.GoalTexts, error) {
	var out domain.GoalTexts
	var eventID domain.ID
	for i := range h.Events {
		e := &h.Events[i]
		switch f := e.Facts.(type) {
		case domain.DecisionMade:
			if f.DecisionID != did {
				continue
			}
			eventID = e.ID
			v, err := s.store.Unseal(c.Request().Context(), e)
			if shreddedErr(err) {
				return domain.GoalTexts{Reasons: Destroyed}, nil // culled: the letter says so
			}
			if err != nil {
				return out, err
			}
			if g, ok := v.(*domain.GoalTexts); ok {
				out = *g
			}
		case domain.Corrected:
			if eventID == "" || f.EventID != eventID || e.Sealed == nil {
				continue
			}
			v, err := s.store.Unseal(c.Request().Context(), e)
			if shreddedErr(err) {
				continue
			}
			if err != nil {
				return out, err
			}
			if ct, ok := v.(*domain.CorrectionTexts); ok && len(ct.Corrected) > 0 {
				patched := out
				if err := domain.DecodeStrict(ct.Corrected, &patched); err == nil {
					out = patched
				}
			}
		}
	}
	return out, nil
}

// shreddedErr reports whether personal data was destroyed (culled).
func shreddedErr(err error) bool {
	var shredded *eventstore.ShreddedError
	return errors.As(err, &shredded)
}

type letterInput struct {
	caseID    domain.ID
	decision  domain.Decision
	replaced  *domain.Decision
	goals     []string
	reasons   string
	name      string
	address   string // "" for a protected person
	childName string
}

// letterLine is a heading or a paragraph.
type letterLine struct {
	heading bool
	text    string
}

var outcomeVerb = map[domain.DecisionOutcome]string{
	domain.OutcomeGranted:       "beviljar",
	domain.OutcomePartlyGranted: "beviljar delvis",
	domain.OutcomeDenied:        "avslår",
}

var roleLabel = map[string]string{domain.RoleCaseworker: "handläggare", domain.RoleSupervisor: "enhetschef"}

// letterLines is the letter's content, in Swedish, from the record.
func letterLines(in letterInput) []letterLine {
	d := in.decision
	var ls []letterLine
	head := func(s string) { ls = append(ls, letterLine{heading: true, text: s}) }
	para := func(format string, a ...any) { ls = append(ls, letterLine{text: fmt.Sprintf(format, a...)}) }

	head("Socialnämnden – beslut om bistånd")
	para("Till: %s", in.name)
	if in.address != "" {
		para("%s", in.address)
	}
	para("Ärende: %s    Beslut: %s    Beslutsdatum: %s", in.caseID, d.DecisionID, d.Date())

	head("Beslut")
	what := strings.ToLower(d.SupportType.Label())
	if in.childName != "" {
		para("Socialnämnden %s bistånd i form av %s för barnet %s enligt socialtjänstlagen.", outcomeVerb[d.Outcome], what, in.childName)
	} else {
		para("Socialnämnden %s din ansökan om bistånd i form av %s enligt socialtjänstlagen.", outcomeVerb[d.Outcome], what)
	}
	switch {
	case in.replaced != nil && d.ByCourt:
		para("Förvaltningsrätten ändrade den %s beslutet %s av den %s. Domstolens beslut gäller i dess ställe.", d.Date(), in.replaced.DecisionID, in.replaced.Date())
	case in.replaced != nil:
		para("Detta beslut ändrar beslutet %s av den %s efter överklagande och gäller i dess ställe.", in.replaced.DecisionID, in.replaced.Date())
	}
	if d.Outcome.Granted() {
		if d.ValidTo.IsZero() {
			para("Beslutet gäller från och med %s.", d.ValidFrom)
		} else {
			para("Beslutet gäller från och med %s till och med %s.", d.ValidFrom, d.ValidTo)
		}
		if len(in.goals) > 0 {
			head("Mål med insatsen")
			for i, g := range in.goals {
				para("%d. %s", i+1, g)
			}
		}
	}

	head("Skäl för beslutet")
	switch {
	case d.ByCourt:
		para("Skälen framgår av förvaltningsrättens dom.")
	case in.reasons != "":
		para("%s", in.reasons)
	case d.Outcome == domain.OutcomeGranted:
		para("Du får det du har ansökt om. Beslutet har därför inte någon särskild motivering (förvaltningslagen 32 §).")
	default:
		para("Skälen har inte registrerats för detta beslut.")
	}

	head("Beslutsfattare")
	if d.ByCourt {
		para("Beslutet är förvaltningsrättens. Hur domen överklagas framgår av domen.")
		return ls
	}
	if d.UnderDelegation() {
		para("Beslutet är fattat av %s (%s) på socialnämndens delegation, punkt %s i delegationsordningen.", d.DecidedBy, roleLabel[d.DecidedAs], d.Point)
	} else {
		para("Beslutet fattades innan beslut registrerades enligt delegationsordningen; beslutsfattaren finns inte registrerad i detta system.")
	}

	if domain.GoesAgainst(d.Outcome) || (d.ChildID != "" && d.SupportType == domain.SupportProtectedHousing) {
		head("Hur man överklagar")
		para("Om du inte är nöjd med beslutet kan du överklaga det till förvaltningsrätten. Skicka eller lämna överklagandet till socialnämnden, inte till förvaltningsrätten.")
		para("Överklagandet ska ha kommit in till socialnämnden inom tre veckor från den dag du fick del av beslutet. Om den sista dagen är en lördag, söndag, helgdag, midsommarafton, julafton eller nyårsafton räcker det att överklagandet kommer in nästa vardag.")
		if !d.CommunicatedOn.IsZero() {
			para("Du fick del av beslutet den %s. Sista dag att överklaga är %s.", d.CommunicatedOn, domain.AppealLastDay(d.CommunicatedOn))
		}
		para("Skriv i överklagandet vilket beslut du överklagar (beslutsdatum och ärende ovan), hur du vill att beslutet ska ändras och varför. Skriv under med ditt namn och ange hur socialnämnden kan nå dig. Om du har skyddade personuppgifter behöver du inte ange din adress.")
	}
	return ls
}

// renderLetter lays the lines out as an A4 PDF with a core font; Swedish
// letters are written in cp1252, which the core fonts' encoding covers.
func renderLetter(ls []letterLine, now time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252
	pdf.SetTitle(tr("Beslut"), false)
	pdf.SetMargins(25, 25, 25)
	pdf.AddPage()
	for _, l := range ls {
		if l.heading {
			pdf.Ln(3)
			pdf.SetFont("Helvetica", "B", 12)
			pdf.MultiCell(0, 6, tr(l.text), "", "L", false)
			continue
		}
		pdf.SetFont("Helvetica", "", 11)
		pdf.MultiCell(0, 5.5, tr(l.text), "", "L", false)
		pdf.Ln(1)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("decision letter: %w", err)
	}
	return buf.Bytes(), nil
}
