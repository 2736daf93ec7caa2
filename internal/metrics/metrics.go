// Package metrics is wxlogin's Prometheus instrumentation: one registry,
// the series below, and the handler that serves them. It implements the
// small observer interfaces that the HTTP layer, the login service and the
// WeChat client declare, so none of them imports Prometheus.
//
// Label values are bounded: tenant and appid name configured accounts (the
// callers pass them only once a login's transaction or code proved them),
// outcome and result come from fixed lists, route is gin's route template
// (never the raw path), api is one of WeChat's few /sns paths and errcode
// one of WeChat's documented errcodes, limit one of wxlogin's rate limits.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds wxlogin's series. It is safe for concurrent use.
type Metrics struct {
	registry       *prometheus.Registry
	logins         *prometheus.CounterVec
	tokens         *prometheus.CounterVec
	wechatDuration *prometheus.HistogramVec
	wechatErrcodes *prometheus.CounterVec
	httpDuration   *prometheus.HistogramVec
	httpInFlight   prometheus.Gauge
	rateLimited    *prometheus.CounterVec
	limitStoreErrs prometheus.Counter
}

// New registers wxlogin's series, and the Go runtime's and the process's,
// in a registry of their own.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wxlogin_logins_total",
			Help: "Hosted-login callbacks by tenant, account (appid) and outcome.",
		}, []string{"tenant", "appid", "outcome"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wxlogin_tokens_issued_total",
			Help: "Token responses of the token endpoint (a code or a refresh token redeemed), by tenant and account (appid).",
		}, []string{"tenant", "appid"}),
		wechatDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wxlogin_wechat_request_duration_seconds",
			Help:    "Requests to WeChat's APIs by API path and result (ok, errcode, transport, bad_response).",
			Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"api", "result"}),
		wechatErrcodes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wxlogin_wechat_errcodes_total",
			Help: "WeChat answers carrying a non-zero errcode, by API path and errcode.",
		}, []string{"api", "errcode"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wxlogin_http_request_duration_seconds",
			Help:    "HTTP requests by route template (empty when no route matched) and status class.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "status"}),
		httpInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wxlogin_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wxlogin_rate_limited_total",
			Help: "Requests refused with 429 by rate limit (login, token, api).",
		}, []string{"limit"}),
		limitStoreErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wxlogin_rate_limit_store_failures_total",
			Help: "Failed requests to the rate limits' shared store (Redis); meanwhile each replica limits on its own.",
		}),
	}
	m.registry.MustRegister(m.logins, m.tokens, m.wechatDuration, m.wechatErrcodes, m.httpDuration, m.httpInFlight,
		m.rateLimited, m.limitStoreErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchDB adds the connection pool statistics of db, labelled db_name=name.
func (m *Metrics) WatchDB(db *sql.DB, name string) {
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// Handler serves the series in Prometheus' exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Login counts a login callback's outcome.
func (m *Metrics) Login(tenantID, appID, outcome string) {
	m.logins.WithLabelValues(tenantID, appID, outcome).Inc()
}

// TokenIssued counts a JWT issued.
func (m *Metrics) TokenIssued(tenantID, appID string) {
	m.tokens.WithLabelValues(tenantID, appID).Inc()
}

// WeChatCall records one request to WeChat.
func (m *Metrics) WeChatCall(api, result string, errcode int, d time.Duration) {
	m.wechatDuration.WithLabelValues(api, result).Observe(d.Seconds())
	if errcode != 0 {
		m.wechatErrcodes.WithLabelValues(api, strconv.Itoa(errcode)).Inc()
	}
}

// RequestStarted counts a request in flight until RequestDone.
func (m *Metrics) RequestStarted() { m.httpInFlight.Inc() }

// RequestDone records an answered request.
func (m *Metrics) RequestDone(route string, status int, d time.Duration) {
	m.httpInFlight.Dec()
	m.httpDuration.WithLabelValues(route, strconv.Itoa(status/100)+"xx").Observe(d.Seconds())
}

// RateLimited counts a request refused by a rate limit.
func (m *Metrics) RateLimited(limit string) { m.rateLimited.WithLabelValues(limit).Inc() }

// RateLimitStoreFailed counts a failed request to the rate limits' store.
func (m *Metrics) RateLimitStoreFailed() { m.limitStoreErrs.Inc() }
