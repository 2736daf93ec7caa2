package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api"
	"github.com/wxlogin/wxlogin/internal/health"
	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/ratelimit"
	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
	"github.com/wxlogin/wxlogin/tenants"
)

func runServe(ctx context.Context, env *environment, args []string) error {
	return withApp(ctx, env, flag.NewFlagSet("serve", flag.ContinueOnError), args, func(a *app) error {
		return a.serve(ctx, nil, nil)
	})
}

// serve runs the HTTP server, and the metrics listener when one is
// configured, until ctx ends; then it shuts down gracefully (see shutdown).
// ready, when set, is called once it listens.
func (a *app) serve(ctx context.Context, extra map[string]http.Handler, ready func(addr string)) error {
	var shuttingDown atomic.Bool
	readyz := health.Ready(a.logger, a.readiness(&shuttingDown)...)
	handler, err := a.handler(extra, readyz)
	if err != nil {
		return err
	}
	web := a.newServer(handler)
	web.RegisterOnShutdown(func() { shuttingDown.Store(true) }) // once it stopped accepting
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return err
	}
	servers, listeners := []*http.Server{web}, []net.Listener{ln}
	attrs := []slog.Attr{slog.String("addr", ln.Addr().String()), slog.String("public_url", a.cfg.PublicURL)}
	if a.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.cfg.MetricsAddr)
		if err != nil {
			return errors.Join(err, ln.Close())
		}
		servers, listeners = append(servers, a.newServer(a.opsHandler(readyz))), append(listeners, mln)
		attrs = append(attrs, slog.String("metrics_addr", mln.Addr().String()))
	}
	a.logger.LogAttrs(ctx, slog.LevelInfo, "listening", attrs...)
	if ready != nil {
		ready(ln.Addr().String())
	}

	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	var sweeper sync.WaitGroup
	defer sweeper.Wait() // the sweeper and the purge are done before the caller closes the database
	sweepCtx, stopSweeping := context.WithCancel(ctx)
	defer stopSweeping()
	sweeper.Go(func() { a.sweep(sweepCtx) })
	sweeper.Go(func() { a.purge(sweepCtx) })

	select {
	case err := <-errc:
		for _, srv := range servers {
			_ = srv.Close()
		}
		return err
	case <-ctx.Done():
	}
	return a.shutdown(servers, errc)
}

// shutdown stops the servers in order, the HTTP server first: it stops
// accepting connections (and /readyz turns 503), then waits for the
// requests in flight, for up to ShutdownTimeout in all. The metrics
// listener closes last, so it can be scraped and probed while the HTTP
// server drains. Requests still running at the deadline are cut and
// shutdown fails.
func (a *app) shutdown(servers []*http.Server, errc <-chan error) error {
	a.logger.Info("shutting down", slog.Duration("timeout", a.cfg.ShutdownTimeout))
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	for _, srv := range servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shut down: %w", err), srv.Close())
		}
	}
	for range servers {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	a.logger.Info("shut down")
	return nil
}

// writeSlack is how much longer than RequestTimeout the server may take to
// write an answer: a request cut at its deadline is still answered.
const writeSlack = 15 * time.Second

// newServer is an HTTP server of h whose timeouts bound every connection:
// a client sending its request slowly, or reading the answer slowly, is cut
// off instead of holding the connection.
func (a *app) newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      a.cfg.RequestTimeout + writeSlack,
		IdleTimeout:       120 * time.Second,
	}
}

// handler is wxlogin's HTTP handler: hosted login, admin API, sandbox,
// probes, and the extra handlers (the demo site).
func (a *app) handler(extra map[string]http.Handler, readyz http.Handler) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	deps := api.Deps{Login: a.login, Tokens: a.tokens, Keys: a.db, Reports: a.db, Extra: extra, RequestTimeout: a.cfg.RequestTimeout,
		Limiter: a.limiter, Limits: a.limits(), TrustedProxies: a.cfg.TrustedProxies, Logger: a.logger, Metrics: a.metrics, Ready: readyz,
		ConsoleWeChat: api.ConsoleWeChat{TenantID: a.cfg.ConsoleWeChatTenant, AppID: a.cfg.ConsoleWeChatAppID}}
	if a.cfg.Sandbox {
		deps.Sandbox = wechatsim.New(wechatsim.Config{Seed: a.sandboxSeed})
	}
	return api.New(deps)
}

// limits are the rate limits as configured; their names key the buckets
// and label the metrics.
func (a *app) limits() api.Limits {
	return api.Limits{
		Login: ratelimit.Limit{Name: "login", Rate: a.cfg.LoginRate, Burst: a.cfg.LoginBurst},
		Token: ratelimit.Limit{Name: "token", Rate: a.cfg.TokenRate, Burst: a.cfg.TokenBurst},
		API:   ratelimit.Limit{Name: "api", Rate: a.cfg.APIRate, Burst: a.cfg.APIBurst},
	}
}

