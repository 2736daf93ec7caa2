package wechatsim

import "time"

// Lifetimes, per wechat-oauth.md §1.4, §3.3 and §6.2.
const (
	oaCodeTTL      = 5 * time.Minute
	websiteCodeTTL = 10 * time.Minute
	accessTTL      = 2 * time.Hour
	refreshTTL     = 30 * 24 * time.Hour
)

// Scopes.
const (
	scopeBase     = "snsapi_base"
	scopeUserinfo = "snsapi_userinfo"
	scopeLogin    = "snsapi_login"
)

// grantsProfile reports whether a scope entitles its token to the profile
// and its exchange to the unionid.
func grantsProfile(scope string) bool {
	return scope == scopeUserinfo || scope == scopeLogin
}

// code is an authorization code: bound to (appid, user, scope, snapshot),
// redeemable once before it expires. A redeemed code is kept until then so
// that re-use answers 40163 rather than 40029.
type code struct {
	appID    string
	user     string
	scope    string
	snapshot bool
	expires  time.Time
	used     bool
}

// grant is the result of one redemption: a refresh token (30 days, not
// extended by refreshing) and its current access token.
type grant struct {
	appID          string
	user           string // the identity: virtual for a snapshot user
	scope          string
	openID         string
	unionID        string // "" when the app is unbound
	snapshot       bool
	refreshToken   string
	refreshExpires time.Time
	access         *accessToken
}

// accessToken is kept, expired, until its grant's refresh token expires, so
// that using it answers 42001 rather than 40001.
type accessToken struct {
	value   string
	grant   *grant
	expires time.Time
}

// identity is who a code's user is to the developer: in snapshot mode a
// virtual account with its own openid, unionid and avatar.
func identity(user string, snapshot bool) string {
	if snapshot {
		return user + snapshotSuffix
	}
	return user
}

func (s *Sim) issueCode(app App, user, scope string, snapshot bool) string {
	ttl := oaCodeTTL
	if app.Website {
		ttl = websiteCodeTTL
	}
	now := s.cfg.Now()
	c := &code{appID: app.AppID, user: user, scope: scope, snapshot: snapshot, expires: now.Add(ttl)}
	value := newCode()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes.put(value, c, c.expires, now)
	return value
}

// redeem spends a code of app and returns the new grant's token answer.
func (s *Sim) redeem(app App, value string) (tokenJSON, error) {
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes.get(value)
	switch {
	case !ok || c.appID != app.AppID || !now.Before(c.expires):
		return tokenJSON{}, errInvalidCode
	case c.used:
		return tokenJSON{}, errCodeUsed
	}
	c.used = true
	return s.newGrant(app, c, now).answer(true), nil
}

func (s *Sim) newGrant(app App, c *code, now time.Time) *grant {
	user := identity(c.user, c.snapshot)
	g := &grant{
		appID:          app.AppID,
		user:           user,
		scope:          c.scope,
		openID:         OpenID(s.cfg.Seed, app.AppID, user),
		snapshot:       c.snapshot,
		refreshToken:   newToken(),
		refreshExpires: now.Add(refreshTTL),
	}
	if app.OpenPlatformID != "" {
		g.unionID = UnionID(s.cfg.Seed, app.OpenPlatformID, user)
	}
	s.grants.put(g.refreshToken, g, g.refreshExpires, now)
	s.newAccess(g, now)
	return g
}

func (s *Sim) newAccess(g *grant, now time.Time) {
	g.access = &accessToken{value: newToken(), grant: g, expires: now.Add(accessTTL)}
	s.access.put(g.access.value, g.access, g.refreshExpires, now)
}

// renew refreshes a grant of appID: an unexpired access token is extended,
// an expired one replaced; the refresh token stays the same.
func (s *Sim) renew(appID, refreshToken string) (tokenJSON, error) {
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.grants.get(refreshToken)
	switch {
	case !ok || g.appID != appID:
		return tokenJSON{}, errInvalidRefreshToken
	case !now.Before(g.refreshExpires):
		return tokenJSON{}, errRefreshTokenExpired
	case now.Before(g.access.expires):
		g.access.expires = now.Add(accessTTL)
	default:
		s.newAccess(g, now)
	}
	return g.answer(false), nil
}

// authorized returns a copy of the grant behind a live access token issued
// to openID.
func (s *Sim) authorized(accessToken, openID string) (grant, error) {
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.access.get(accessToken)
	switch {
	case !ok:
		return grant{}, errInvalidCredential
	case !now.Before(a.expires):
		return grant{}, errAccessTokenExpired
	case a.grant.openID != openID:
		return grant{}, errInvalidOpenID
	}
	return *a.grant, nil
}
