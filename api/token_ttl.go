package api

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/fristad/fristad/domain"
)

// The longest token lifetime is a municipality setting (max_token_ttl,
// PUT /admin/settings) under the deployment's ceiling (the maximum the
// verifier was configured with: serve --max-token-ttl): the verifier
// accepts the lower of the two. Every instance follows the setting: a
// change applies at once on the instance that took it, and on the others
// within tokenTTLRefresh, read by the first request after that time. A
// failed read keeps the last maximum.

// tokenTTLRefresh is how often an instance reads the setting.
const tokenTTLRefresh = 5 * time.Second

type tokenTTL struct {
	ceiling time.Duration // the verifier's configured maximum
	readAt  atomic.Int64  // unix nanoseconds of the last read (0: never)
}

// refreshTokenTTL reads the setting when tokenTTLRefresh has passed.
func (s *Server) refreshTokenTTL(ctx context.Context) {
	now := s.now().UnixNano()
	last := s.tokenTTL.readAt.Load()
	if last != 0 && now-last < int64(tokenTTLRefresh) {
		return
	}
	if !s.tokenTTL.readAt.CompareAndSwap(last, now) {
		return // another request reads it
	}
	st, err := s.store.Settings(ctx)
	if err != nil {
		s.log.Warn("settings unreadable; the token lifetime stays as it was", "err", safeErr(err))
		return
	}
	s.applyTokenTTL(st)
}

// applyTokenTTL sets the verifier's maximum: the setting, at most the
// ceiling.
func (s *Server) applyTokenTTL(st domain.Settings) {
	if ttl := min(st.Values.TokenTTL(), s.tokenTTL.ceiling); ttl > 0 {
		_ = s.cfg.Verifier.SetMaxTokenTTL(ttl)
	}
}
