package wechatsim

import "net/http"

// profileJSON is the answer of /sns/userinfo, with the post-2021-10-20
// values: sex 0 and empty region fields.
type profileJSON struct {
	OpenID     string   `json:"openid"`
	Nickname   string   `json:"nickname"`
	Sex        int      `json:"sex"`
	Province   string   `json:"province"`
	City       string   `json:"city"`
	Country    string   `json:"country"`
	HeadImgURL string   `json:"headimgurl"`
	Privilege  []string `json:"privilege"`
	UnionID    string   `json:"unionid,omitempty"`
}

// bearer checks the access_token and openid parameters shared by
// /sns/userinfo and /sns/auth.
func (h *handler) bearer(r *http.Request) (grant, error) {
	q := r.URL.Query()
	err := require(q,
		param{"access_token", errMissingAccessToken},
		param{"openid", errMissingOpenID})
	if err != nil {
		return grant{}, err
	}
	return h.sim.authorized(q.Get("access_token"), q.Get("openid"))
}

// userInfo serves GET /sns/userinfo. lang is accepted and ignored.
func (h *handler) userInfo(r *http.Request) (any, error) {
	g, err := h.bearer(r)
	if err != nil {
		return nil, err
	}
	if !grantsProfile(g.scope) || (g.snapshot && h.sim.cfg.Snapshot48001) {
		return nil, errUnauthorized
	}
	return profileJSON{
		OpenID:     g.openID,
		Nickname:   nickname(g.user),
		HeadImgURL: avatarURL(h.sim.cfg.Seed, g.user),
		Privilege:  []string{},
		UnionID:    g.unionID,
	}, nil
}

// auth serves GET /sns/auth: errcode 0 for a live token of that openid.
func (h *handler) auth(r *http.Request) (any, error) {
	if _, err := h.bearer(r); err != nil {
		return nil, err
	}
	return errorJSON{ErrCode: 0, ErrMsg: "ok"}, nil
}
