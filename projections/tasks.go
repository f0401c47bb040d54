package projections

import (
	"encoding/base64"
	"slices"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// Tasks (uppgifter) are part of the case projection: each case's tasks are
// derived from its folded state by the rules of domain.CaseTaskRules, and a
// partner contact's new_violence tasks from the contact's dates and its
// treatment case. Everything is computed from events, so a rebuild from
// zero and a restored snapshot give what the live projection has (a test
// compares them). Overdue depends on the day and is decided when the list
// is read.
//
// A case's tasks are derived when they are read, not at every event: an
// event marks them stale (a flag), and a read derives the stale ones of the
// units it lists. A replay of a million events derives nothing, and a
// write costs one derivation at the next read.

// caseChanged marks a case's tasks stale and derives again the
// new-violence tasks of its partner contacts (they follow the treatment
// case's unit; there are few).
func (c *Cases) caseChanged(id domain.ID, e *caseEntry) {
	c.markStale(e)
	for _, pc := range c.byCase[id] {
		c.deriveContactTasks(pc)
	}
}

func (c *Cases) markStale(e *caseEntry) {
	if !e.stale {
		e.stale = true
		c.stale++
	}
}

// derive brings a case's tasks up to date; the caller holds the write lock.
func (c *Cases) derive(e *caseEntry) {
	if !e.stale {
		return
	}
	e.tasks = domain.CaseTasks(e.state, c.rules, domain.TaskInputs{BirthYear: c.birthYear, Periods: c.periods})
	e.stale = false
	c.stale--
}

// freshen derives the stale tasks of the given cases (nil: of the units).
func (c *Cases) freshen(units []string, only string, ids ...domain.ID) {
	c.mu.RLock()
	pending := c.stale > 0
	c.mu.RUnlock()
	if !pending {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if e := c.cases[id]; e != nil {
			c.derive(e)
		}
	}
	for _, unit := range units {
		if only != "" && unit != only {
			continue
		}
		for id := range c.byUnit[unit] {
			c.derive(c.cases[id])
		}
	}
}

func (c *Cases) birthYear(id domain.ID) int { return c.births[id] }

func (c *Cases) deriveContactTasks(id domain.ID) {
	link := c.contacts[id]
	e := c.cases[link.Case]
	if e == nil || len(link.Violence) == 0 {
		delete(c.contactTasks, id)
		return
	}
	c.contactTasks[id] = domain.NewViolenceTasks(id, e.state, link.Violence, link.Concerns)
}

// applyPerson keeps birth years, which decide a placed child's school age;
// a changed year derives again the tasks of the cases that placed the child.
func (c *Cases) applyPerson(env *eventstore.Envelope) {
	year := -1
	switch f := env.Facts.(type) {
	case domain.PersonRegistered:
		year = f.BirthYear
	case domain.PersonDetailsChanged:
		year = f.BirthYear
	}
	if year < 0 || c.births[env.AggregateID] == year {
		return
	}
	if year == 0 {
		delete(c.births, env.AggregateID)
	} else {
		c.births[env.AggregateID] = year
	}
	for _, id := range c.placedIn[env.AggregateID] {
		if e := c.cases[id]; e != nil {
			c.markStale(e)
		}
	}
}

// TaskRow is one task as GET /tasks lists it.
type TaskRow struct {
	TaskID     string          `json:"task_id"`
	Kind       domain.TaskKind `json:"kind"`
	CaseID     domain.ID       `json:"case_id,omitempty"`
	ProviderID domain.ID       `json:"provider_id,omitempty"`
	ChildID    domain.ID       `json:"child_id,omitempty"`
	PersonID   domain.ID       `json:"person_id,omitempty"`
	Unit       string          `json:"unit"`
	// Assignee owns the task; for a task of the unit's supervisors it is
	// null and owner says "supervisors".
	Assignee *string     `json:"assignee"`
	Owner    string      `json:"owner"`
	DueOn    domain.Date `json:"due_on"`
	Status   string      `json:"status"`
	DoneOn   domain.Date `json:"done_on,omitzero"`
	Overdue  bool        `json:"overdue"`
	Late     bool        `json:"late,omitempty"`
	Urgent   bool        `json:"urgent,omitempty"`
	Title    string      `json:"title,omitempty"` // own tasks, filled in by the API
}

// Task statuses.
const (
	TaskOpen = "open"
	TaskDone = "done"
)

func taskRow(t *domain.Task, today domain.Date) TaskRow {
	r := TaskRow{TaskID: t.ID, Kind: t.Kind, CaseID: t.CaseID, ProviderID: t.ProviderID, ChildID: t.ChildID, PersonID: t.PersonID, Unit: t.Unit,
		Owner: "assignee", DueOn: t.DueOn, Status: TaskOpen, DoneOn: t.DoneOn,
		Overdue: t.Overdue(today), Late: t.Late(), Urgent: t.Urgent}
	if t.Supervisors {
		r.Owner = "supervisors"
	} else {
		a := t.Assignee
		r.Assignee = &a
	}
	if t.Done {
		r.Status = TaskDone
	}
	return r
}

// TaskQuery selects tasks.
type TaskQuery struct {
	// Units the reader works in: only their tasks are listed. Tasks of the
	// units' supervisors are listed only to supervisors.
	Units      []string
	Supervisor bool
	// Filters (zero: any; Status zero: open).
	Unit     string
	Assignee string
	Status   string
	Kind     domain.TaskKind
	Overdue  bool
	Today    domain.Date
	Limit    int
	Cursor   string
	// UrgentToday widens Overdue to urgent tasks due today (the
	// dashboard: a protection assessment or new violence cannot wait).
	UrgentToday bool
	// Extra are tasks from outside the case projection (a provider's
	// follow-up), already in the caller's scope; they are filtered, ordered
	// and paged with the rest.
	Extra []domain.Task
}

// taskCand is a task's place in the list order.
type taskCand struct {
	listPos
	task *domain.Task
}

// before orders tasks in the list order (listPos).
func (a taskCand) before(b taskCand) bool { return a.listPos.before(b.listPos) }

// Tasks lists tasks, overdue first, then by due date, then by id; a page
// of at most Limit and the cursor of the next page ("" when none).
func (c *Cases) Tasks(q TaskQuery) ([]TaskRow, string, error) {
	after, err := decodeTaskCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	status := q.Status
	if status == "" {
		status = TaskOpen
	}
	// The page is kept as a bounded max-heap of the limit+1 first tasks
	// in list order: a unit holds tens of thousands of tasks, and sorting
	// them all for one page of 50 was most of the cost.
	c.freshen(q.Units, q.Unit)
	top := taskTop{max: limit + 1}
	consider := func(t *domain.Task) {
		if (t.Supervisors && !q.Supervisor) || (q.Unit != "" && t.Unit != q.Unit) {
			return
		}
		if (status == TaskOpen) == t.Done || (q.Kind != "" && t.Kind != q.Kind) || (q.Assignee != "" && t.Assignee != q.Assignee) {
			return
		}
		k := taskCand{listPos: listPos{overdue: t.Overdue(q.Today), due: t.DueOn.Time().Unix() / 86400, id: t.ID}, task: t}
		pressing := k.overdue || (q.UrgentToday && t.Urgent && !t.Done && !t.DueOn.After(q.Today))
		if (q.Overdue && !pressing) || (after != nil && !after.before(k)) {
			return
		}
		top.push(k)
	}
	for i := range q.Extra {
		consider(&q.Extra[i])
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, unit := range q.Units {
		if q.Unit != "" && unit != q.Unit {
			continue
		}
		for id := range c.byUnit[unit] {
			e := c.cases[id]
			for i := range e.tasks {
				consider(&e.tasks[i])
			}
			for _, pc := range c.byCase[id] {
				ts := c.contactTasks[pc]
				for i := range ts {
					consider(&ts[i])
				}
			}
		}
	}
	cands := top.sorted()
	n := min(limit, len(cands))
	rows := make([]TaskRow, n)
	for i := range n {
		rows[i] = taskRow(cands[i].task, q.Today)
	}
	if len(cands) <= limit {
		return rows, "", nil
	}
	return rows, encodeTaskCursor(cands[n-1]), nil
}

// taskTop keeps the max first candidates in list order: a max-heap on
// "before", whose root is the last of those kept.
type taskTop struct {
	max  int
	heap []taskCand
}

func (h *taskTop) push(k taskCand) {
	if len(h.heap) < h.max {
		h.heap = append(h.heap, k)
		for i := len(h.heap) - 1; i > 0; {
			parent := (i - 1) / 2
			if !h.heap[parent].before(h.heap[i]) {
				break
			}
			h.heap[parent], h.heap[i] = h.heap[i], h.heap[parent]
			i = parent
		}
		return
	}
	if !k.before(h.heap[0]) {
		return
	}
	h.heap[0] = k
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h.heap) && h.heap[big].before(h.heap[l]) {
			big = l
		}
		if r < len(h.heap) && h.heap[big].before(h.heap[r]) {
			big = r
		}
		if big == i {
			return
		}
		h.heap[i], h.heap[big] = h.heap[big], h.heap[i]
		i = big
	}
}

