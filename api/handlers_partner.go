package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// A partner contact is two records (ADR 0200): the treatment side's
// (kind partner_contact) and the partner side's (kind partner_side), under
// the contact's id. Each side reads, versions and writes its own record
// only; what crosses the barrier is appended to the receiving side's
// record and leaves the sender's as it was. Every version a client sees
// (bodies, ETag, write responses, 412 bodies) is a side's version
// (domain.TreatmentSide.Version, domain.PartnerSide.Version), which counts
// that side's events only; the store's version of a record can differ
// from it where an old single record holds both sides' events.

// treatmentRecord is the treatment side's record as loaded.
type treatmentRecord struct {
	h     *eventstore.History
	d     domain.Decider[domain.TreatmentSide]
	state domain.TreatmentSide
}

// versions maps the side's versions to the store's: the store's version of
// the record is ahead by the partner-side events of an old single record
// (none for a contact opened since the split), a constant once the new
// code writes, since it appends only treatment-side events here.
func (r treatmentRecord) versions() sideVersions {
	return sideVersions{storeAhead: r.h.Version - r.state.Version}
}

// partnerRecord is the partner side's record as loaded, with the base its
// events fold onto (an old single record's partner side, or nothing).
type partnerRecord struct {
	h     *eventstore.History
	base  domain.PartnerSide
	state domain.PartnerSide
}

func (r partnerRecord) decider() domain.Decider[domain.PartnerSide] {
	return domain.PartnerSideDecider(r.base)
}

// versions maps the side's versions to the store's: the side's version is
// the store's version of the partner-side record plus the events of the
// base (an old single record's partner side).
func (r partnerRecord) versions() sideVersions {
	return sideVersions{sideAhead: r.base.Version}
}

// sideVersions relates a side's version to the store's version of the
// record it writes on (one of the two counts is zero).
type sideVersions struct {
	storeAhead uint64 // events on the record that are not the side's
	sideAhead  uint64 // events of the side that are not on the record
}

func (v sideVersions) side(store uint64) uint64 { return store + v.sideAhead - v.storeAhead }

// store is the store's version at side version side; false when the
// record cannot be at that version.
func (v sideVersions) store(side uint64) (uint64, bool) {
	if side < v.sideAhead {
		return 0, false
	}
	return side - v.sideAhead + v.storeAhead, true
}

func (s *Server) loadTreatmentRecord(ctx context.Context, id domain.ID) (treatmentRecord, error) {
	h, err := s.store.Load(ctx, domain.KindPartnerContact, id)
	if err != nil {
		return treatmentRecord{}, err
	}
	return treatmentRecord{h: h, d: s.contacts, state: eventstore.State(s.contacts, h)}, nil
}

// loadPartnerRecord reads the partner side's record. A contact opened
// since the split has a record that starts with its opening and is read
// alone; any other is read on the partner side of its old single record
// (the treatment side's, which then is read too; nothing is rewritten).
func (s *Server) loadPartnerRecord(ctx context.Context, id domain.ID) (partnerRecord, error) {
	h, err := s.store.Load(ctx, domain.KindPartnerSide, id)
	if err != nil {
		return partnerRecord{}, err
	}
	r := partnerRecord{h: h, base: domain.PartnerSide{ID: id}}
	if len(h.Events) == 0 || h.Events[0].Type != (domain.PartnerSideOpened{}).EventName() {
		old, err := s.store.Load(ctx, domain.KindPartnerContact, id)
		if err != nil {
			return partnerRecord{}, err
		}
		r.base = domain.LegacyPartnerSide(id, old.Recorded())
	}
	r.state = r.decider().Fold(id, h.Recorded())
	return r, nil
}

// contactInScope: the contact's treatment case is one the caller works
// on (both sides and their supervisors work in its unit); else 404.
func (s *Server) contactInScope(c echo.Context, p auth.Principal, treatmentCase domain.ID) error {
	th, err := s.store.Load(c.Request().Context(), domain.KindCase, treatmentCase)
	if err != nil {
		return err
	}
	if !contactScope(p, eventstore.State(s.cases, th)) {
		return errNotFound()
	}
	return nil
}

// contactCtx is what a partner-contact command's preparation may use.
type contactCtx struct {
	side  contactSide
	today domain.Date
}

// contactOp fills the server-set fields of a command.
type contactOp[C domain.Command] func(x contactCtx, cmd *C)

