package console

import (
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/stretchr/testify/assert"
)

// Unauthenticated sign-in starts cannot fill memory: past the bound they
// are refused until the pending ones expire; a state is used once.
func TestPendingLoginsAreBounded(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ss := newSessions(func() time.Time { return now })
	for i := range maxPendingLogins {
		assert.True(t, ss.putLogin(randomToken()+string(rune(i)), preLogin{expires: now.Add(10 * time.Minute)}))
	}
	assert.False(t, ss.putLogin("one-more", preLogin{expires: now.Add(10 * time.Minute)}))
	assert.Equal(t, maxPendingLogins, ss.pending())
	now = now.Add(11 * time.Minute) // the injected clock: all have expired
	assert.True(t, ss.putLogin("after", preLogin{expires: now.Add(10 * time.Minute)}))
	assert.Equal(t, 1, ss.pending())
	_, ok := ss.takeLogin("after")
	assert.True(t, ok)
	_, ok = ss.takeLogin("after")
	assert.False(t, ok, "used once")
}

func TestReasonsPerSessionAreBounded(t *testing.T) {
	ss := newSessions(time.Now)
	s := ss.create("tok", authPrincipalForTest(), time.Now().Add(time.Hour))
	for i := range maxReasons + 10 {
		ss.setReason(s, randomToken()+string(rune(i)), "skäl")
	}
	assert.LessOrEqual(t, len(s.reasons), maxReasons)
}

func authPrincipalForTest() auth.Principal { return auth.Principal{Sub: "anna"} }
