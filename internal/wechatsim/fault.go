package wechatsim

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Fault makes the emulator misbehave for requests to Path, before normal
// handling: first it waits Delay, then it hangs (Drop), answers an HTML page
// (HTML) or answers errcode ErrCode, in that order of precedence. A fault
// with only a Delay lets the request through afterwards.
type Fault struct {
	// Path is matched exactly against the handler-relative path, e.g.
	// "/sns/oauth2/access_token"; "" matches every path.
	Path    string
	ErrCode int
	Delay   time.Duration
	// HTML answers a gateway-style HTML error page instead of JSON.
	HTML bool
	// Status is the HTTP status of the HTML page; 0 means 200.
	Status int
	// Drop never answers: the request hangs until the client gives up.
	Drop bool
	// Times is how many requests the fault affects; 0 means until cleared.
	Times int
}

// faults is the active faults in injection order; the first that matches a
// request applies to it.
type faults struct {
	mu   sync.Mutex
	list []*Fault
}

// InjectFault adds f after the faults already active.
func (s *Sim) InjectFault(f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.list = append(s.faults.list, &f)
}

// ClearFaults removes every fault.
func (s *Sim) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.list = nil
}

// take returns the fault for path, counting one use of it.
func (fs *faults) take(path string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.list {
		if f.Path != "" && f.Path != path {
			continue
		}
		applied := *f
		if f.Times > 0 {
			if f.Times--; f.Times == 0 {
				fs.list = slices.Delete(fs.list, i, i+1)
			}
		}
		return applied, true
	}
	return Fault{}, false
}

func (s *Sim) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.take(r.URL.Path)
		if !ok || !s.misbehave(w, r, f) {
			next.ServeHTTP(w, r)
		}
	})
}

// misbehave applies f and reports whether it answered (or abandoned) r.
func (s *Sim) misbehave(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if !wait(r.Context(), f.Delay) {
		return true
	}
	switch {
	case f.Drop:
		<-r.Context().Done()
	case f.HTML:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(gatewayPage))
	case f.ErrCode != 0:
		s.writeError(w, apiError(f.ErrCode))
	default:
		return false
	}
	return true
}

const gatewayPage = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>" +
	"<body><h1>502 Bad Gateway</h1></body></html>\n"

// wait sleeps d unless ctx ends first; it reports whether it slept.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