// opsHandler serves the metrics listener: /metrics, and the probes again so
// that they answer while the HTTP server drains.
func (a *app) opsHandler(readyz http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	mux.HandleFunc("GET /healthz", health.Live)
	mux.Handle("GET /readyz", readyz)
	return mux
}

var (
	errShuttingDown = errors.New("shutting down")
	errSchemaBehind = errors.New("migrations pending: run wxlogin migrate up")
)

// readiness lists what /readyz checks: no shutdown has begun, the database
// and the secret store answer, and every migration is applied.
func (a *app) readiness(shuttingDown *atomic.Bool) []health.Check {
	return []health.Check{
		{Name: "shutdown", Run: func(context.Context) error {
			if shuttingDown.Load() {
				return errShuttingDown
			}
			return nil
		}},
		{Name: "database", Run: a.db.Ping},
		{Name: "secrets", Run: a.secrets.Ping},
		{Name: "migrations", Run: func(ctx context.Context) error {
			current, err := a.db.SchemaCurrent(ctx)
			if err == nil && !current {
				err = errSchemaBehind
			}
			return err
		}},
	}
}

// sweepInterval is how often expired login transactions and codes, and
// idempotency records, are deleted.
const sweepInterval = time.Minute

// sweep deletes expired logins, idempotency records and console sessions,
// and rolls up report days, until ctx ends.
// Every replica sweeps; the deletes are idempotent.
func (a *app) sweep(ctx context.Context) {
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := a.login.Sweep(ctx); err != nil {
			a.logger.Warn("sweep expired logins", slog.String("error", err.Error()))
		} else {
			a.logger.Debug("swept expired logins", slog.Int64("rows", n))
		}
		if n, err := a.tenants.SweepIdempotencyRecords(ctx); err != nil {
			a.logger.Warn("sweep expired idempotency records", slog.String("error", err.Error()))
		} else {
			a.logger.Debug("swept expired idempotency records", slog.Int64("rows", n))
		}
		if n, err := a.tenants.SweepConsoleSessions(ctx); err != nil {
			a.logger.Warn("sweep expired console sessions", slog.String("error", err.Error()))
		} else {
			a.logger.Debug("swept expired console sessions", slog.Int64("rows", n))
		}
		a.rollUpReports(ctx)
	}
}

// rollUpReports rolls up the report days of every tenant that ended (see
// reports.RollUp). Replicas never roll up one day twice.
func (a *app) rollUpReports(ctx context.Context) {
	ts, err := a.db.ListTenants(ctx)
	if err == nil {
		var n int
		n, err = reports.RollUp(ctx, a.db, ts, time.Now())
		a.logger.Debug("rolled up report days", slog.Int("days", n))
	}
	if err != nil {
		a.logger.Warn("roll up report days", slog.String("error", err.Error()))
	}
}

// purgeInterval is how often a replica looks for account deletions that
// other replicas recorded; one it records itself it starts on at once.
const purgeInterval = 10 * time.Second

// purge carries out account deletions (tenants.Service.PurgeAccounts) until
// ctx ends: at start (a deletion a stopped replica left goes on), when this
// replica records one, and every purgeInterval. Every replica runs it; the
// purge's lease lets one work at a time.
func (a *app) purge(ctx context.Context) {
	host, _ := os.Hostname()
	p := tenants.Purge{Holder: host + "/" + opaque.Hex(8), BatchSize: a.cfg.DeleteBatchSize, Pause: a.cfg.DeleteBatchPause,
		Batch: func(d tenants.AccountDeletion) {
			a.logger.Debug("purged a batch of a deleted account", slog.String("tenant", d.TenantID), slog.String("appid", d.AppID),
				slog.String("deletion", d.ID), slog.Int64("identities", d.Identities), slog.Int64("login_events", d.LoginEvents))
		}}
	t := time.NewTicker(purgeInterval)
	defer t.Stop()
	for {
		done, err := a.tenants.PurgeAccounts(ctx, p)
		for _, d := range done {
			a.logger.Info("deleted account purged", slog.String("tenant", d.TenantID), slog.String("appid", d.AppID),
				slog.String("deletion", d.ID), slog.Int64("identities", d.Identities), slog.Int64("login_events", d.LoginEvents),
				slog.Duration("took", d.FinishedAt.Sub(d.RequestedAt)))
		}
		if err != nil && ctx.Err() == nil {
			a.logger.Warn("purge deleted accounts", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-a.accountDeleted:
		}
	}
}