// sorted is the kept candidates in list order.
func (h *taskTop) sorted() []taskCand {
	slices.SortFunc(h.heap, func(a, b taskCand) int {
		switch {
		case a.before(b):
			return -1
		case b.before(a):
			return 1
		}
		return 0
	})
	return h.heap
}

// The task cursor is the last row's sort key: overdue flag, due day, id.
func encodeTaskCursor(k taskCand) string {
	flag := byte('1')
	if k.overdue {
		flag = '0'
	}
	b := append([]byte{flag}, k.task.DueOn.String()...)
	return base64.RawURLEncoding.EncodeToString(append(b, k.id...))
}

func decodeTaskCursor(s string) (*taskCand, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 1+10+1 || len(b) > 1+10+200 || (b[0] != '0' && b[0] != '1') {
		return nil, ErrBadCursor
	}
	d, err := domain.ParseDate(string(b[1:11]))
	if err != nil {
		return nil, ErrBadCursor
	}
	return &taskCand{listPos: listPos{overdue: b[0] == '0', due: d.Time().Unix() / 86400, id: string(b[11:])}}, nil
}

// OverdueTasks is every overdue task of the units (at most limit).
func (c *Cases) OverdueTasks(units []string, supervisor bool, today domain.Date, limit int) []TaskRow {
	rows, _, _ := c.Tasks(TaskQuery{Units: units, Supervisor: supervisor, Overdue: true, Today: today, Limit: limit})
	return rows
}

