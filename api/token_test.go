package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokensRefusedThroughTheAPI: a token with a crit header, or one that
// lives longer than the maximum, is answered 401 like any invalid token.
func TestTokensRefusedThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	now := time.Now()
	sign := func(header map[string]any, exp time.Time) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "anna", "roles": []string{"caseworker"}, "units": []string{"vuxen"},
			"iss": "fristad-dev", "aud": "fristad", "iat": now.Unix(), "exp": exp.Unix()})
		for k, v := range header {
			tok.Header[k] = v
		}
		s, err := tok.SignedString(h.key)
		require.NoError(t, err)
		return s
	}
	for name, tc := range map[string]struct {
		token string
		code  int
	}{
		"valid":           {sign(nil, now.Add(time.Hour)), http.StatusOK},
		"crit":            {sign(map[string]any{"crit": []string{"x-bind"}, "x-bind": true}, now.Add(time.Hour)), http.StatusUnauthorized},
		"lives 100 years": {sign(nil, now.AddDate(100, 0, 0)), http.StatusUnauthorized},
	} {
		req, err := http.NewRequest("GET", h.http.URL+"/api/v1/cases", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tc.token)
		res, err := h.http.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, tc.code, res.StatusCode, name)
	}
}

// TestTokenLifetimeFollowsTheSetting: the municipality's max_token_ttl
// lowers the longest lifetime accepted at once; a setting above the
// deployment's ceiling (the verifier's configured maximum) does not
// raise it.
func TestTokenLifetimeFollowsTheSetting(t *testing.T) {
	h := newHarness(t)
	now := time.Now()
	twoHours := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "anna", "roles": []string{"caseworker"}, "units": []string{"vuxen"},
			"iss": "fristad-dev", "aud": "fristad", "iat": now.Unix(), "exp": now.Add(2 * time.Hour).Unix()})
		s, err := tok.SignedString(h.key)
		require.NoError(t, err)
		return s
	}()
	call := func() int {
		req, err := http.NewRequest("GET", h.http.URL+"/api/v1/cases", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+twoHours)
		res, err := h.http.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	settings := func(ttl int) {
		h.must(200, "PUT", "/api/v1/admin/settings", &admin, map[string]any{"decision_communication_days": 7, "appeal_forward_days": 7,
			"placement_reconsider_months": 6, "max_token_ttl": ttl, "report_concurrency": 2})
	}
	assert.Equal(t, http.StatusOK, call())
	settings(3600)
	assert.Equal(t, http.StatusUnauthorized, call(), "a 2-hour token under a 1-hour setting")
	settings(7 * 24 * 3600)
	assert.Equal(t, http.StatusOK, call())
	assert.Equal(t, 12*time.Hour, h.srv.cfg.Verifier.MaxTokenTTL(), "a week's setting stays under the 12-hour ceiling")
}
