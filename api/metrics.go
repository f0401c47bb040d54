package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fristad/fristad/domain"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are labelled by route template and status only: never by ids,
// users or anything a person could be recognised by. They are served on
// a listener of their own (serve --metrics-addr, loopback by default),
// never on the API's address. Even there they do not tell the sides of a
// partner contact apart (metricsRoute, metricsKind): whoever reads the
// metrics, a dashboard shown in the office included, must not learn that
// the partner was approached, answered or reported new violence.
type metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	appends   *prometheus.HistogramVec
	conflicts *prometheus.CounterVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fristad_http_requests_total", Help: "HTTP requests by route template, method and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "fristad_http_request_duration_seconds", Help: "HTTP request latency by route template.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
		appends: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "fristad_append_duration_seconds", Help: "Latency of one command through the event store (load, decide, append).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25},
		}, []string{"aggregate"}),
		conflicts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fristad_append_conflicts_total", Help: "Appends refused because the record changed (409 and 412).",
		}, []string{"aggregate", "kind"}),
	}
	reg.MustRegister(m.requests, m.latency, m.appends, m.conflicts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) request(method, route string, status int, d time.Duration) {
	route = metricsRoute(method, route)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// contactWrites is the one label of every write on a partner contact's
// records: per route, the counts would say which side wrote what.
const contactWrites = "/api/v1/partner-contacts/:id/*"

// metricsRoute is the route label of a request: its template, except
// that every write on an existing partner contact shares one.
func metricsRoute(method, route string) string {
	if method != http.MethodGet && strings.HasPrefix(route, "/api/v1/partner-contacts/:id/") {
		return contactWrites
	}
	return route
}

// metricsKind is the aggregate label of an append: the two records of a
// partner contact share one.
func metricsKind(k domain.Kind) string {
	if k == domain.KindPartnerSide {
		return string(domain.KindPartnerContact)
	}
	return string(k)
}

// conflict counts a refused append (409 or 412).
func (m *metrics) conflict(k domain.Kind, err error) {
	switch problemFor(err).Status {
	case http.StatusConflict:
		m.conflicts.WithLabelValues(metricsKind(k), "lost_race").Inc()
	case http.StatusPreconditionFailed:
		m.conflicts.WithLabelValues(metricsKind(k), "if_match").Inc()
	}
}

func (m *metrics) handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
