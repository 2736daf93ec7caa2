package wechat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// UserInfo is a person's profile from /sns/userinfo. Since 2021-10-20 Sex is
// 0 and the region fields are empty; nickname and avatar are real.
type UserInfo struct {
	OpenID   string
	Nickname string
	// Sex is 1 male, 2 female, 0 unknown.
	Sex      int
	Province string
	City     string
	Country  string
	// HeadImgURL ends with the size (/0, /46, /64, /96, /132); empty when
	// the person has no avatar.
	HeadImgURL string
	Privilege  []string
	// UnionID is set when the app is bound to an Open Platform account.
	UnionID string
}

type userInfoResponse struct {
	OpenID     string   `json:"openid"`
	Nickname   string   `json:"nickname"`
	Sex        flexInt  `json:"sex"`
	Province   string   `json:"province"`
	City       string   `json:"city"`
	Country    string   `json:"country"`
	HeadImgURL string   `json:"headimgurl"`
	Privilege  []string `json:"privilege"`
	UnionID    string   `json:"unionid"`
}

// UserInfo fetches the profile of openID with a snsapi_userinfo access token
// (GET /sns/userinfo, lang=zh_CN). A snsapi_base token fails with
// CodeUnauthorized; an expired one with CodeAccessTokenExpired.
func (c *Client) UserInfo(ctx context.Context, accessToken, openID string) (UserInfo, error) {
	q := url.Values{
		"access_token": {accessToken},
		"openid":       {openID},
		"lang":         {"zh_CN"},
	}
	var r userInfoResponse
	if err := c.get(ctx, "/sns/userinfo", q, &r); err != nil {
		return UserInfo{}, err
	}
	if r.OpenID == "" {
		return UserInfo{}, fmt.Errorf("%w: GET /sns/userinfo: no openid", ErrBadResponse)
	}
	return UserInfo{
		OpenID:     r.OpenID,
		Nickname:   r.Nickname,
		Sex:        int(r.Sex),
		Province:   r.Province,
		City:       r.City,
		Country:    r.Country,
		HeadImgURL: r.HeadImgURL,
		Privilege:  r.Privilege,
		UnionID:    r.UnionID,
	}, nil
}

// flexInt accepts a JSON number or a string holding one ("1", or "" for 0):
// WeChat's older documents show sex as a string.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil { // a number
		s = string(b)
	}
	if s = strings.TrimSpace(s); s == "" { // "" or null
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not an integer: %s", b)
	}
	*n = flexInt(v)
	return nil
}