// contactWrite is the handler of every partner-contact write: the caller's
// side's record takes the command (or, for what only crosses, checks it
// and stays as it is), then what crosses goes to the other side's record.
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
		side := contactSideOf(p)
		if side != sideTreatment && side != sidePartner {
			return errNotFound()
		}
		op(contactCtx{side: side, today: s.today()}, &cmd)
		opt, err := s.writeOptions(c, p, "")
		if err != nil {
			return err
		}
		if side == sideTreatment {
			return s.treatmentWrite(c, p, id, cmd, opt)
		}
		return s.partnerWrite(c, p, id, cmd, opt)
	}
}

// sideRecord is one side's record of a partner contact as loaded.
type sideRecord[S any] interface {
	exists() bool
	treatmentCase() domain.ID
	sideVersion() uint64
	versions() sideVersions
	decider() domain.Decider[S]
}

func (r treatmentRecord) exists() bool             { return r.state.Exists }
func (r treatmentRecord) treatmentCase() domain.ID { return r.state.TreatmentCaseID }
func (r treatmentRecord) sideVersion() uint64      { return r.state.Version }
func (r treatmentRecord) decider() domain.Decider[domain.TreatmentSide] {
	return r.d
}
func (r partnerRecord) exists() bool             { return r.state.Exists }
func (r partnerRecord) treatmentCase() domain.ID { return r.state.TreatmentCaseID }
func (r partnerRecord) sideVersion() uint64      { return r.state.Version }

// sideInScope loads a side's record of a contact that exists and that the
// caller works on (contactInScope); else 404.
func sideInScope[R sideRecord[S], S any](c echo.Context, s *Server, p auth.Principal, id domain.ID, load func(context.Context, domain.ID) (R, error)) (R, error) {
	rec, err := load(c.Request().Context(), id)
	if err != nil {
		return rec, err
	}
	if !rec.exists() {
		return rec, errNotFound()
	}
	return rec, s.contactInScope(c, p, rec.treatmentCase())
}

// sideWrite writes cmd on the caller's side's record of a contact the
// caller works on (else 404), with If-Match on the side's version; it
// returns the result and the side's version after it. (The sides differ
// in what crosses after the write: treatmentWrite, partnerWrite.)
func sideWrite[R sideRecord[S], S any](c echo.Context, s *Server, p auth.Principal, id domain.ID, cmd domain.Command, opt eventstore.ExecOptions,
	load func(context.Context, domain.ID) (R, error)) (eventstore.Result, uint64, error) {
	ctx := c.Request().Context()
	rec, err := sideInScope(c, s, p, id, load)
	if err != nil {
		return eventstore.Result{}, 0, err
	}
	asked := sideExpectation(&opt, rec.versions())
	res, err := executeContact(c, s, rec.decider(), id, cmd, opt)
	if err != nil {
		return res, 0, sideMismatch(asked, err, func() (uint64, error) {
			now, err := load(ctx, id)
			return now.sideVersion(), err
		})
	}
	return res, rec.versions().side(res.Version), nil
}

func (s *Server) treatmentWrite(c echo.Context, p auth.Principal, id domain.ID, cmd domain.Command, opt eventstore.ExecOptions) error {
	ctx := c.Request().Context()
	res, version, err := sideWrite(c, s, p, id, cmd, opt, s.loadTreatmentRecord)
	if err != nil {
		return err
	}
	seq := res.Seq
	// What crosses: a signal or an exception goes to the partner side's
	// record (this one is unchanged); consent, treatment status and the
	// end are brought across after every write (a retry repairs a
	// failure between the two records).
	var cross domain.Command
	switch c := cmd.(type) {
	case domain.ShareSignal:
		cross = domain.ReceiveSignal{Category: c.Category, From: domain.SideTreatment}
	case domain.RecordException:
		cross = domain.ReceiveException{Reason: c.Reason}
	}
	if cross != nil {
		pr, err := s.loadPartnerRecord(ctx, id)
		if err != nil {
			return err
		}
		r, err := crossTo(c, s, pr.decider(), id, cross, crossOptions(opt))
		if err != nil {
			return err
		}
		seq = r.Seq
	} else {
		after, err := s.syncPartnerSide(c, p, id)
		if err != nil {
			return err
		}
		if _, ended := cmd.(domain.EndPartnerContact); ended && after.ConsentDocument {
			s.destroyConsentDocument(c, id)
		}
	}
	return respondSide(c, id, version, seq)
}