// DashboardTasks are the dashboard's tasks: the overdue ones of the units
// and the urgent ones due today, with extra tasks from outside the case
// projection (at most limit).
func (c *Cases) DashboardTasks(units []string, supervisor bool, today domain.Date, limit int, extra ...domain.Task) []TaskRow {
	rows, _, _ := c.Tasks(TaskQuery{Units: units, Supervisor: supervisor, Overdue: true, UrgentToday: true, Today: today, Limit: limit, Extra: extra})
	return rows
}

// CaseTasks lists one case's tasks (for the case file), the supervisors'
// only to supervisors.
func (c *Cases) CaseTasks(id domain.ID, supervisor bool, today domain.Date) []TaskRow {
	c.freshen(nil, "", id)
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.cases[id]
	if e == nil {
		return nil
	}
	out := make([]TaskRow, 0, len(e.tasks))
	for i := range e.tasks {
		out = append(out, taskRow(&e.tasks[i], today))
	}
	if supervisor {
		for _, pc := range c.byCase[id] {
			for i := range c.contactTasks[pc] {
				out = append(out, taskRow(&c.contactTasks[pc][i], today))
			}
		}
	}
	return out
}

// Link is a link between two cases seen from one of them.
type Link struct {
	CaseID    domain.ID
	Relation  domain.LinkRelation
	Direction string // "to": recorded on this case; "from": on the other
}

// Links lists a case's links in both directions. Whether the reader may
// see each is the API's to decide (both cases must be in reach).
func (c *Cases) Links(id domain.ID) []Link {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []Link
	if e := c.cases[id]; e != nil {
		for _, l := range e.state.Links {
			out = append(out, Link{CaseID: l.CaseID, Relation: l.Relation, Direction: "to"})
		}
	}
	for _, l := range c.linkedFrom[id] {
		out = append(out, Link{CaseID: l.CaseID, Relation: l.Relation, Direction: "from"})
	}
	return out
}

// ContactCase is the treatment case of a partner contact.
func (c *Cases) ContactCase(id domain.ID) (domain.ID, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	l, ok := c.contacts[id]
	return l.Case, ok && l.Case != ""
}

// UsePeriods sets the periods derivations count with (the municipality's
// settings); a change derives every case's tasks again at their next read.
func (c *Cases) UsePeriods(p domain.TaskPeriods) {
	c.mu.RLock()
	same := c.periods == p
	c.mu.RUnlock()
	if same {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.periods = p
	for _, e := range c.cases {
		c.markStale(e)
	}
}
