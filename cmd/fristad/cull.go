package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
)

func runCull(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "cull", "cull [--dry-run] [--as-of YYYY-MM-DD] [--json] [--data-dir DIR | --nats-url URLS]")
	var sf storeFlags
	sf.register(fs)
	dryRun := fs.Bool("dry-run", false, "list what would be culled (ids and dates only) and change nothing")
	asOfFlag := fs.String("as-of", "", "the day culling is judged on (default today)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	asOf := domain.DateOf(time.Now())
	if *asOfFlag != "" {
		d, err := domain.ParseDate(*asOfFlag)
		if err != nil {
			return usageError{Msg: "--as-of: want YYYY-MM-DD"}
		}
		asOf = d
	}
	backend, err := sf.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	s := backend.Store
	fold := projections.NewCulling()
	reading := newProgress(env, "reading the record", "events")
	var events uint64
	_, err = s.Read(ctx, 1, func(e *eventstore.Envelope) error {
		fold.Apply(e)
		if events++; events%10_000 == 0 {
			reading.set(events, 0)
		}
		return nil
	})
	reading.done()
	if err != nil {
		return err
	}
	due := fold.Due(asOf)
	result := struct {
		AsOf     domain.Date             `json:"as_of"`
		DryRun   bool                    `json:"dry_run"`
		Persons  []projections.Candidate `json:"persons"`
		Culled   int                     `json:"culled"`
		Kept     int                     `json:"kept"`
		Consents int                     `json:"consent_documents_destroyed"`
	}{AsOf: asOf, DryRun: *dryRun, Persons: due}
	culling := newProgress(env, "culling", "persons")
	for i, c := range due {
		culling.set(uint64(i), uint64(len(due))) // #nosec G115 -- a non-negative index
		if c.Kept != "" {
			result.Kept++
			continue
		}
		result.Culled++
		if *dryRun {
			continue
		}
		if err := cullPerson(ctx, s, c.PersonID, asOf); err != nil {
			return fmt.Errorf("cull %s: %w", c.PersonID, err)
		}
	}
	culling.done()
	if !*dryRun {
		// Finish what an interrupted run started, and destroy the consent
		// documents of ended partner contacts.
		for _, id := range fold.Culled() {
			if err := shred(ctx, s, id); err != nil {
				return fmt.Errorf("cull %s: %w", id, err)
			}
		}
		for _, id := range fold.EndedWithDocument() {
			if exists, err := s.Keys().Exists(ctx, domain.ConsentKey(id)); err != nil {
				return err
			} else if exists {
				if err := s.Keys().Destroy(ctx, domain.ConsentKey(id)); err != nil {
					return err
				}
				result.Consents++
			}
		}
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(result)
	}
	verb := "culled"
	if *dryRun {
		verb = "would cull"
	}
	for _, c := range due {
		action := "cull"
		if c.Kept != "" {
			action = "kept: " + c.Kept
		}
		fmt.Fprintf(env.Stdout, "%s  last entry %s  %s\n", c.PersonID, c.LastEntry, action)
	}
	fmt.Fprintf(env.Stdout, "%s %d personal files (as of %s); %d past five years kept; %d consent documents destroyed\n",
		verb, result.Culled, asOf, result.Kept, result.Consents)
	return nil
}

// cullPerson records the culling, then shreds the file. The decider
// refuses a file kept for research; a retry is idempotent.
func cullPerson(ctx context.Context, s *eventstore.Store, id domain.ID, on domain.Date) error {
	_, err := eventstore.Execute(ctx, s, domain.PersonDecider(), id, domain.CullPerson{CulledOn: on},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "fristad-cull", CommandID: "cull-" + string(id)}})
	var rule *domain.RuleError
	if err != nil && !(errors.As(err, &rule) && rule.Rule == "person-culled") {
		return err
	}
	return shred(ctx, s, id)
}

// shred removes the person from the blind index (reading the number while
// the key still exists) and destroys the key: name, number, contact
// details and free text become unreadable everywhere.
func shred(ctx context.Context, s *eventstore.Store, id domain.ID) error {
	exists, err := s.Keys().Exists(ctx, domain.PersonKey(id))
	if err != nil || !exists {
		return err
	}
	h, err := s.Load(ctx, domain.KindPerson, id)
	if err != nil {
		return err
	}
	for i := len(h.Events) - 1; i >= 0; i-- {
		if h.Events[i].Sealed == nil {
			continue
		}
		v, err := s.Unseal(ctx, &h.Events[i])
		if err != nil {
			return err
		}
		if ident, ok := v.(*domain.PersonIdentity); ok && ident.PersonalNumber != "" {
			if err := s.Index().Remove(ctx, string(ident.PersonalNumber), id); err != nil {
				return err
			}
		}
	}
	return s.Keys().Destroy(ctx, domain.PersonKey(id))
}
