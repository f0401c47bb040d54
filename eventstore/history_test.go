package eventstore

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Extending a History never changes what it or another extension of it
// holds, although the first extension appends in place.
func TestHistoryExtensionsDoNotSeeEachOther(t *testing.T) {
	ev := func(seq uint64) Envelope { return Envelope{Seq: seq, Version: seq} }
	parent := &History{Events: make([]Envelope, 0, 8)} // room to append in place
	for seq := uint64(1); seq <= 3; seq++ {
		parent = parent.extend([]Envelope{ev(seq)})
	}
	a := parent.extend([]Envelope{ev(10), ev(11)})
	b := parent.extend([]Envelope{ev(20)}) // a lost race or a reload: copies
	a2 := a.extend([]Envelope{ev(12)})
	b2 := b.extend([]Envelope{ev(21)})

	seqs := func(h *History) []uint64 {
		var out []uint64
		for _, e := range h.Events {
			out = append(out, e.Seq)
		}
		return out
	}
	assert.Equal(t, []uint64{1, 2, 3}, seqs(parent))
	assert.Equal(t, []uint64{1, 2, 3, 10, 11}, seqs(a))
	assert.Equal(t, []uint64{1, 2, 3, 20}, seqs(b))
	assert.Equal(t, []uint64{1, 2, 3, 10, 11, 12}, seqs(a2))
	assert.Equal(t, []uint64{1, 2, 3, 20, 21}, seqs(b2))
	assert.Equal(t, uint64(12), a2.LastSeq)
	assert.Equal(t, uint64(21), b2.Version)
	assert.Same(t, &parent.Events[0], &a.Events[0], "the first extension appends in place")
	assert.NotSame(t, &parent.Events[0], &b.Events[0], "a second extension copies")
}
