package reports

// relation says that a published total equals the sum of published parts
// (indexes into the report's cells). A relation with one part says two
// cells are equal (the same figure published twice).
type relation struct {
	Total int
	Parts []int
}

// derivation says a published cell is computed from others (a share from
// its numerator and denominator): it is suppressed when any source is.
type derivation struct {
	Cell    int
	Sources []int
}

// suppress decides which cells to suppress.
//
// Primary: a cell whose basis (the number of persons behind it) is from 1
// to k-1. For person counts the basis is the value itself.
//
// Secondary, repeated until nothing changes: a derived cell whose source
// is suppressed is suppressed; and in every relation where exactly one
// member (total or part) is suppressed, so that it could be recovered by
// subtraction, the smallest shown member is suppressed too: the smallest
// non-zero value first (suppressing a zero protects little), then a zero;
// ties go to a part before the total and
// to the part listed first, so the result is deterministic.
func suppress(values, basis []int, k int, rels []relation, ders []derivation) []bool {
	sup := make([]bool, len(values))
	for i, b := range basis {
		if b >= 1 && b < k {
			sup[i] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, d := range ders {
			if sup[d.Cell] {
				continue
			}
			for _, s := range d.Sources {
				if sup[s] {
					sup[d.Cell], changed = true, true
					break
				}
			}
		}
		for _, r := range rels {
			members := append(append(make([]int, 0, len(r.Parts)+1), r.Parts...), r.Total)
			n := 0
			for _, m := range members {
				if sup[m] {
					n++
				}
			}
			if n != 1 {
				continue
			}
			best := -1
			for _, m := range members {
				if sup[m] {
					continue
				}
				if best < 0 || smaller(values[m], values[best]) {
					best = m
				}
			}
			if best >= 0 {
				sup[best], changed = true, true
			}
		}
	}
	return sup
}

// smaller orders candidates for secondary suppression: non-zero values
// before zeros, then by value.
func smaller(a, b int) bool {
	if (a == 0) != (b == 0) {
		return b == 0
	}
	return a < b
}
