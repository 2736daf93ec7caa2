// Package health answers wxlogin's probes. /healthz says the process is up;
// /readyz runs named checks (the database answers, the secret store
// answers, the schema is current, no shutdown has begun) and answers 200
// when all pass, 503 naming those that fail. A body never carries a
// check's error, which could name a host, a user or a path: failures are
// logged instead.
package health

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Timeout bounds each check of one /readyz request.
const Timeout = 2 * time.Second

// Check is one readiness condition: Run fails while it does not hold.
type Check struct {
	Name string
	Run  func(context.Context) error
}

// Result values in a /readyz body.
const (
	Pass = "ok"
	Fail = "fail"
)

// Report is the body of a /readyz answer.
type Report struct {
	Ready bool `json:"ready"`
	// Checks maps each check's name to Pass or Fail.
	Checks map[string]string `json:"checks"`
}

// Live answers 200 while the process serves at all.
func Live(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// Ready returns the /readyz handler: it runs checks concurrently and logs
// the failures to logger.
func Ready(logger *slog.Logger, checks ...Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), Timeout)
		defer cancel()
		rep := Report{Ready: true, Checks: make(map[string]string, len(checks))}
		errs := make([]error, len(checks))
		var wg sync.WaitGroup
		for i, c := range checks {
			wg.Go(func() { errs[i] = c.Run(ctx) })
		}
		wg.Wait()
		for i, c := range checks {
			rep.Checks[c.Name] = Pass
			if errs[i] != nil {
				rep.Ready, rep.Checks[c.Name] = false, Fail
				logger.LogAttrs(ctx, slog.LevelWarn, "readiness check failed",
					slog.String("check", c.Name), slog.String("error", errs[i].Error()))
			}
		}
		status := http.StatusOK
		if !rep.Ready {
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(rep)
	})
}
