package secrets

import (
	"context"
	"fmt"

	"github.com/hashicorp/vault/api"
	"github.com/hashicorp/vault/api/auth/approle"
	"github.com/hashicorp/vault/api/auth/kubernetes"
)

// authMethod returns the login of cfg.Auth. Every login reads its
// credential files afresh.
func authMethod(cfg VaultConfig) (api.AuthMethod, error) {
	switch cfg.Auth {
	case AuthAppRole:
		secretID := &approle.SecretID{FromString: cfg.AppRole.SecretID}
		if cfg.AppRole.SecretIDFile != "" {
			secretID = &approle.SecretID{FromFile: cfg.AppRole.SecretIDFile}
		}
		m, err := approle.NewAppRoleAuth(cfg.AppRole.RoleID, secretID, approle.WithMountPath(cfg.AppRole.Mount))
		if err != nil {
			return nil, fmt.Errorf("vault config: approle: %w", err)
		}
		return m, nil
	case AuthKubernetes:
		return kubernetesAuth(cfg.Kubernetes), nil
	default:
		return tokenAuth(cfg.Token), nil
	}
}

// kubernetesAuth logs in with the pod's service account token. The api's
// KubernetesAuth reads the token file once, when it is made, so one is made
// for every login: projected tokens are rotated by the kubelet.
type kubernetesAuth KubernetesConfig

func (k kubernetesAuth) Login(ctx context.Context, client *api.Client) (*api.Secret, error) {
	m, err := kubernetes.NewKubernetesAuth(k.Role,
		kubernetes.WithServiceAccountTokenPath(k.TokenFile), kubernetes.WithMountPath(k.Mount))
	if err != nil {
		return nil, err
	}
	return m.Login(ctx, client)
}

// tokenAuth "logs in" with a token it was given: it looks the token up, so
// that a renewable token is renewed like one from a login, and one that
// stopped working is reported.
type tokenAuth string

func (t tokenAuth) Login(ctx context.Context, client *api.Client) (*api.Secret, error) {
	client.SetToken(string(t))
	s, err := client.Auth().Token().LookupSelfWithContext(ctx)
	if err != nil {
		return nil, err
	}
	ttl, err := s.TokenTTL()
	if err != nil {
		return nil, err
	}
	renewable, err := s.TokenIsRenewable()
	if err != nil {
		return nil, err
	}
	return &api.Secret{Auth: &api.SecretAuth{ClientToken: string(t), Renewable: renewable, LeaseDuration: int(ttl.Seconds())}}, nil
}
