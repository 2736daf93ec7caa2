package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api"
	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

func runServe(ctx context.Context, env *environment, args []string) error {
	return withApp(ctx, env, flag.NewFlagSet("serve", flag.ContinueOnError), args, func(a *app) error {
		return a.serve(ctx, nil, nil)
	})
}

// serve runs the HTTP server until ctx ends, then drains in-flight requests
// for up to ShutdownTimeout. ready, when set, is called once it listens.
func (a *app) serve(ctx context.Context, extra map[string]http.Handler, ready func(addr string)) error {
	gin.SetMode(gin.ReleaseMode)
	deps := api.Deps{Login: a.login, Tokens: a.tokens, Keys: a.db, Reports: a.db, Extra: extra,
		APIRate: a.cfg.APIRate, APIBurst: a.cfg.APIBurst, Logger: a.logger}
	if a.cfg.Sandbox {
		deps.Sandbox = wechatsim.New(wechatsim.Config{})
	}
	handler, err := api.New(deps)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return err
	}
	a.logger.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("public_url", a.cfg.PublicURL))
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go a.sweep(ctx)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down", slog.Duration("timeout", a.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweepInterval is how often expired login transactions and codes, and
// idempotency records, are deleted.
const sweepInterval = time.Minute

// sweep deletes expired logins and idempotency records until ctx ends.
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
	}
}
