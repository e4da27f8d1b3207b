// Package metrics counts what policybot does, for Prometheus to scrape: the
// HTTP requests by route, the match results and chat turns, the calls to
// the database and to Redis, the library served and the complaint
// deliveries by state.
//
// Every label value comes from the program itself (a route's template, an
// error code, a command's name, a state), never from what a client sent,
// so that the number of series stays bounded whatever the traffic. The
// metrics live in a registry of their own rather than Prometheus's global
// one, so that one process (a test) can run many servers.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// buckets are the bounds, in seconds, of every latency histogram: a match
// or a Redis call takes well under a millisecond, a chat turn with Redis
// about one, a database write on a busy disk may take seconds.
var buckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Backends of StoreCall.
const (
	Database = "database"
	Redis    = "redis"
)

// Metrics holds the service's metrics and the registry that serves them.
type Metrics struct {
	reg            *prometheus.Registry
	handler        http.Handler
	requests       *prometheus.CounterVec
	durations      *prometheus.HistogramVec
	errors         *prometheus.CounterVec
	matchResults   *prometheus.CounterVec
	chatTurns      *prometheus.CounterVec
	storeCalls     *prometheus.CounterVec
	storeDurations *prometheus.HistogramVec
}

// New returns the metrics of a process of the given build version, with
// the Go runtime's and the process's own; log receives the errors of a
// scrape.
func New(version string, log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_http_requests_total",
			Help: "HTTP requests answered, by route template (unmatched for a path of no route), method and status.",
		}, []string{"route", "method", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "policybot_http_request_duration_seconds",
			Help:    "Time from a request's first byte read to its answer written, by route template and method.",
			Buckets: buckets,
		}, []string{"route", "method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_http_errors_total",
			Help: "Failed requests by route template and the error code of the JSON error answered.",
		}, []string{"route", "code"}),
		matchResults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_match_results_total",
			Help: "Results answered by POST /v1/match, by status (ineligible ones only when asked for).",
		}, []string{"status"}),
		chatTurns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_chat_turns_total",
			Help: "Chat turns answered, by how the message was read.",
		}, []string{"intent"}),
		storeCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_store_operations_total",
			Help: "Calls to the database (by store method) and to Redis (by command), by result: error when the call failed, ok otherwise (a key or row not found too).",
		}, []string{"backend", "op", "result"}),
		storeDurations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "policybot_store_operation_duration_seconds",
			Help:    "Time of a call to the database or to Redis, by backend and operation.",
			Buckets: buckets,
		}, []string{"backend", "op"}),
	}
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "policybot_build_info",
		Help: "Always 1, labelled with the build's version and the Go that built it.",
	}, []string{"version", "go_version"})
	build.WithLabelValues(version, runtime.Version()).Set(1)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		build, m.requests, m.durations, m.errors, m.matchResults, m.chatTurns, m.storeCalls, m.storeDurations,
	)
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// A collector that fails (the deliveries' query) leaves out its
		// own metrics, not the others.
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg,
	})
	return m
}

// Handler serves the metrics in Prometheus's exposition formats.
func (m *Metrics) Handler() http.Handler { return m.handler }

// Request counts one answered request and its time. route is the route's
// template or "unmatched"; code is the error code answered, "" for none.
func (m *Metrics) Request(route, method string, status int, code string, took time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.durations.WithLabelValues(route, method).Observe(took.Seconds())
	if code != "" {
		m.errors.WithLabelValues(route, code).Inc()
	}
}

// MatchResult counts one result of a match by its status.
func (m *Metrics) MatchResult(status string) { m.matchResults.WithLabelValues(status).Inc() }

// ChatTurn counts one chat turn answered by its intent.
func (m *Metrics) ChatTurn(intent string) { m.chatTurns.WithLabelValues(intent).Inc() }

// StoreCall counts one call to a backend and its time.
func (m *Metrics) StoreCall(backend, op string, took time.Duration, failed bool) {
	result := "ok"
	if failed {
		result = "error"
	}
	m.storeCalls.WithLabelValues(backend, op, result).Inc()
	m.storeDurations.WithLabelValues(backend, op).Observe(took.Seconds())
}

// DatabaseCall counts one call of the store by its method, as
// store.NewObserved tells it.
func (m *Metrics) DatabaseCall(op string, took time.Duration, failed bool) {
	m.StoreCall(Database, op, took, failed)
}

// Library has policybot_library_info name the version current returns at
// each scrape, so that a reload shows without anyone telling the metrics.
// It is called once, when the library is known.
func (m *Metrics) Library(current func() string) {
	m.reg.MustRegister(&libraryCollector{
		desc:    prometheus.NewDesc("policybot_library_info", "Always 1, labelled with the content hash of the policy library served.", []string{"version"}, nil),
		current: current,
	})
}

type libraryCollector struct {
	desc    *prometheus.Desc
	current func() string
}

func (c *libraryCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *libraryCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, 1, c.current())
}

// deliveriesTimeout bounds the query of the deliveries at a scrape, so
// that a stalled database delays no scrape by more.
const deliveriesTimeout = time.Second

// Deliveries has policybot_complaint_deliveries report the counts by
// state that counts returns at each scrape. When counts fails the scrape
// goes without them: the handler logs why and counts it in
// promhttp_metric_handler_errors_total.
func (m *Metrics) Deliveries(counts func(context.Context) (map[string]int, error)) {
	m.reg.MustRegister(&deliveriesCollector{
		desc:   prometheus.NewDesc("policybot_complaint_deliveries", "Complaint tickets in the outbox, by delivery state.", []string{"state"}, nil),
		counts: counts,
	})
}

type deliveriesCollector struct {
	desc   *prometheus.Desc
	counts func(context.Context) (map[string]int, error)
}

func (c *deliveriesCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *deliveriesCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), deliveriesTimeout)
	defer cancel()
	n, err := c.counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for state, v := range n {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), state)
	}
}