func (s *Server) partnerWrite(c echo.Context, p auth.Principal, id domain.ID, cmd domain.Command, opt eventstore.ExecOptions) error {
	res, version, err := sideWrite(c, s, p, id, cmd, opt, s.loadPartnerRecord)
	if err != nil {
		return err
	}
	seq := res.Seq
	if sig, ok := cmd.(domain.ShareSignal); ok {
		r, err := crossTo(c, s, s.contacts, id, domain.ReceiveSignal{Category: sig.Category, From: domain.SidePartnerContact},
			crossOptions(opt))
		if err != nil {
			return err
		}
		seq = r.Seq
	}
	return respondSide(c, id, version, seq)
}

// sideExpectation turns an If-Match on a side's version into the store's
// version of its record; it returns the version asked for. A version the
// record cannot be at is answered as any stale one.
func sideExpectation(opt *eventstore.ExecOptions, v sideVersions) uint64 {
	if opt.ExpectVersion == nil {
		return 0
	}
	asked := *opt.ExpectVersion
	store, ok := v.store(asked)
	if !ok {
		store = math.MaxUint64 // never a record's version: a mismatch
	}
	opt.ExpectVersion = &store
	return asked
}

// sideMismatch answers a stale If-Match with the side's version asked for
// and its current one (the store's versions of the record may differ from
// the side's: sideExpectation); other errors pass.
func sideMismatch(asked uint64, err error, current func() (uint64, error)) error {
	var mismatch *eventstore.VersionMismatchError
	if !errors.As(err, &mismatch) {
		return err
	}
	v, lerr := current()
	if lerr != nil {
		return lerr
	}
	return &eventstore.VersionMismatchError{Expected: asked, Current: v}
}

// syncPartnerSide brings the partner side's record up to what crosses
// from the treatment side's (domain.TreatmentSide.Crossing); it writes
// nothing when the partner side already knows it, and returns the
// treatment side's state it brought across.
//
// It is a compare-and-set, so that two treatment-side writes syncing at
// once never leave the older state on the partner side: the partner
// side's record is read first, the treatment side's second (so the latter
// is at least as new as any sync the former holds), and the append expects
// the partner side's record as read; if it moved, both are read again.
// The compare-and-set alone does not cover a sync that writes nothing: a
// sync that read the treatment side just before a newer write there may
// append its older state after the newer write's sync found the partner
// side already up to date and wrote nothing. So a sync that appended reads
// the treatment side again, and brings it across again if it moved.
func (s *Server) syncPartnerSide(c echo.Context, p auth.Principal, id domain.ID) (domain.TreatmentSide, error) {
	ctx := c.Request().Context()
	for attempt := 0; attempt < maxCrossAttempts; attempt++ {
		pr, err := s.loadPartnerRecord(ctx, id)
		if err != nil {
			return domain.TreatmentSide{}, err
		}
		tr, err := s.loadTreatmentRecord(ctx, id)
		if err != nil {
			return domain.TreatmentSide{}, err
		}
		seen := pr.h.Version
		res, err := executeContact(c, s, pr.decider(), id, tr.state.Crossing(),
			eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: p.Sub, Now: s.now()}, ExpectVersion: &seen})
		var mismatch *eventstore.VersionMismatchError
		var conflict *eventstore.ConflictError
		if errors.As(err, &mismatch) || errors.As(err, &conflict) {
			continue
		}
		if err != nil || len(res.Events) == 0 {
			return tr.state, err
		}
		now, err := s.loadTreatmentRecord(ctx, id)
		if err != nil {
			return domain.TreatmentSide{}, err
		}
		if now.h.Version == tr.h.Version {
			return tr.state, nil
		}
	}
	return domain.TreatmentSide{}, errContended
}

// maxCrossAttempts bounds the retries of an append across the barrier.
const maxCrossAttempts = 10

// crossOptions are the append options of what crosses to the other
// side's record: the writer, the time, and the command's idempotency key
// and body fingerprint under an id of its own (the crossing is another
// message on another record), so a retry finds it and the same key with
// another body is refused there too.
func crossOptions(opt eventstore.ExecOptions) eventstore.AppendOptions {
	o := eventstore.AppendOptions{Actor: opt.Actor, Now: opt.Now}
	if opt.CommandID != "" {
		o.CommandID, o.Fingerprint = opt.CommandID+"-cross", opt.Fingerprint
	}
	return o
}

