package tenants

import (
	"context"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/token"
)

// KeyRotator makes a tenant's signing key. *token.Manager is one.
type KeyRotator interface {
	Rotate(ctx context.Context, tenantID string) (token.Key, error)
}

// Service holds the domain's write rules. The operator commands and the admin
// API call it; nothing else writes tenants, accounts or credentials.
type Service struct {
	Store   Store
	Secrets secrets.Store
	Keys    KeyRotator
	Now     func() time.Time
	// AccountDeleted, when set, is called after each account deletion is
	// recorded (to start PurgeAccounts).
	AccountDeleted func()
}

// now is the time of a change, in UTC and whole microseconds as the
// stores keep it.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// CreateTenant creates t, in DefaultTimeZone unless it names a zone, and
// its first signing key.
func (s *Service) CreateTenant(ctx context.Context, t Tenant) (Tenant, error) {
	t = t.withDefaults()
	if err := t.Validate(); err != nil {
		return Tenant{}, err
	}
	t.CreatedAt = s.Now().UTC()
	t.UpdatedAt = t.CreatedAt
	if err := s.Store.CreateTenant(ctx, t); err != nil {
		return Tenant{}, fmt.Errorf("create tenant: %w", err)
	}
	if _, err := s.Keys.Rotate(ctx, t.ID); err != nil {
		return Tenant{}, fmt.Errorf("create tenant signing key: %w", err)
	}
	return t, nil
}

// UpdateTenant writes t's name, time zone (DefaultTimeZone when empty)
// and whether it is disabled.
func (s *Service) UpdateTenant(ctx context.Context, t Tenant) (Tenant, error) {
	t = t.withDefaults()
	if err := t.Validate(); err != nil {
		return Tenant{}, err
	}
	t.UpdatedAt = s.Now().UTC()
	if err := s.Store.UpdateTenant(ctx, t); err != nil {
		return Tenant{}, fmt.Errorf("update tenant: %w", err)
	}
	return s.Store.GetTenant(ctx, t.ID)
}

// CreateAccount registers an official account and, unless appSecret is
// empty (to be set later with SetAppSecret), stores its AppSecret in the
// secret store. The account row is written first so that a conflicting
// create can never replace the AppSecret of an existing account.
func (s *Service) CreateAccount(ctx context.Context, a Account, appSecret string) (Account, error) {
	a = a.withDefaults()
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	if appSecret != "" {
		if err := validateAppSecret(appSecret); err != nil {
			return Account{}, err
		}
	}
	if _, err := s.Store.GetTenant(ctx, a.TenantID); err != nil {
		return Account{}, fmt.Errorf("create account: tenant %s: %w", a.TenantID, err)
	}
	a.CreatedAt = s.Now().UTC()
	a.UpdatedAt = a.CreatedAt
	a.SecretVersion, a.SecretConfirmedVersion, a.SecretUpdatedAt = 0, 0, time.Time{}
	if err := s.Store.CreateAccount(ctx, a); err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	if appSecret != "" {
		return s.SetAppSecret(ctx, a.TenantID, a.AppID, appSecret)
	}
	return s.Store.GetAccount(ctx, a.TenantID, a.AppID)
}

// UpdateAccount applies change to the tenant's account with that AppID
// and writes the result, checked as CreateAccount checks an account, all
// with the account locked (see Store.UpdateAccount): change sees the
// account as the write before it left it, and may refuse it (an ETag that
// no longer matches) with an error, which UpdateAccount returns. The AppID
// and kind never change. Each update moves UpdatedAt (the account's ETag)
// forward, past the one before even when the clock did not move.
func (s *Service) UpdateAccount(ctx context.Context, tenantID, appID string, change func(*Account) error) (Account, error) {
	a, err := s.Store.UpdateAccount(ctx, tenantID, appID, func(old Account) (Account, error) {
		a := old
		if err := change(&a); err != nil {
			return Account{}, err
		}
		a.TenantID, a.AppID, a.Kind = old.TenantID, old.AppID, old.Kind
		a = a.withDefaults()
		if err := a.Validate(); err != nil {
			return Account{}, err
		}
		a.UpdatedAt = s.now()
		if !a.UpdatedAt.After(old.UpdatedAt) {
			a.UpdatedAt = old.UpdatedAt.Add(time.Microsecond)
		}
		return a, nil
	})
	if err != nil {
		return Account{}, fmt.Errorf("update account: %w", err)
	}
	return a, nil
}
