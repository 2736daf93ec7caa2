package login

import (
	"context"
	"fmt"
	"net/url"

	"github.com/wxlogin/wxlogin/tenants"
)

// AllowsOrigin reports whether a page of origin (scheme://host[:port], as
// browsers send it in the Origin header) may call the tenant's token
// endpoint from the browser: it must be the origin of a redirect URI some
// account of the tenant allowlisted, where logins of that tenant land. The
// tenant's origins are cached like its accounts.
func (s *Service) AllowsOrigin(ctx context.Context, tenantID, origin string) (bool, error) {
	load := func(ctx context.Context) (map[string]bool, error) { return s.loadOrigins(ctx, tenantID) }
	var (
		set map[string]bool
		err error
	)
	if s.origins == nil {
		set, err = load(ctx)
	} else {
		set, err = s.origins.Get(ctx, tenantID, load)
	}
	return set[origin], err
}

func (s *Service) loadOrigins(ctx context.Context, tenantID string) (map[string]bool, error) {
	set := map[string]bool{}
	page := tenants.Page{Limit: tenants.MaxPageSize}
	for {
		accts, err := s.Tenants.Store.ListAccounts(ctx, tenantID, page)
		if err != nil {
			return nil, fmt.Errorf("list origins: %w", err)
		}
		for _, a := range accts {
			for _, raw := range a.RedirectURIs {
				if u, err := url.Parse(raw); err == nil && u.Host != "" {
					set[u.Scheme+"://"+u.Host] = true
				}
			}
		}
		if len(accts) < page.Size() {
			return set, nil
		}
		page.After = accts[len(accts)-1].AppID
	}
}