// errContended: the receiving record kept moving; not the sender's
// conflict to resolve (a 409 would tell them the other side was writing),
// so an internal error.
var errContended = errors.New("partner contact: the receiving record stayed contended")

// crossTo appends what crosses the barrier to the receiving side's record.
// The sender knows nothing of that record: no If-Match, and a lost race
// is retried here, never answered 409 (which would tell the sender the
// other side was writing at that moment).
func crossTo[S any](c echo.Context, s *Server, d domain.Decider[S], id domain.ID, cmd domain.Command, opt eventstore.AppendOptions) (eventstore.Result, error) {
	var conflict *eventstore.ConflictError
	for attempt := 0; attempt < maxCrossAttempts; attempt++ {
		res, err := executeContact(c, s, d, id, cmd, eventstore.ExecOptions{AppendOptions: opt})
		if !errors.As(err, &conflict) {
			return res, err
		}
	}
	return eventstore.Result{}, errContended
}

// executeContact runs a command on one record of a partner contact. Both
// records share one metrics label: a label per side would count the
// partner side's writes for anyone who reads the metrics.
func executeContact[S any](c echo.Context, s *Server, d domain.Decider[S], id domain.ID, cmd domain.Command, opt eventstore.ExecOptions) (eventstore.Result, error) {
	start := time.Now()
	res, err := eventstore.Execute(c.Request().Context(), s.store, d, id, cmd, opt)
	s.metrics.appends.WithLabelValues(metricsKind(d.Kind)).Observe(time.Since(start).Seconds())
	if err != nil {
		s.metrics.conflict(d.Kind, err)
	}
	return res, err
}

// respondSide sends a write's result with the side's version.
func respondSide(c echo.Context, id domain.ID, version, seq uint64) error {
	c.Response().Header().Set("ETag", etag(version))
	return c.JSON(http.StatusOK, writeResponse{ID: id, Version: version, Seq: seq})
}

func recordConsent(contactCtx, *domain.RecordConsent)                 {}
func recordApproach(contactCtx, *domain.RecordApproach)               {}
func recordResponse(contactCtx, *domain.RecordResponse)               {}
func assessPartnerRisk(contactCtx, *domain.AssessPartnerRisk)         {}
func reportNewViolence(contactCtx, *domain.ReportNewViolence)         {}
func recordException(contactCtx, *domain.RecordException)             {}
func changeTreatmentStatus(contactCtx, *domain.ChangeTreatmentStatus) {}

func shareSignal(x contactCtx, cmd *domain.ShareSignal) {
	cmd.Side = domain.SideTreatment
	if x.side == sidePartner {
		cmd.Side = domain.SidePartnerContact
	}
}

func endPartnerContact(x contactCtx, cmd *domain.EndPartnerContact) {
	cmd.EndedOn = x.today
}

// destroyConsentDocument destroys the consent document when the contact
// ends: its key goes, the rest of the record stays verifiable. (fristad
// cull finishes this if it fails here.)
func (s *Server) destroyConsentDocument(c echo.Context, id domain.ID) {
	if err := s.store.Keys().Destroy(c.Request().Context(), domain.ConsentKey(id)); err != nil {
		s.log.Error("consent document key not destroyed", "err", safeErr(err))
	}
}

// offerPartnerContact starts a partner contact for a perpetrator's
// treatment case in the caller's unit, registering the partner's personal
// file first, then the treatment side's record, then the partner side's.
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
	res, err := executeContact(c, s, s.contacts, domain.NewID(), cmd, opt)
	if err != nil {
		return err
	}
	// The partner side's record, unless a retry finds it written: until
	// it is, the partner side reads the offer on the treatment side's
	// record, as for an old contact, with the same version.
	ps, err := s.store.Load(c.Request().Context(), domain.KindPartnerSide, res.ID)
	if err != nil {
		return err
	}
	if !ps.Exists() {
		open := domain.OpenPartnerSide{TreatmentCaseID: cmd.TreatmentCaseID, PartnerID: cmd.PartnerID, ChildrenInContact: cmd.ChildrenInContact}
		if res.Duplicate {
			if f, ok := factsOf[domain.PartnerContactOffered](res); ok {
				open = domain.OpenPartnerSide{TreatmentCaseID: f.TreatmentCaseID, PartnerID: f.PartnerID, ChildrenInContact: f.ChildrenInContact}
			}
		}
		if _, err := crossTo(c, s, domain.PartnerSideDecider(domain.PartnerSide{}), res.ID, open, eventstore.AppendOptions{Actor: p.Sub, Now: s.now()}); err != nil {
			return err
		}
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/partner-contacts/"+string(res.ID))
	return respond(c, http.StatusCreated, res, nil)
}

