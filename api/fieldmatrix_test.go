package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fristad/fristad/api/auth"
	"github.com/stretchr/testify/assert"
)

// TestWhoSeesWhereaboutsMatrix: for every protection level, every reader
// (role × unit × assigned or not × provider) and every read route, exactly
// who sees the subject's address and phone: with no protection every
// reader of the file does (providers never: they get the assignment
// view); with any protection level only the assigned case worker and the
// unit's supervisors, and never in the party view.
func TestWhoSeesWhereaboutsMatrix(t *testing.T) {
	supBarn := user{sub: "sup-barn", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"barn"}}
	readers := []struct {
		name      string
		u         user
		readsFile bool // may read the case file / personal file at all
		fullView  bool // sees whereabouts when the subject is protected
	}{
		{"assigned case worker", anna, true, true},
		{"other case worker, same unit", bertil, true, false},
		{"supervisor of the unit", sara, true, true},
		{"case worker of another unit", olle, false, false},
		{"supervisor of another unit", supBarn, false, false},
		{"placing provider", jouren, true, false},
		{"other provider", jour2, false, false},
		{"treatment", behandla, false, false},
		{"partner contact", partnerk, false, false},
		{"statistician", statist, false, false},
	}
	for _, level := range []string{"none", "sekretessmarkering", "skyddad_folkbokforing", "fingerade_personuppgifter"} {
		t.Run(level, func(t *testing.T) {
			h := newHarness(t)
			f := newFixture(h) // case A: subject with address, placement at provider A
			c := "/api/v1/cases/" + f.caseA
			if level != "none" {
				h.must(200, "POST", c+"/protected-identity", &anna, map[string]any{"level": level})
			}
			protected := level != "none"
			for _, rd := range readers {
				for _, path := range []string{c, c + "?view=party", "/api/v1/persons/" + f.subject, c + "/events"} {
					r := h.do("GET", path, &rd.u, nil)
					body := string(r.body)
					label := fmt.Sprintf("%s on %s", rd.name, path)
					if r.code != 200 {
						assert.NotContains(t, body, subjectStreet, label)
						continue
					}
					assert.True(t, rd.readsFile, "%s: got %d, should not read this file", label, r.code)
					party := strings.Contains(path, "view=party")
					provider := rd.u.provider != ""
					// The party view shows a party their own file: an
					// unprotected subject's address stays, a protected one's goes.
					wantAddress := !provider && !strings.HasSuffix(path, "/events") &&
						((party && !protected) || (!party && (!protected || rd.fullView)))
					if wantAddress {
						assert.Contains(t, body, subjectStreet, label)
						assert.Contains(t, body, "070-111", label)
					} else {
						assert.NotContains(t, body, subjectStreet, label)
						assert.NotContains(t, body, "070-111", label)
					}
					// The shelter a protected person lives at is whereabouts too.
					if protected && (party || !rd.fullView) && !provider {
						assert.NotContains(t, body, providerA, label)
					}
				}
			}
		})
	}
}
