package wechatsim

import (
	"crypto/rand"
	"net/http"
	"sync"
	"time"
)

// Content types the /sns/* API can answer with.
const (
	ContentTypeText = "text/plain"
	ContentTypeJSON = "application/json; encoding=utf-8"
)

// Config tunes the emulator. The zero value is the lenient, documented
// behaviour with a random seed.
type Config struct {
	// Seed derives openids, unionids and avatars; random when nil. A fixed
	// seed makes identities stable across restarts.
	Seed []byte
	// Now is the clock; default time.Now.
	Now func() time.Time
	// ContentType of /sns/* answers; default ContentTypeText.
	ContentType string
	// StrictOrder makes the authorize page require the documented parameter
	// order (appid, redirect_uri, response_type=code, scope, state, then
	// anything).
	StrictOrder bool
	// StrictState makes the authorize page answer 10013 for an absent or
	// empty state, and "该链接无法访问" for one over 128 bytes or outside
	// [a-zA-Z0-9].
	StrictState bool
	// Snapshot48001 makes /sns/userinfo answer 48001 for a snapshot token.
	Snapshot48001 bool
	// Control exposes POST and DELETE /__sim/faults. For standalone runs
	// only: anyone who can reach the handler can then break it.
	Control bool
}

// maxEntries caps each state table (codes, grants, access tokens); the
// oldest entries are evicted beyond it.
const maxEntries = 200_000

// Sim is one emulated WeChat: its codes, tokens and faults. It is safe for
// concurrent use.
type Sim struct {
	cfg    Config
	mu     sync.Mutex // guards codes, grants and access
	codes  *table[*code]
	grants *table[*grant]       // by refresh token
	access *table[*accessToken] // by access token
	faults faults
}

// New returns an emulator with empty state.
func New(cfg Config) *Sim {
	if cfg.Seed == nil {
		cfg.Seed = make([]byte, 32)
		_, _ = rand.Read(cfg.Seed) // crypto/rand.Read never fails (Go ≥ 1.24)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ContentType == "" {
		cfg.ContentType = ContentTypeText
	}
	return &Sim{
		cfg:    cfg,
		codes:  newTable[*code](maxEntries),
		grants: newTable[*grant](maxEntries),
		access: newTable[*accessToken](maxEntries),
	}
}

// Handler serves WeChat's paths, relative to its root:
// /connect/oauth2/authorize, /connect/qrconnect, /sns/oauth2/access_token,
// /sns/oauth2/refresh_token, /sns/userinfo and /sns/auth (plus
// /__sim/faults when Config.Control is set). Pages link only to their own
// URL, so the handler can be mounted under any prefix with
// http.StripPrefix. All handlers of one Sim share its state; apps are looked
// up in reg.
func (s *Sim) Handler(reg Registry) http.Handler {
	h := &handler{sim: s, reg: reg}
	mux := http.NewServeMux()
	for _, method := range []string{"GET ", "POST "} {
		mux.HandleFunc(method+"/connect/oauth2/authorize", h.page(h.parseOA))
		mux.HandleFunc(method+"/connect/qrconnect", h.page(h.parseQR))
	}
	mux.HandleFunc("/sns/oauth2/access_token", h.api(h.exchange))
	mux.HandleFunc("/sns/oauth2/refresh_token", h.api(h.refresh))
	mux.HandleFunc("/sns/userinfo", h.api(h.userInfo))
	mux.HandleFunc("/sns/auth", h.api(h.auth))

	root := http.NewServeMux()
	root.Handle("/", s.withFaults(mux))
	if s.cfg.Control {
		root.HandleFunc("POST /__sim/faults", s.postFault)
		root.HandleFunc("DELETE /__sim/faults", s.deleteFaults)
	}
	return root
}

// handler serves one Sim with one Registry.
type handler struct {
	sim *Sim
	reg Registry
}
