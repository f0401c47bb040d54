// Package accesslog is the access log (logguppföljning): every read of
// personal data appends one entry (who, with which roles, did what to which
// case, person or partner contact, in which unit, when, and why if they
// said) to a JetStream stream of its own, and the read fails closed when
// the entry cannot be stored. The event store opens it beside the event
// stream (eventstore.Store.Access) and lends it its keyring to seal
// reasons (Sealer).
//
// Layout. The stream is named <Stream>_ACCESS and holds the subjects
// <access prefix>.<unit token>, where the access prefix is the event subject
// prefix with its last token "events" replaced by "access"
// ("fristad.events" -> "fristad.access"; a prefix not ending in ".events"
// gets "_access" appended: "x" -> "x_access"), so the two streams never
// overlap. The unit token is the unit id itself when it is a plain token
// ([A-Za-z0-9_-], at most 64), otherwise "~" followed by the hex of the unit
// id; an entry without a unit is stored under "~". One subject per unit
// lets a supervisor's review read only their units' entries.
//
// Storage: file storage, the store's replica count, no limits, new writes
// refused rather than old ones dropped, delete and purge denied: an access
// log is evidence and nobody may thin it out. Append waits for JetStream's
// acknowledgement, so an entry is stored (as durably as the server's sync
// policy makes any event) before the read it records returns data.
//
// Group commit (commit.go). Under `sync: always` every stored message
// costs an fsync, so one message per read made concurrent reads queue
// behind each other's fsyncs. Appends therefore go through one committer
// goroutine: it takes every request waiting (at most maxGroupEntries
// entries, maxGroupBytes bytes), groups them by subject (unit) in order of
// arrival, publishes one message per subject (split only if it would exceed
// the stream's message size) holding the JSON array of the entries, all
// messages at once, waits for their acks and only then answers each Append
// with the sequence of the message that holds its entry, or with that
// message's error: a failed publish fails every read of its group closed.
// There is no timer: a lone entry is published at once, and entries that
// arrive while a publish is in flight form the next group. Each message
// carries Nats-Msg-Id (the id of its first entry), so a retried publish is
// stored once. Messages written before group commit hold a single JSON
// object; Query reads both forms. The entries of one message share its
// stream sequence (Seq), so a page of Query ends at a message boundary.
//
// Sealing. The reason a worker gives (X-Access-Reason) is free text and may
// hold personal data, so it never lies on the stream in clear: the Sealer
// seals it with the data key of the person the read was about, so culling
// that person shreds it too, or without such a person with a key per
// calendar month (see eventstore's sealvalue.go). Everything else in an
// entry is ids, roles, an action and a unit: no name, address, phone or
// location ever enters the access log.
//
// Queries (query.go) are positioned by time: JetStream starts the consumer
// at the first message stored at or after From (ClockSkew early), found
// through the stream's time index (each file block's first and last
// timestamps) rather than by reading, and the scan stops at the first
// message stored after To (ClockSkew late). Within that window a query
// reads every entry of the selected units' subjects and filters the rest
// (user, case, person) in memory, a few milliseconds per 10,000 entries
// scanned; it stops after limit+1 matches. A query without From reads from
// the first entry, a page at a time.
package accesslog
