package tenants

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// Credential prefixes make a leaked value recognisable (secret scanners,
// support tickets) without revealing anything.
const (
	apiKeyPrefix       = "wxk_"
	clientSecretPrefix = "wxs_"
	credentialBytes    = 32
)

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

// Authenticate returns the API key whose value was presented and records
// its use (see Store.TouchAPIKey); the key returned shows the use before
// this one. A key that is unknown, revoked or expired (at or after its
// expiry) is refused with ErrKeyUnknown, ErrKeyRevoked or ErrKeyExpired,
// which wrap ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, presentedKey string) (APIKey, error) {
	now := s.Now().UTC()
	k, err := s.Store.APIKeyByHash(ctx, opaque.Hash(presentedKey))
	switch {
	case errors.Is(err, ErrNotFound):
		return APIKey{}, ErrKeyUnknown
	case err != nil:
		return APIKey{}, fmt.Errorf("authenticate: %w", err)
	}
	return s.usable(ctx, k, now)
}

// usable refuses k when it is revoked or expired at now, and records its
// use otherwise.
func (s *Service) usable(ctx context.Context, k APIKey, now time.Time) (APIKey, error) {
	switch {
	case k.RevokedAt != nil:
		return APIKey{}, ErrKeyRevoked
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return APIKey{}, ErrKeyExpired
	}
	if err := s.Store.TouchAPIKey(ctx, k.ID, now); err != nil {
		return APIKey{}, fmt.Errorf("authenticate: %w", err)
	}
	return k, nil
}

// RevokeAPIKey revokes the tenant's key (an operator key when tenantID is
// empty) now. Revoking it again succeeds.
func (s *Service) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	if err := s.Store.RevokeAPIKey(ctx, tenantID, id, s.Now().UTC()); err != nil {
		return fmt.Errorf("revoke api key: %w", err)
	}
	return nil
}

// RevokeClientSecret revokes the account's client secret now. Revoking it
// again succeeds.
func (s *Service) RevokeClientSecret(ctx context.Context, tenantID, appID, id string) error {
	if err := s.Store.RevokeClientSecret(ctx, tenantID, appID, id, s.Now().UTC()); err != nil {
		return fmt.Errorf("revoke client secret: %w", err)
	}
	return nil
}
