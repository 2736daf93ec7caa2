package tenants

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
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

// Credential prefixes make a leaked value recognisable (secret scanners,
// support tickets) without revealing anything.
const (
	apiKeyPrefix       = "wxk_"
	clientSecretPrefix = "wxs_"
	credentialBytes    = 32
	maxAppSecretLength = 128
)

// CreateTenant creates t and its first signing key.
func (s *Service) CreateTenant(ctx context.Context, t Tenant) (Tenant, error) {
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

// CreateAccount registers an official account and stores its AppSecret in
// the secret store. The account row is written first so that a conflicting
// create can never replace the AppSecret of an existing account.
func (s *Service) CreateAccount(ctx context.Context, a Account, appSecret string) (Account, error) {
	if a.TokenTTL == 0 {
		a.TokenTTL = DefaultTokenTTL
	}
	if err := a.Validate(); err != nil {
		return Account{}, err
	}
	if err := validateAppSecret(appSecret); err != nil {
		return Account{}, err
	}
	if _, err := s.Store.GetTenant(ctx, a.TenantID); err != nil {
		return Account{}, fmt.Errorf("create account: tenant %s: %w", a.TenantID, err)
	}
	a.CreatedAt = s.Now().UTC()
	a.UpdatedAt = a.CreatedAt
	a.SecretVersion, a.SecretUpdatedAt = 0, time.Time{}
	if err := s.Store.CreateAccount(ctx, a); err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	if _, err := s.SetAppSecret(ctx, a.TenantID, a.AppID, appSecret); err != nil {
		return Account{}, err
	}
	return s.Store.GetAccount(ctx, a.TenantID, a.AppID)
}

// SetAppSecret stores a new version of the account's AppSecret and returns
// its version number.
func (s *Service) SetAppSecret(ctx context.Context, tenantID, appID, appSecret string) (int, error) {
	if err := validateAppSecret(appSecret); err != nil {
		return 0, err
	}
	if _, err := s.Store.GetAccount(ctx, tenantID, appID); err != nil {
		return 0, fmt.Errorf("set app secret: %w", err)
	}
	version, err := s.Secrets.Put(ctx, AppSecretPath(tenantID, appID), map[string]string{"app_secret": appSecret})
	if err != nil {
		return 0, fmt.Errorf("set app secret: %w", err)
	}
	if err := s.Store.SetSecretVersion(ctx, tenantID, appID, version, s.Now().UTC()); err != nil {
		return 0, fmt.Errorf("set app secret: %w", err)
	}
	return version, nil
}

// AppSecret returns the account's current AppSecret from the secret store.
func (s *Service) AppSecret(ctx context.Context, tenantID, appID string) (string, error) {
	sec, err := s.Secrets.Get(ctx, AppSecretPath(tenantID, appID))
	if err != nil {
		return "", fmt.Errorf("read app secret of %s: %w", appID, err)
	}
	return sec.Data["app_secret"], nil
}

func validateAppSecret(v string) error {
	if v == "" || len(v) > maxAppSecretLength {
		return Invalid("app_secret", fmt.Sprintf("1 to %d characters", maxAppSecretLength))
	}
	return nil
}

// CreateAPIKey makes an API key and returns it with its value, which is
// shown this once and never stored. An empty tenantID with RoleOperator makes
// an operator key.
func (s *Service) CreateAPIKey(ctx context.Context, tenantID, name string, role Role, expiresAt *time.Time) (APIKey, string, error) {
	switch {
	case name == "" || len(name) > 200:
		return APIKey{}, "", Invalid("name", "1 to 200 characters")
	case role == RoleOperator && tenantID != "":
		return APIKey{}, "", Invalid("role", "operator keys belong to no tenant")
	case role != RoleOperator && role != RoleAdmin && role != RoleViewer:
		return APIKey{}, "", Invalid("role", "operator, admin or viewer")
	case role != RoleOperator && tenantID == "":
		return APIKey{}, "", Invalid("tenant", "admin and viewer keys belong to a tenant")
	}
	if tenantID != "" {
		if _, err := s.Store.GetTenant(ctx, tenantID); err != nil {
			return APIKey{}, "", fmt.Errorf("create api key: tenant %s: %w", tenantID, err)
		}
	}
	value := opaque.New(apiKeyPrefix, credentialBytes)
	k := APIKey{
		ID: opaque.Hex(16), TenantID: tenantID, Name: name, Role: role,
		Hash: opaque.Hash(value), CreatedAt: s.Now().UTC(), ExpiresAt: expiresAt,
	}
	if err := s.Store.CreateAPIKey(ctx, k); err != nil {
		return APIKey{}, "", fmt.Errorf("create api key: %w", err)
	}
	return k, value, nil
}

// CreateClientSecret makes a client secret for the account (its client_id is
// the AppID) and returns it with its value, shown this once.
func (s *Service) CreateClientSecret(ctx context.Context, tenantID, appID string) (ClientSecret, string, error) {
	if _, err := s.Store.GetAccount(ctx, tenantID, appID); err != nil {
		return ClientSecret{}, "", fmt.Errorf("create client secret: %w", err)
	}
	value := opaque.New(clientSecretPrefix, credentialBytes)
	cs := ClientSecret{ID: opaque.Hex(16), TenantID: tenantID, AppID: appID, Hash: opaque.Hash(value), CreatedAt: s.Now().UTC()}
	if err := s.Store.CreateClientSecret(ctx, cs); err != nil {
		return ClientSecret{}, "", fmt.Errorf("create client secret: %w", err)
	}
	return cs, value, nil
}

// CheckClientSecret reports whether value is one of the account's active
// client secrets, comparing in constant time.
func (s *Service) CheckClientSecret(ctx context.Context, tenantID, appID, value string) (bool, error) {
	active, err := s.Store.ActiveClientSecrets(ctx, tenantID, appID)
	if err != nil {
		return false, fmt.Errorf("check client secret: %w", err)
	}
	want := []byte(opaque.Hash(value))
	ok := 0
	for _, cs := range active {
		ok |= subtle.ConstantTimeCompare([]byte(cs.Hash), want)
	}
	return ok == 1, nil
}
