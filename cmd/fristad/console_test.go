package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `fristad serve --dev` serves the console under /ui/ beside the API: the
// development sign-in mints a token with the data dir's key and the
// caseload answers.
func TestServeMountsTheConsole(t *testing.T) {
	for _, dev := range []bool{true} {
		dir, addr := t.TempDir(), freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		args := []string{"serve", "--data-dir", dir, "--addr", addr}
		if dev {
			args = append(args, "--dev")
		}
		var stderr bytes.Buffer
		go func() { done <- run(ctx, args, &bytes.Buffer{}, &stderr) }()
		base := "http://" + addr
		waitReady(t, addr, 20*time.Second)

		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		res, err := c.Get(base + "/ui/logga-in")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !dev {
			assert.Equal(t, http.StatusNotFound, res.StatusCode, "no console without --dev or an OIDC issuer")
		} else {
			require.Equal(t, http.StatusOK, res.StatusCode)
			m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
			require.NotNil(t, m)
			form := url.Values{"csrf": {string(m[1])}, "sub": {"anna"}, "roles": {"caseworker"}, "units": {"vuxen"}}
			res, err = c.Post(base+"/ui/dev/logga-in", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			assert.Equal(t, http.StatusOK, res.StatusCode)
			assert.Contains(t, string(page), "<h1>Ärenden</h1>")
			h, err := http.Get(base + "/healthz")
			require.NoError(t, err)
			h.Body.Close()
			assert.Equal(t, http.StatusOK, h.StatusCode, "the API is still served beside the console")
		}
		waitExit(t, cancel, done, &stderr)
	}
}

// Without --dev and without an OIDC issuer there is no console: the API's
// handler is served alone; --oidc-issuer needs --public-url.
func TestConsoleFlagsWithoutSignIn(t *testing.T) {
	api := http.NotFoundHandler()
	var cf consoleFlags
	h, err := cf.handler(context.Background(), nil, api, nil, authFlags{}, false, nil)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%p", api), fmt.Sprintf("%p", h))
	cf.oidcIssuer = "https://login.example"
	_, err = cf.handler(context.Background(), nil, api, nil, authFlags{}, false, nil)
	assert.ErrorContains(t, err, "--public-url")
	h, err = (&consoleFlags{}).handler(context.Background(), nil, api, nil, authFlags{}, true, nil)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%p", api), fmt.Sprintf("%p", h), "--dev with --jwks: no development key, no development sign-in")
}
