package tenants

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/wxlogin/wxlogin/internal/opaque"
)

// ConsoleBinding lets a person sign in to a tenant's console with WeChat:
// the platform tenant's hosted login names them by the unionid or the
// openid WeChat gave it, and the binding gives them a role in its tenant.
// Exactly one of UnionID and OpenID is set; a unionid binds the person in
// every app of the platform's Open Platform, an openid only in the app that
// issued it (the official account inside WeChat, the website app of a QR
// login).
type ConsoleBinding struct {
	ID       string
	TenantID string
	// Name says who the person is, for the tenant's admins.
	Name      string
	UnionID   string
	OpenID    string
	Role      Role
	CreatedAt time.Time
}

// wechatIDPattern is what WeChat's openids and unionids look like.
var wechatIDPattern = regexp.MustCompile(`^[0-9A-Za-z_-]{1,128}$`)

// Validate checks the binding's fields.
func (b ConsoleBinding) Validate() error {
	switch {
	case b.Name == "" || len(b.Name) > 200:
		return Invalid("name", "1 to 200 characters")
	case b.Role != RoleAdmin && b.Role != RoleViewer:
		return Invalid("role", "admin or viewer")
	case (b.UnionID == "") == (b.OpenID == ""):
		return Invalid("unionid", "exactly one of unionid and openid")
	case b.UnionID != "" && !wechatIDPattern.MatchString(b.UnionID):
		return Invalid("unionid", "1 to 128 letters, digits, '_' or '-'")
	case b.OpenID != "" && !wechatIDPattern.MatchString(b.OpenID):
		return Invalid("openid", "1 to 128 letters, digits, '_' or '-'")
	}
	return nil
}

// CreateConsoleBinding binds a person to a role in b's tenant.
func (s *Service) CreateConsoleBinding(ctx context.Context, b ConsoleBinding) (ConsoleBinding, error) {
	if err := b.Validate(); err != nil {
		return ConsoleBinding{}, err
	}
	b.ID, b.CreatedAt = opaque.Hex(16), s.Now().UTC()
	if err := s.Store.CreateConsoleBinding(ctx, b); err != nil {
		return ConsoleBinding{}, fmt.Errorf("create console binding: %w", err)
	}
	return b, nil
}

// DeleteConsoleBinding revokes the tenant's binding: the person can no
// longer sign in to the tenant's console, and their sessions in it end.
func (s *Service) DeleteConsoleBinding(ctx context.Context, tenantID, id string) error {
	if err := s.Store.DeleteConsoleBinding(ctx, tenantID, id); err != nil {
		return fmt.Errorf("delete console binding: %w", err)
	}
	return nil
}

// ConsoleChoice is a tenant a person signed in with WeChat may enter, and
// the binding that lets them.
type ConsoleChoice struct {
	Binding ConsoleBinding
	Tenant  Tenant
}

// ConsoleChoices returns the enabled tenants whose bindings name the
// person with that unionid (when WeChat gave one) or openid, ordered by
// tenant.
func (s *Service) ConsoleChoices(ctx context.Context, unionID, openID string) ([]ConsoleChoice, error) {
	bindings, err := s.Store.ConsoleBindingsOf(ctx, unionID, openID)
	if err != nil {
		return nil, fmt.Errorf("console choices: %w", err)
	}
	var out []ConsoleChoice
	for _, b := range bindings {
		t, err := s.Store.GetTenant(ctx, b.TenantID)
		if err != nil {
			return nil, fmt.Errorf("console choices: %w", err)
		}
		if !t.Disabled {
			out = append(out, ConsoleChoice{Binding: b, Tenant: t})
		}
	}
	return out, nil
}
