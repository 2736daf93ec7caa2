// Package browser is a small scripted browser for end-to-end tests and load
// runs: it keeps cookies, follows redirects until it reaches a URL the
// caller stops at, and submits HTML forms by the button it would click.
package browser

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// WeChatUserAgent is the User-Agent of WeChat's in-app browser on Android,
// where hosted logins of official accounts run.
const WeChatUserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 " +
	"(KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240301 " +
	"MMWEBID/6533 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"

// Browser is one person's browser. It is not safe for concurrent use.
type Browser struct {
	client *http.Client
	// UserAgent is sent with every request: WeChatUserAgent unless changed
	// (wxlogin runs a desktop browser's login differently).
	UserAgent string
}

// Page is the last answer the browser got.
type Page struct {
	URL    *url.URL
	Status int
	Header http.Header
	Body   []byte
}

// New returns a browser, inside WeChat, that stops following redirects at
// any URL for which stop returns true (the tenant's redirect_uri,
// typically), handing that URL back instead of requesting it.
func New(transport http.RoundTripper, stop func(*url.URL) bool) *Browser {
	jar, _ := cookiejar.New(nil) // cookiejar.New never fails without options
	return &Browser{UserAgent: WeChatUserAgent, client: &http.Client{
		Transport: transport,
		Jar:       jar,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if stop != nil && stop(req.URL) {
				return http.ErrUseLastResponse
			}
			if len(via) >= 20 {
				return fmt.Errorf("browser: more than 20 redirects")
			}
			return nil
		},
	}}
}

// Cookie returns the cookie named name the browser would send to u, or
// nil.
func (b *Browser) Cookie(u *url.URL, name string) *http.Cookie {
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Get opens raw and follows redirects.
func (b *Browser) Get(ctx context.Context, raw string) (Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return Page{}, err
	}
	return b.do(req)
}

func (b *Browser) do(req *http.Request) (Page, error) {
	if b.UserAgent != "" {
		req.Header.Set("User-Agent", b.UserAgent)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Page{}, err
	}
	p := Page{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header, Body: body}
	if loc, err := resp.Location(); err == nil && resp.StatusCode/100 == 3 {
		p.URL = loc // stopped before a redirect: the page is where it points
	}
	return p, nil
}

// Submit finds, on page p, the form holding a submit button with that name
// and value (or, with an empty value, any button of that name), fills its
// fields with their defaults overridden by fields, and submits it as that
// button would.
func (b *Browser) Submit(ctx context.Context, p Page, button, value string, fields url.Values) (Page, error) {
	doc, err := html.Parse(bytes.NewReader(p.Body))
	if err != nil {
		return Page{}, err
	}
	f, ok := findForm(doc, button, value)
	if !ok {
		return Page{}, fmt.Errorf("browser: no form with button %s=%q on %s", button, value, p.URL)
	}
	for k, v := range fields {
		f.values[k] = v
	}
	action, err := p.URL.Parse(f.action)
	if err != nil {
		return Page{}, err
	}
	var req *http.Request
	if strings.EqualFold(f.method, http.MethodPost) {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(f.values.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		action.RawQuery = f.values.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, action.String(), nil)
	}
	if err != nil {
		return Page{}, err
	}
	return b.do(req)
}

type form struct {
	action, method string
	values         url.Values
}

// findForm returns the form containing the wanted submit button, with the
// values a browser would send when that button is clicked.
func findForm(doc *html.Node, button, value string) (form, bool) {
	var found form
	var ok bool
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if ok {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" {
			if f, hit := readForm(n, button, value); hit {
				found, ok = f, true
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found, ok
}

func readForm(n *html.Node, button, value string) (form, bool) {
	f := form{action: attr(n, "action"), method: attr(n, "method"), values: url.Values{}}
	hit := false
	var walk func(*html.Node)
	walk = func(c *html.Node) {
		if c.Type == html.ElementNode {
			name, typ, val := attr(c, "name"), strings.ToLower(attr(c, "type")), attr(c, "value")
			isSubmit := (c.Data == "button" && (typ == "" || typ == "submit")) || (c.Data == "input" && typ == "submit")
			switch {
			case isSubmit && name == button && (value == "" || val == value) && !hit:
				hit = true
				f.values.Set(name, val)
			case isSubmit:
			case c.Data == "input" && (typ == "checkbox" || typ == "radio"):
				if _, checked := attrOK(c, "checked"); checked && name != "" {
					f.values.Add(name, val)
				}
			case (c.Data == "input" || c.Data == "textarea") && name != "":
				f.values.Add(name, val)
			}
		}
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			walk(cc)
		}
	}
	walk(n)
	return f, hit
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
