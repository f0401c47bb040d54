package eventstore

import "github.com/fristad/fristad/domain"

// Fold is the state Execute decides on for h: the one kept with h, or a
// fold of its events.
func Fold[S any](d domain.Decider[S], h *History) S { return fold(d, h) }
