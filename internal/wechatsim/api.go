package wechatsim

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
)

// apiError is a WeChat errcode answered by the /sns/* API.
type apiError int

const (
	errSystem              apiError = -1
	errInvalidCredential   apiError = 40001
	errInvalidGrantType    apiError = 40002
	errInvalidOpenID       apiError = 40003
	errInvalidAppID        apiError = 40013
	errInvalidCode         apiError = 40029
	errInvalidRefreshToken apiError = 40030
	errInvalidSecret       apiError = 40125
	errCodeUsed            apiError = 40163
	errMissingAccessToken  apiError = 41001
	errMissingAppID        apiError = 41002
	errMissingRefreshToken apiError = 41003
	errMissingSecret       apiError = 41004
	errMissingCode         apiError = 41008
	errMissingOpenID       apiError = 41009
	errAccessTokenExpired  apiError = 42001
	errRefreshTokenExpired apiError = 42002
	errCodeExpired         apiError = 42003 // never emitted by itself: expired codes answer 40029
	errMinuteQuota         apiError = 45011 // never emitted by itself: no quota is enforced
	errUnauthorized        apiError = 48001
)

// errmsgs are WeChat's messages, before the rid is appended, for every code
// the emulator answers or a Fault is likely to inject; other codes read
// "system error".
var errmsgs = map[apiError]string{
	errSystem:              "system error",
	errInvalidCredential:   "invalid credential, access_token is invalid or not latest",
	errInvalidGrantType:    "invalid grant_type",
	errInvalidOpenID:       "invalid openid",
	errInvalidAppID:        "invalid appid",
	errInvalidCode:         "invalid code",
	errInvalidRefreshToken: "invalid refresh_token",
	errInvalidSecret:       "invalid appsecret",
	errCodeUsed:            "code been used",
	errMissingAccessToken:  "access_token missing",
	errMissingAppID:        "appid missing",
	errMissingRefreshToken: "refresh_token missing",
	errMissingSecret:       "appsecret missing",
	errMissingCode:         "missing code",
	errMissingOpenID:       "missing openid",
	errAccessTokenExpired:  "access_token expired",
	errRefreshTokenExpired: "refresh_token expired",
	errCodeExpired:         "code expired",
	errMinuteQuota:         "api minute-quota reach limit must slower retry next minute",
	errUnauthorized:        "api unauthorized",
}

func (e apiError) Error() string { return "errcode " + strconv.Itoa(int(e)) }

type errorJSON struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// api adapts an endpoint to HTTP. An apiError becomes its errcode answer,
// any other error (a failing Registry) errcode -1; always HTTP 200.
func (h *handler) api(endpoint func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := endpoint(r)
		if err != nil {
			h.sim.writeError(w, errcodeOf(err))
			return
		}
		h.sim.writeJSON(w, v)
	}
}

func errcodeOf(err error) apiError {
	var e apiError
	if errors.As(err, &e) {
		return e
	}
	slog.Error("wechatsim: api", "err", err)
	return errSystem
}

func (s *Sim) writeError(w http.ResponseWriter, code apiError) {
	msg, ok := errmsgs[code]
	if !ok {
		msg = errmsgs[errSystem]
	}
	s.writeJSON(w, errorJSON{ErrCode: int(code), ErrMsg: msg + ", rid: " + rid()})
}

func (s *Sim) writeJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v) // answer types are plain structs: Marshal cannot fail
	w.Header().Set("Content-Type", s.cfg.ContentType)
	_, _ = w.Write(b)
}

// param is a required query parameter and the errcode for its absence.
type param struct {
	name    string
	missing apiError
}

// require checks required parameters in order.
func require(q url.Values, params ...param) error {
	for _, p := range params {
		if q.Get(p.name) == "" {
			return p.missing
		}
	}
	return nil
}

// app finds an app for the API: unknown is 40013.
func (h *handler) app(r *http.Request, appID string) (App, error) {
	app, err := h.reg.App(r.Context(), appID)
	if errors.Is(err, ErrUnknownApp) {
		return App{}, errInvalidAppID
	}
	return app, err
}
