package api

import (
	"sort"
	"strconv"
	"strings"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// History paging (GET /cases/{id}/events, API.md: limit 1–500, default
// 100, "the newest page last"). Pages run from the oldest event to the
// newest: the first page (no cursor) holds versions 1..limit, each page's
// next_cursor names the next, newer page, and the page holding the newest
// event has next_cursor null. Inside a page events are in version order.
// A record's versions never change (append-only), so a cursor stays valid
// while the record grows: walking to the end and then following the last
// cursor again later yields what was written since.
//
// The cursor is "v" and the version of the last event of the previous
// page. It is opaque to clients; anything else, or a version the record
// has not reached, is 400.

// defaultHistoryPage is the page size without limit (API.md).
const defaultHistoryPage = 100

// historyPage returns the events of h on the requested page and the
// cursor of the next one ("" for none). limit's form was checked by guard.
func historyPage(c echo.Context, h *eventstore.History) ([]eventstore.Envelope, string, error) {
	limit := defaultHistoryPage
	if v := c.QueryParam("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	var after uint64
	if v := c.QueryParam("cursor"); v != "" {
		n, err := strconv.ParseUint(strings.TrimPrefix(v, "v"), 10, 64)
		if !strings.HasPrefix(v, "v") || err != nil || n == 0 || n > h.Version {
			return nil, "", errBadRequest("", domain.FieldProblem{Field: "cursor", Message: "not a cursor from this list"})
		}
		after = n
	}
	// Versions rise through the history: the page starts after the
	// cursor's version.
	events := h.Events
	start := sort.Search(len(events), func(i int) bool { return events[i].Version > after })
	end := min(start+limit, len(events))
	page := events[start:end]
	if end == len(events) || len(page) == 0 {
		return page, "", nil
	}
	return page, "v" + strconv.FormatUint(page[len(page)-1].Version, 10), nil
}
