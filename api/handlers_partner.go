package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// contactCtx is what a partner-contact command's preparation may use.
type contactCtx struct {
	p     auth.Principal
	side  contactSide
	pc    domain.PartnerContact
	today domain.Date
}

// contactOp fills the server-set fields of a command and may return a
// step to run once the command is written (nil: none).
type contactOp[C domain.Command] func(x contactCtx, cmd *C) afterWrite

// afterWrite runs after a partner-contact command was appended.
type afterWrite func(s *Server, c echo.Context, id domain.ID)

// contactWrite is the handler of every partner-contact write.
func contactWrite[C domain.Command](op contactOp[C]) func(*Server, echo.Context, auth.Principal) error {
	return func(s *Server, c echo.Context, p auth.Principal) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var cmd C
		if err := decodeBody(c, &cmd); err != nil {
			return err
		}
		pc, err := s.loadContact(c, p, id)
		if err != nil {
			return err
		}
		side := contactSideOf(p)
		if side == sideNone || side == sideSupervisor {
			return errNotFound()
		}
		after := op(contactCtx{p: p, side: side, pc: pc, today: s.today()}, &cmd)
		opt, err := s.writeOptions(c, p, "")
		if err != nil {
			return err
		}
		res, err := s.execute(c, domain.KindPartnerContact, id, cmd, opt)
		if err != nil {
			return err
		}
		if after != nil {
			after(s, c, id)
		}
		return respond(c, http.StatusOK, res, nil)
	}
}

// loadContact reads a partner contact the caller may work on: it exists
// and its treatment case is in the caller's unit; else 404.
func (s *Server) loadContact(c echo.Context, p auth.Principal, id domain.ID) (domain.PartnerContact, error) {
	h, err := s.store.Load(c.Request().Context(), domain.KindPartnerContact, id)
	if err != nil {
		return domain.PartnerContact{}, err
	}
	pc := eventstore.State(s.contacts, h)
	if !pc.Exists {
		return pc, errNotFound()
	}
	th, err := s.store.Load(c.Request().Context(), domain.KindCase, pc.TreatmentCaseID)
	if err != nil {
		return pc, err
	}
	if !contactScope(p, eventstore.State(s.cases, th)) {
		return pc, errNotFound()
	}
	return pc, nil
}

func recordConsent(contactCtx, *domain.RecordConsent) afterWrite         { return nil }
func recordApproach(contactCtx, *domain.RecordApproach) afterWrite       { return nil }
func recordResponse(contactCtx, *domain.RecordResponse) afterWrite       { return nil }
func assessPartnerRisk(contactCtx, *domain.AssessPartnerRisk) afterWrite { return nil }
func reportNewViolence(contactCtx, *domain.ReportNewViolence) afterWrite { return nil }
func recordException(contactCtx, *domain.RecordException) afterWrite     { return nil }

func changeTreatmentStatus(contactCtx, *domain.ChangeTreatmentStatus) afterWrite { return nil }

func shareSignal(x contactCtx, cmd *domain.ShareSignal) afterWrite {
	cmd.Side = domain.SideTreatment
	if x.side == sidePartner {
		cmd.Side = domain.SidePartnerContact
	}
	return nil
}

func endPartnerContact(x contactCtx, cmd *domain.EndPartnerContact) afterWrite {
	cmd.EndedOn = x.today
	return destroyConsentDocument
}

// destroyConsentDocument destroys the consent document when the contact
// ends: its key goes, the rest of the record stays verifiable. (fristad
// cull finishes this if it fails here.)
func destroyConsentDocument(s *Server, c echo.Context, id domain.ID) {
	if err := s.store.Keys().Destroy(c.Request().Context(), domain.ConsentKey(id)); err != nil {
		s.log.Error("consent document key not destroyed", "err", safeErr(err))
	}
}

// offerPartnerContact starts a partner contact for a perpetrator's
// treatment case in the caller's unit, registering the partner's personal
// file first.
func (s *Server) offerPartnerContact(c echo.Context, p auth.Principal) error {
	var cmd domain.OfferPartnerContact
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	cmd.Today, cmd.PartnerID = s.today(), domain.NewID()
	if err := cmd.Validate(); err != nil {
		return err
	}
	if contactSideOf(p) != sideTreatment {
		return errForbidden()
	}
	th, err := s.store.Load(c.Request().Context(), domain.KindCase, cmd.TreatmentCaseID)
	if err != nil {
		return err
	}
	tc := eventstore.State(s.cases, th)
	if !contactScope(p, tc) || tc.TargetGroup != domain.Perpetrator {
		q := newProblem(http.StatusUnprocessableEntity, "rule/treatment-case-not-found", "The command breaks a rule",
			"no treatment case of a person using violence with that id in your units")
		q.Rule = "treatment-case-not-found"
		return q
	}
	reg, err := s.registerPerson(c, p, cmd.RegisterPartner(), "partner")
	if err != nil {
		return err
	}
	cmd.PartnerID = reg.ID
	opt, err := s.writeOptions(c, p, "contact")
	if err != nil {
		return err
	}
	res, err := s.execute(c, domain.KindPartnerContact, domain.NewID(), cmd, opt)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/partner-contacts/"+string(res.ID))
	return respond(c, http.StatusCreated, res, nil)
}

