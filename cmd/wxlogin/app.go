package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/wxlogin/wxlogin/internal/config"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/metrics"
	"github.com/wxlogin/wxlogin/internal/ratelimit"
	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/internal/wechat"
	"github.com/wxlogin/wxlogin/tenants"
)

// app is wxlogin wired from its configuration: the one place that builds
// the services from settings.
type app struct {
	cfg     config.Config
	db      *store.DB
	secrets secrets.Store
	// closeSecrets stops the secret store's background work.
	closeSecrets func()
	tokens       *token.Manager
	tenants      *tenants.Service
	login        *login.Service
	logger       *slog.Logger
	metrics      *metrics.Metrics
	// sandboxSeed derives the sandbox's openids and unionids; random when
	// nil.
	sandboxSeed []byte
	// accountDeleted is signalled when this replica records an account
	// deletion, for purge to start on it.
	accountDeleted chan struct{}
	limiter        *ratelimit.Limiter
	// closeLimiter closes the limiter's connections to Redis.
	closeLimiter func()
}

func openApp(ctx context.Context, env *environment) (*app, error) {
	cfg, err := config.Load(env.lookupEnv)
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewJSONHandler(env.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{MaxConns: cfg.DatabaseMaxConns})
	if err != nil {
		return nil, err
	}
	sec, closeSecrets, err := openSecrets(cfg, logger)
	if err != nil {
		db.Close()
		return nil, err
	}
	m := metrics.New()
	m.WatchDB(db.SQL(), "wxlogin")
	now := func() time.Time { return time.Now().UTC() }
	limiter, closeLimiter, err := openLimiter(cfg, now, logger, m)
	if err != nil {
		closeSecrets()
		db.Close()
		return nil, err
	}
	tokens := token.NewManager(db, sec, token.Config{Now: now})
	accountDeleted := make(chan struct{}, 1)
	ts := &tenants.Service{Store: db, Secrets: sec, Keys: tokens, Now: now, AccountDeleted: func() {
		select {
		case accountDeleted <- struct{}{}:
		default: // a purge is due already
		}
	}}
	// Keep connections to WeChat open: every login calls it, and each new
	// connection to api.weixin.qq.com is a TLS handshake.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 128
	live := wechat.Config{APIURL: cfg.WeChatAPIURL, OpenURL: cfg.WeChatOpenURL, HTTP: &http.Client{Transport: transport},
		Timeout: cfg.WeChatTimeout, Budget: cfg.WeChatBudget, MaxInFlight: cfg.WeChatMaxInFlight, Observer: m}
	ls := &login.Service{
		Store: db, Tenants: ts, Signer: tokens, WeChat: login.Clients(live, cfg.PublicURL),
		PublicURL: cfg.PublicURL, Now: now, Observer: m,
	}
	if cfg.AccountCacheTTL > 0 {
		ls.CacheAccounts(cfg.AccountCacheTTL)
	}
	return &app{cfg: cfg, db: db, secrets: sec, closeSecrets: closeSecrets, tokens: tokens, tenants: ts, login: ls, logger: logger, metrics: m,
		accountDeleted: accountDeleted, limiter: limiter, closeLimiter: closeLimiter}, nil
}

// openLimiter keeps the rate limits' buckets in Redis when it is
// configured, shared by every replica, and in memory otherwise.
func openLimiter(cfg config.Config, now func() time.Time, logger *slog.Logger, m *metrics.Metrics) (*ratelimit.Limiter, func(), error) {
	c := ratelimit.Config{Now: now, Logger: logger, Observer: m}
	closeStore := func() {}
	if cfg.RedisURL != "" {
		r, err := ratelimit.OpenRedis(ratelimit.RedisConfig{URL: cfg.RedisURL, Prefix: cfg.RedisPrefix, Logger: logger})
		if err != nil {
			return nil, nil, err
		}
		c.Store, closeStore = r, func() { _ = r.Close() }
	}
	return ratelimit.New(c), closeStore, nil
}

// openSecrets picks Vault when it is configured, the local encrypted store
// under the data directory otherwise, and caches reads for SecretCacheTTL.
// stop ends Vault's logins and renewals.
func openSecrets(cfg config.Config, logger *slog.Logger) (store secrets.Store, stop func(), err error) {
	if cfg.VaultAddr == "" {
		local, err := secrets.OpenLocal(filepath.Join(cfg.DataDir, "secrets"))
		if err != nil {
			return nil, nil, fmt.Errorf("open secret store: %w", err)
		}
		return cachedSecrets(cfg, local, logger), func() {}, nil
	}
	v, err := secrets.NewVault(secrets.VaultConfig{
		Address: cfg.VaultAddr, Auth: cfg.VaultAuth, Token: cfg.VaultToken,
		AppRole: secrets.AppRoleConfig{RoleID: cfg.VaultAppRoleRoleID, SecretID: cfg.VaultAppRoleSecretID,
			SecretIDFile: cfg.VaultAppRoleSecretIDFile, Mount: cfg.VaultAppRoleMount},
		Kubernetes: secrets.KubernetesConfig{Role: cfg.VaultKubernetesRole, Mount: cfg.VaultKubernetesMount,
			TokenFile: cfg.VaultKubernetesTokenFile},
		Mount: cfg.VaultMount, Prefix: cfg.VaultPrefix, Timeout: cfg.VaultTimeout, Logger: logger,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open secret store: %w", err)
	}
	return cachedSecrets(cfg, v, logger), v.Close, nil
}

func cachedSecrets(cfg config.Config, s secrets.Store, logger *slog.Logger) secrets.Store {
	return secrets.Cached(s, secrets.CacheConfig{TTL: cfg.SecretCacheTTL, MaxStale: cfg.SecretMaxStale, Logger: logger})
}

func (a *app) Close() {
	a.closeLimiter()
	a.closeSecrets()
	a.db.Close()
}

// withApp parses fs, opens the app and runs f with it.
func withApp(ctx context.Context, env *environment, fs *flag.FlagSet, args []string, f func(*app) error) error {
	fs.SetOutput(env.stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, env)
	if err != nil {
		return err
	}
	defer a.Close()
	return f(a)
}
