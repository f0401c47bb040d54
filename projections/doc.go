// Package projections folds the event log into the views people read:
// caseload, case file, audit trail and statistics. Each projection is a
// fold over event envelopes with a checkpoint (the last stream sequence it
// applied); a runner keeps them current from one JetStream consumer.
//
// The projections themselves arrive with the projections issue; until then
// the API reads aggregates from the event store.
package projections
