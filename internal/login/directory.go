package login

import (
	"context"
	"fmt"
	"net/url"

	"github.com/wxlogin/wxlogin/tenants"
)

// directory is what logins need to know of all of a tenant's accounts at
// once: the origins of their redirect URIs, and the website app of each
// Open Platform.
type directory struct {
	origins map[string]bool
	// websites holds, by Open Platform ID, the website app bound to it (the
	// first by AppId when there are several).
	websites map[string]tenants.Account
}

// directory returns the tenant's directory, cached like accounts.
func (s *Service) directory(ctx context.Context, tenantID string) (directory, error) {
	load := func(ctx context.Context) (directory, error) { return s.loadDirectory(ctx, tenantID) }
	if s.directories == nil {
		return load(ctx)
	}
	return s.directories.Get(ctx, tenantID, load)
}

func (s *Service) loadDirectory(ctx context.Context, tenantID string) (directory, error) {
	d := directory{origins: map[string]bool{}, websites: map[string]tenants.Account{}}
	page := tenants.Page{Limit: tenants.MaxPageSize}
	for {
		accts, err := s.Tenants.Store.ListAccounts(ctx, tenantID, page)
		if err != nil {
			return directory{}, fmt.Errorf("list accounts: %w", err)
		}
		for _, a := range accts {
			for _, raw := range a.RedirectURIs {
				if u, err := url.Parse(raw); err == nil && u.Host != "" {
					d.origins[u.Scheme+"://"+u.Host] = true
				}
			}
			if _, seen := d.websites[a.OpenPlatformID]; a.Kind == tenants.KindWebsite && !seen {
				d.websites[a.OpenPlatformID] = a
			}
		}
		if len(accts) < page.Size() {
			return d, nil
		}
		page.After = accts[len(accts)-1].AppID
	}
}

// AllowsOrigin reports whether a page of origin (scheme://host[:port], as
// browsers send it in the Origin header) may call the tenant's token
// endpoint from the browser: it must be the origin of a redirect URI some
// account of the tenant allowlisted, where logins of that tenant land.
func (s *Service) AllowsOrigin(ctx context.Context, tenantID, origin string) (bool, error) {
	d, err := s.directory(ctx, tenantID)
	return d.origins[origin], err
}

// website returns the tenant's website app bound to the official account's
// Open Platform, or none when there is no such app.
func (s *Service) website(ctx context.Context, acct tenants.Account, none error) (tenants.Account, error) {
	d, err := s.directory(ctx, acct.TenantID)
	if err != nil {
		return tenants.Account{}, err
	}
	app, ok := d.websites[acct.OpenPlatformID]
	if !ok || acct.OpenPlatformID == "" {
		return tenants.Account{}, none
	}
	return app, nil
}

// loginApp returns the WeChat app that authorizes tx, a login starting at
// acct: the account itself inside WeChat or when it is a website app;
// outside WeChat, the website app of the account's Open Platform (whose
// unionids are the account's), or ErrOpenInWeChat, with the login's URL to
// scan, when the tenant has none.
func (s *Service) loginApp(ctx context.Context, acct tenants.Account, tx Transaction, outsideWeChat bool) (tenants.Account, error) {
	if acct.Kind == tenants.KindWebsite || !outsideWeChat {
		return acct, nil
	}
	return s.website(ctx, acct, &Error{Kind: ErrOpenInWeChat, RetryURL: s.retryURL(tx)})
}

// callbackApp returns the WeChat app that issued the code of a callback of
// tx at acct: the website app for a QR login started at an official
// account, the account otherwise.
func (s *Service) callbackApp(ctx context.Context, acct tenants.Account, tx Transaction) (tenants.Account, error) {
	if tx.Scope != tenants.ScopeLogin || acct.Kind == tenants.KindWebsite {
		return acct, nil
	}
	return s.website(ctx, acct, &Error{Kind: ErrMisconfigured, Detail: "the website app of the account's Open Platform is gone"})
}
