// Package projections folds the event log into what people read. Each
// projection is a fold over facts-only envelopes with a checkpoint (the
// last stream sequence it applied), kept in memory and rebuilt from the log
// or from a snapshot in the store's object store.
//
//   - Cases (cases.go, caseload.go): every case's state, folded with the
//     same decider the writes use, and its caseload row (ärendelista),
//     indexed by unit; the case file, the caseload and the overdue
//     dashboard read it.
//   - PersonLinks (links.go): which units work with a person, the scope
//     check for a personal file.
//   - culling.go: which personal files are due for culling (gallring).
//
// The Runner (runner.go) keeps them current from one ordered consumer,
// snapshots them and gives a digest of their state (the replay check).
// Reports (statistics) replay the log on demand: see package reports.
package projections
