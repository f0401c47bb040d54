package projections

// listPos is an item's place in the order the work lists share (the
// caseload and the tasks): overdue first, then by due day, then by
// id, so that a page cursor (the last item's listPos) is a total order.
type listPos struct {
	overdue bool
	due     int64 // days since 1970
	id      string
}

// before says whether a comes before b in the list order.
func (a listPos) before(b listPos) bool {
	if a.overdue != b.overdue {
		return a.overdue
	}
	if a.due != b.due {
		return a.due < b.due
	}
	return a.id < b.id
}