// TreatmentSideView is what the treatment side may know (DOMAIN.md,
// partner contact 4): consent, treatment status and the signals shared as
// categories; never whether the partner was reached or accepted, what the
// partner said, the partner's details or the partner's risk assessments.
type TreatmentSideView struct {
	ID              domain.ID              `json:"id"`
	Version         uint64                 `json:"version"`
	TreatmentCaseID domain.ID              `json:"treatment_case_id"`
	Consent         domain.ConsentStatus   `json:"consent,omitempty"`
	ConsentOn       domain.Date            `json:"consent_on"`
	TreatmentStatus domain.TreatmentStatus `json:"treatment_status,omitempty"`
	Signals         []domain.SignalShared  `json:"signals"`
	Ended           bool                   `json:"ended"`
	View            string                 `json:"view"`
}

// PartnerSideView is what the partner-contact side may know: everything
// about the contact with the partner and the treatment status, nothing the
// person in treatment said (the consent document stays with the treatment
// side).
type PartnerSideView struct {
	ID                domain.ID                    `json:"id"`
	Version           uint64                       `json:"version"`
	Partner           *PersonView                  `json:"partner"`
	ChildrenInContact int                          `json:"children_in_contact"`
	Consent           domain.ConsentStatus         `json:"consent,omitempty"`
	Approaches        int                          `json:"approaches"`
	Reached           bool                         `json:"reached"`
	Accepted          bool                         `json:"accepted"`
	Declines          int                          `json:"declines"`
	Exception         domain.ContactException      `json:"exception,omitempty"`
	TreatmentStatus   domain.TreatmentStatus       `json:"treatment_status,omitempty"`
	RiskAssessments   []domain.PartnerRiskAssessed `json:"risk_assessments"`
	SafetyPlans       int                          `json:"safety_plans"`
	Signals           []domain.SignalShared        `json:"signals"`
	NewViolence       []domain.NewViolenceReported `json:"new_violence"`
	Ended             bool                         `json:"ended"`
	View              string                       `json:"view"`
}

// getPartnerContact renders the caller's side of the barrier; a
// supervisor sees both sides.
func (s *Server) getPartnerContact(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pc, err := s.loadContact(c, p, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(pc.Version))
	treatment := TreatmentSideView{ID: id, Version: pc.Version, TreatmentCaseID: pc.TreatmentCaseID, Consent: pc.Consent,
		ConsentOn: pc.ConsentOn, TreatmentStatus: pc.TreatmentStatus, Signals: nonNil(pc.Signals), Ended: pc.Ended, View: "treatment"}
	side := contactSideOf(p)
	if side == sideTreatment {
		if err := s.logAccess(c, p, actReadPartnerContact, contactTarget(pc)); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, treatment)
	}
	if side == sideNone {
		return errNotFound()
	}
	partner, err := s.personView(c, p, pc.PartnerID, func(domain.Person) bool { return true })
	if err != nil {
		return err
	}
	pv := PartnerSideView{ID: id, Version: pc.Version, Partner: partner, ChildrenInContact: pc.ChildrenInContact,
		Consent: pc.Consent, Approaches: pc.Approaches, Reached: pc.Reached, Accepted: pc.Accepted, Declines: pc.Declines,
		Exception: pc.Exception, TreatmentStatus: pc.TreatmentStatus, RiskAssessments: nonNil(pc.RiskAssessments),
		SafetyPlans: pc.SafetyPlans, Signals: nonNil(pc.Signals), NewViolence: nonNil(pc.NewViolence), Ended: pc.Ended, View: "partner_contact"}
	if side == sidePartner {
		if err := s.logAccess(c, p, actReadPartnerContact, contactTarget(pc)); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, pv)
	}
	pv.View, treatment.View = "supervisor", "supervisor"
	if err := s.logAccess(c, p, actReadPartnerContact, contactTarget(pc)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"treatment_side": treatment, "partner_side": pv})
}
