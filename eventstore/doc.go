// Package eventstore is fristad's event store on NATS JetStream: the only
// code in the product that talks to it.
//
// One stream holds every event; an aggregate's subject is
// <prefix>.<kind>.<id> and one command's events are one message, so a
// command is stored whole or not at all. Append is optimistic: it carries
// the last sequence the caller saw on the subject and a *ConflictError
// says another writer came first. A command id makes a retry return the
// first result instead of writing again (Execute says how, and for how long).
// Each event links to its predecessor with a keyed hash (chain.go), which
// Verify walks.
//
// Personal data never reaches the stream in clear: the store seals it per
// person with AES-256-GCM data keys (seal.go, sealvalue.go) held in a
// keyring wrapped by the master key (keyring.go, masterkey.go); destroying
// a key shreds that person's data everywhere (culling). Personal identity
// numbers are found through a blind index (blindindex.go).
//
// Reads: Load gives one aggregate's history with its personal data
// sealed but openable (Unseal); Read and Subscribe give every event's facts
// only (replay, projections, reports). Execute runs a domain decider
// against the stored history and appends what it decides. Snapshots keeps
// projection snapshots; Export and Import copy a store. The access log
// (logguppföljning) is package accesslog; the contract every
// implementation of this store must keep is tested by package
// eventstoretest.
package eventstore
