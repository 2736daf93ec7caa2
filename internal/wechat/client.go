package wechat

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Default endpoints and policy.
const (
	DefaultAPIURL      = "https://api.weixin.qq.com"
	DefaultOpenURL     = "https://open.weixin.qq.com"
	DefaultTimeout     = 5 * time.Second
	DefaultBudget      = 8 * time.Second
	DefaultRetries     = 2
	DefaultBackoff     = 100 * time.Millisecond
	DefaultMaxInFlight = 256
)

// Config configures a Client. The zero value talks to WeChat itself.
type Config struct {
	// APIURL is where the /sns/* API lives; default DefaultAPIURL.
	APIURL string
	// OpenURL is where the authorize page lives; default DefaultOpenURL.
	OpenURL string
	// HTTP sends the requests; default http.DefaultClient.
	HTTP *http.Client
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
	// Budget bounds one call, its retries and the waits between them
	// included; 0 means DefaultBudget.
	Budget time.Duration
	// Retries is the number of extra attempts after errcode -1 or a
	// transport failure: 0 means DefaultRetries, a negative value none.
	Retries int
	// Backoff is the wait before the first retry, doubled before each next
	// one; 0 means DefaultBackoff. Waiting stops when the context is done.
	Backoff time.Duration
	// MaxInFlight bounds the requests waiting for WeChat at once; one more
	// fails at once with ErrOverloaded instead of waiting too, so a slow
	// WeChat holds at most that many. 0 means DefaultMaxInFlight.
	MaxInFlight int
	// Observer, when set, learns of every request sent.
	Observer Observer
}

// Observer learns of each request the client sends to WeChat, retries
// included: the API's path, the result (ResultOK, ResultErrCode,
// ResultTransport, ResultBadResponse, ResultOverloaded or ResultError),
// WeChat's errcode
// when the result is ResultErrCode, and how long it took. Metrics
// implement it.
type Observer interface {
	WeChatCall(api, result string, errcode int, d time.Duration)
}

// Results of a request, as told to an Observer.
const (
	ResultOK          = "ok"           // a success answer
	ResultErrCode     = "errcode"      // an answer with a non-zero errcode
	ResultTransport   = "transport"    // no answer: network failure, timeout, cancelled
	ResultBadResponse = "bad_response" // an answer that is not WeChat's (HTML, garbage)
	ResultOverloaded  = "overloaded"   // not sent: MaxInFlight requests were waiting already
	ResultError       = "error"        // the request could not be made
)

// Client calls WeChat's OAuth endpoints. It is safe for concurrent use.
type Client struct {
	apiURL  string
	openURL string
	http    *http.Client
	timeout time.Duration
	budget  time.Duration
	retries int
	backoff time.Duration
	// inFlight holds a token for each request waiting for WeChat.
	inFlight chan struct{}
	observe  Observer
}

// New returns a Client for cfg, filling in defaults.
func New(cfg Config) *Client {
	c := &Client{
		apiURL:   strings.TrimRight(orDefault(cfg.APIURL, DefaultAPIURL), "/"),
		openURL:  strings.TrimRight(orDefault(cfg.OpenURL, DefaultOpenURL), "/"),
		http:     cfg.HTTP,
		timeout:  positiveOr(cfg.Timeout, DefaultTimeout),
		budget:   positiveOr(cfg.Budget, DefaultBudget),
		retries:  cfg.Retries,
		backoff:  positiveOr(cfg.Backoff, DefaultBackoff),
		inFlight: make(chan struct{}, positiveOr(cfg.MaxInFlight, DefaultMaxInFlight)),
		observe:  cfg.Observer,
	}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	}
	return c
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func positiveOr[T time.Duration | int](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// AuthorizeURL returns the link that sends a person, inside WeChat, to the
// authorize page of the official account appID. Parameters come in the
// documented order, which WeChat may check strictly, and the link ends with
// the mandatory #wechat_redirect fragment. scope is snsapi_base or
// snsapi_userinfo; state should be at most 128 bytes of [a-zA-Z0-9].
func (c *Client) AuthorizeURL(appID, redirectURI, scope, state string) string {
	return c.pageURL("/connect/oauth2/authorize", appID, redirectURI, scope, state)
}

// QRConnectURL returns the link that sends a person in a desktop browser to
// the QR login page of the Open Platform website app appID (scope
// snsapi_login), in the same documented form.
func (c *Client) QRConnectURL(appID, redirectURI, state string) string {
	return c.pageURL("/connect/qrconnect", appID, redirectURI, "snsapi_login", state)
}

func (c *Client) pageURL(path, appID, redirectURI, scope, state string) string {
	return c.openURL + path +
		"?appid=" + url.QueryEscape(appID) +
		"&redirect_uri=" + url.QueryEscape(redirectURI) +
		"&response_type=code" +
		"&scope=" + url.QueryEscape(scope) +
		"&state=" + url.QueryEscape(state) +
		"#wechat_redirect"
}