// TreatmentSideView is what the treatment side may know (DOMAIN.md,
// partner contact 4): consent, treatment status and the signals the
// partner side shared, as categories; never whether the partner was
// reached or accepted, what the partner said, the partner's details or
// the partner's risk assessments. Version is the treatment side's.
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
// about the contact with the partner, and what crossed from the treatment
// side (consent status, treatment status, signals, end); nothing the
// person in treatment said. Version is the partner side's.
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

// SupervisorContactView is both sides for their supervisor, each with its
// own version; it has no ETag of its own (a supervisor writes on neither).
type SupervisorContactView struct {
	Treatment TreatmentSideView `json:"treatment"`
	Partner   PartnerSideView   `json:"partner"`
}

func treatmentView(id domain.ID, t domain.TreatmentSide) TreatmentSideView {
	return TreatmentSideView{ID: id, Version: t.Version, TreatmentCaseID: t.TreatmentCaseID, Consent: t.Consent,
		ConsentOn: t.ConsentOn, TreatmentStatus: t.TreatmentStatus, Signals: nonNil(t.Signals), Ended: t.Ended, View: "treatment"}
}

func partnerView(id domain.ID, ps domain.PartnerSide, partner *PersonView) PartnerSideView {
	return PartnerSideView{ID: id, Version: ps.Version, Partner: partner, ChildrenInContact: ps.ChildrenInContact,
		Consent: ps.Consent, Approaches: ps.Approaches, Reached: ps.Reached, Accepted: ps.Accepted, Declines: ps.Declines,
		Exception: ps.Exception, TreatmentStatus: ps.TreatmentStatus, RiskAssessments: nonNil(ps.RiskAssessments),
		SafetyPlans: ps.SafetyPlans, Signals: nonNil(ps.Signals), NewViolence: nonNil(ps.NewViolence), Ended: ps.Ended, View: "partner_contact"}
}

// getPartnerContact renders the caller's side's record; a supervisor sees
// both. The treatment side's read loads its own record only, so neither
// its body nor its cost depends on the partner side's.
func (s *Server) getPartnerContact(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	side := contactSideOf(p)
	switch side {
	case sideTreatment:
		tr, err := sideInScope(c, s, p, id, s.loadTreatmentRecord)
		if err != nil {
			return err
		}
		if err := s.logAccess(c, p, actReadPartnerContact, contactTarget(id, tr.state.TreatmentCaseID, tr.state.PartnerID)); err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etag(tr.state.Version))
		return c.JSON(http.StatusOK, treatmentView(id, tr.state))
	case sidePartner, sideSupervisor:
	default:
		return errNotFound()
	}
	pr, err := sideInScope(c, s, p, id, s.loadPartnerRecord)
	if err != nil {
		return err
	}
	partner, err := s.personView(c, p, pr.state.PartnerID)
	if err != nil {
		return err
	}
	// The partner's file is read here: a protected partner's read needs a
	// reason, and whereabouts withheld are logged as such, as for any file.
	t := contactTarget(id, pr.state.TreatmentCaseID, pr.state.PartnerID)
	t.protected, t.withheld = protectedIn(partner), withheldIn(partner)
	if err := s.logAccess(c, p, actReadPartnerContact, t); err != nil {
		return err
	}
	pv := partnerView(id, pr.state, partner)
	if side == sidePartner {
		c.Response().Header().Set("ETag", etag(pr.state.Version))
		return c.JSON(http.StatusOK, pv)
	}
	tr, err := s.loadTreatmentRecord(ctx, id)
	if err != nil {
		return err
	}
	tv := treatmentView(id, tr.state)
	tv.View, pv.View = "supervisor", "supervisor"
	return c.JSON(http.StatusOK, SupervisorContactView{Treatment: tv, Partner: pv})
}
