package main

import (
	"context"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oldContactRegistry is the registry of partner contacts as the code
// before ADR 0200 had it: one record of kind partner_contact, every type at
// schema 1.
func oldContactRegistry() *domain.Registry {
	r := domain.NewRegistry()
	k := domain.KindPartnerContact
	domain.Register[domain.PartnerContactOffered, domain.NoPersonal](r, k, 1)
	domain.Register[domain.ConsentRecorded, domain.ConsentDocument](r, k, 1)
	domain.Register[domain.PartnerApproached, domain.NoPersonal](r, k, 1)
	domain.Register[domain.PartnerResponded, domain.NoPersonal](r, k, 1)
	domain.Register[domain.TreatmentStatusChanged, domain.NoPersonal](r, k, 1)
	domain.Register[domain.SignalShared, domain.NoPersonal](r, k, 1)
	domain.Register[domain.NewViolenceReported, domain.NoPersonal](r, k, 1)
	return r
}

// A data directory written by the code before the split (a partner
// contact as one record) still verifies with `fristad verify`, and
// `fristad serve` shows the contact as two records, each side with its own
// version.
func TestOldDataDirVerifiesAndServesContactsAsTwoRecords(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	person, caseID, partner, contact := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna"}}
	today := domain.NewDate(2026, 2, 1)
	_, err = eventstore.Execute(ctx, b.Store, domain.CaseDecider(), caseID, domain.OpenCase{Unit: "vuxen", TargetGroup: domain.Perpetrator,
		Source: domain.SourceApplication, ReceivedOn: today, PersonID: person, Assignee: "anna", Today: today}, opt)
	require.NoError(t, err)
	for _, id := range []domain.ID{person, partner} {
		_, err = eventstore.Execute(ctx, b.Store, domain.PersonDecider(), id, domain.RegisterPerson{PersonDetails: domain.PersonDetails{
			Sex: domain.SexUnknown, Name: "Namn"}, Today: today}, opt)
		require.NoError(t, err)
	}
	key, _, err := eventstore.LoadMasterKey("", dir, true)
	require.NoError(t, err)
	old, err := eventstore.Open(ctx, eventstore.Config{Conn: b.Conn, MasterKey: key, Registry: oldContactRegistry()})
	require.NoError(t, err)
	for _, ev := range []domain.Event{
		{Facts: domain.PartnerContactOffered{TreatmentCaseID: caseID, PartnerID: partner}},
		{Facts: domain.ConsentRecorded{Status: domain.ConsentGiven, SignedOn: today, HasDocument: true},
			Personal: domain.ConsentDocument{Document: "Samtycke"}, SealWith: domain.ConsentKey(contact)},
		{Facts: domain.TreatmentStatusChanged{Status: domain.TreatmentOngoing}},
		{Facts: domain.PartnerApproached{Channel: domain.ChannelPhone, Outcome: domain.ApproachReached, On: today}},
		{Facts: domain.PartnerResponded{Accepted: true}},
		{Facts: domain.NewViolenceReported{ReportedOn: today}},
		{Facts: domain.SignalShared{Category: domain.SignalIncreasedFear, Side: domain.SidePartnerContact}},
	} {
		h, err := old.Load(ctx, domain.KindPartnerContact, contact)
		require.NoError(t, err)
		_, err = old.Append(ctx, h, []domain.Event{ev}, eventstore.AppendOptions{Actor: "beh-1"})
		require.NoError(t, err)
	}
	old.Close()
	b.Close()

	code, out, stderr := runCLI(t, ctx, "verify", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, "verify: %s %s", out, stderr)

	p := startServe(t, dir)
	devKey, err := auth.DevKey(dir)
	require.NoError(t, err)
	mint := func(sub string, role auth.Role) string {
		tok, err := auth.Mint(devKey, auth.Principal{Sub: sub, Roles: []auth.Role{role}, Units: []string{"vuxen"}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
		require.NoError(t, err)
		return tok
	}
	path := "/api/v1/partner-contacts/" + string(contact)
	var tv, pv, both map[string]any
	require.Equal(t, 200, p.call(t, mint("beh-1", auth.RoleTreatment), "GET", path, "", &tv))
	require.Equal(t, 200, p.call(t, mint("pk-1", auth.RolePartnerContact), "GET", path, "", &pv))
	require.Equal(t, 200, p.call(t, mint("sara", auth.RoleSupervisor), "GET", path, "", &both))
	// Treatment side: offer, consent, status, the partner side's signal.
	assert.EqualValues(t, 4, tv["version"])
	assert.Nil(t, tv["reached"])
	// Partner side: offer, consent, status, approach, response, new violence.
	assert.EqualValues(t, 6, pv["version"])
	assert.Equal(t, true, pv["reached"])
	assert.Equal(t, "given", pv["consent"])
	assert.EqualValues(t, 4, both["treatment"].(map[string]any)["version"])
	assert.EqualValues(t, 6, both["partner"].(map[string]any)["version"])
}
