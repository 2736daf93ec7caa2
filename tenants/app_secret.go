package tenants

import (
	"context"
	"errors"
	"fmt"

	"github.com/wxlogin/wxlogin/internal/secrets"
)

const (
	// appSecretKey names the AppSecret in its secret's data.
	appSecretKey = "app_secret"
	// maxAppSecretLength bounds what SetAppSecret accepts.
	maxAppSecretLength = 128
)

// SetAppSecret stores a new version of the account's AppSecret and returns
// the account with it recorded. The secret store's write runs with the
// account locked (see Store.SetSecretVersion), so rotations are recorded
// in the order they were written, and none writes a secret for an account
// whose deletion was recorded first: no AppSecret outlives its account.
func (s *Service) SetAppSecret(ctx context.Context, tenantID, appID, appSecret string) (Account, error) {
	if err := validateAppSecret(appSecret); err != nil {
		return Account{}, err
	}
	a, err := s.Store.SetSecretVersion(ctx, tenantID, appID, s.now(), func(ctx context.Context) (int, error) {
		return s.Secrets.Put(ctx, AppSecretPath(tenantID, appID), map[string]string{appSecretKey: appSecret})
	})
	if err != nil {
		return Account{}, fmt.Errorf("set app secret: %w", err)
	}
	return a, nil
}

// AppSecret returns the account's current AppSecret from the secret store.
func (s *Service) AppSecret(ctx context.Context, tenantID, appID string) (string, error) {
	sec, err := s.Secrets.Get(ctx, AppSecretPath(tenantID, appID))
	if err != nil {
		return "", fmt.Errorf("read app secret of %s: %w", appID, err)
	}
	return sec.Data[appSecretKey], nil
}

// AppSecretCandidate is one version of an account's AppSecret. It prints
// without its value, so that one logged by mistake leaks nothing.
type AppSecretCandidate struct {
	Version int
	Value   string
}

// Format prints c's version only, whatever the verb.
func (c AppSecretCandidate) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "AppSecretCandidate{Version:%d}", c.Version)
}

// AppSecretCandidates returns the AppSecrets to try with WeChat, in order:
// the current version and, while it has not been confirmed and an earlier
// version was, that confirmed version. So a rotation keeps the previous
// secret in use until the new one has worked once. The caller tries them
// in turn, moving on only when WeChat refuses the AppSecret (errcode
// 40125), and records the version that worked with
// Store.ConfirmSecretVersion. A confirmed version the secret store no
// longer holds is left out; an account without an AppSecret has none.
// The account is passed in, as the login already holds it.
func (s *Service) AppSecretCandidates(ctx context.Context, a Account) ([]AppSecretCandidate, error) {
	if a.SecretVersion == 0 {
		return nil, nil
	}
	current, err := s.appSecretVersion(ctx, a, a.SecretVersion)
	if err != nil {
		return nil, err
	}
	candidates := []AppSecretCandidate{current}
	if a.SecretConfirmedVersion == 0 || a.SecretConfirmedVersion >= a.SecretVersion {
		return candidates, nil
	}
	confirmed, err := s.appSecretVersion(ctx, a, a.SecretConfirmedVersion)
	switch {
	case errors.Is(err, secrets.ErrNotFound):
		return candidates, nil
	case err != nil:
		return nil, err
	}
	return append(candidates, confirmed), nil
}

func (s *Service) appSecretVersion(ctx context.Context, a Account, version int) (AppSecretCandidate, error) {
	sec, err := s.Secrets.GetVersion(ctx, AppSecretPath(a.TenantID, a.AppID), version)
	if err != nil {
		return AppSecretCandidate{}, fmt.Errorf("read app secret of %s, version %d: %w", a.AppID, version, err)
	}
	return AppSecretCandidate{Version: version, Value: sec.Data[appSecretKey]}, nil
}

func validateAppSecret(v string) error {
	if v == "" || len(v) > maxAppSecretLength {
		return Invalid("app_secret", fmt.Sprintf("1 to %d characters", maxAppSecretLength))
	}
	return nil
}
