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
}

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
		if _, err := s.SetAppSecret(ctx, a.TenantID, a.AppID, appSecret); err != nil {
			return Account{}, err
		}
	}
	return s.Store.GetAccount(ctx, a.TenantID, a.AppID)
}

// UpdateAccount writes a's mutable fields, checked as CreateAccount checks
// them, to the tenant's account with a's AppID.
func (s *Service) UpdateAccount(ctx context.Context, a Account) (Account, error) {
	a = a.withDefaults()
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	a.UpdatedAt = s.Now().UTC()
	if err := s.Store.UpdateAccount(ctx, a); err != nil {
		return Account{}, fmt.Errorf("update account: %w", err)
	}
	return s.Store.GetAccount(ctx, a.TenantID, a.AppID)
}

// DeleteAccount deletes the account, with its client secrets, identities
// and login events, and its AppSecret from the secret store. The AppSecret
// goes first: should the row's delete fail, the account is left without a
// secret (its logins fail) rather than the secret outliving the account,
// and a retry finishes the job.
func (s *Service) DeleteAccount(ctx context.Context, tenantID, appID string) error {
	if err := s.Secrets.Delete(ctx, AppSecretPath(tenantID, appID)); err != nil {
		return fmt.Errorf("delete account: app secret: %w", err)
	}
	if err := s.Store.DeleteAccount(ctx, tenantID, appID); err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	return nil
}
