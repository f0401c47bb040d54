package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are labelled by route template and status only: never by ids,
// users or anything a person could be recognised by.
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
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

func (m *metrics) handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
