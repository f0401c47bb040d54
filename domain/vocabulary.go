package domain

// vocabulary is a closed set of codes with their Swedish labels, in the order
// users see them. The codes are stable: they are stored in events and
// appear in reports.
type vocabulary[T ~string] struct {
	order  []T
	labels map[T]string
}

func newVocabulary[T ~string](pairs ...any) vocabulary[T] {
	v := vocabulary[T]{labels: map[T]string{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		code := pairs[i].(T)
		v.order = append(v.order, code)
		v.labels[code] = pairs[i+1].(string)
	}
	return v
}

func (v vocabulary[T]) valid(c T) bool   { _, ok := v.labels[c]; return ok }
func (v vocabulary[T]) label(c T) string { return v.labels[c] }
func (v vocabulary[T]) values() []T      { return append([]T(nil), v.order...) }
