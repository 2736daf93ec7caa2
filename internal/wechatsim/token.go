package wechatsim

import (
	"crypto/subtle"
	"net/http"
)

// tokenJSON is the answer of /sns/oauth2/access_token and refresh_token.
type tokenJSON struct {
	AccessToken    string `json:"access_token"`
	ExpiresIn      int    `json:"expires_in"`
	RefreshToken   string `json:"refresh_token"`
	OpenID         string `json:"openid"`
	Scope          string `json:"scope"`
	IsSnapshotUser int    `json:"is_snapshotuser,omitempty"`
	UnionID        string `json:"unionid,omitempty"`
}

// answer renders a grant. Only the code exchange carries is_snapshotuser
// and the unionid (for a profile scope of a bound app), as documented; a
// refresh answer has neither.
func (g *grant) answer(exchange bool) tokenJSON {
	t := tokenJSON{
		AccessToken:  g.access.value,
		ExpiresIn:    int(accessTTL.Seconds()),
		RefreshToken: g.refreshToken,
		OpenID:       g.openID,
		Scope:        g.scope,
	}
	if exchange && g.snapshot {
		t.IsSnapshotUser = 1
	}
	if exchange && grantsProfile(g.scope) {
		t.UnionID = g.unionID
	}
	return t
}

// exchange serves GET /sns/oauth2/access_token.
func (h *handler) exchange(r *http.Request) (any, error) {
	q := r.URL.Query()
	err := require(q,
		param{"appid", errMissingAppID},
		param{"secret", errMissingSecret},
		param{"code", errMissingCode})
	if err != nil {
		return nil, err
	}
	if q.Get("grant_type") != "authorization_code" {
		return nil, errInvalidGrantType
	}
	app, err := h.app(r, q.Get("appid"))
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("secret")), []byte(app.Secret)) != 1 {
		return nil, errInvalidSecret
	}
	return h.sim.redeem(app, q.Get("code"))
}

// refresh serves GET /sns/oauth2/refresh_token.
func (h *handler) refresh(r *http.Request) (any, error) {
	q := r.URL.Query()
	err := require(q,
		param{"appid", errMissingAppID},
		param{"refresh_token", errMissingRefreshToken})
	if err != nil {
		return nil, err
	}
	if q.Get("grant_type") != "refresh_token" {
		return nil, errInvalidGrantType
	}
	if _, err := h.app(r, q.Get("appid")); err != nil {
		return nil, err
	}
	return h.sim.renew(q.Get("appid"), q.Get("refresh_token"))
}
