package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// maxBody bounds how much of an answer is read; WeChat's are a few hundred
// bytes.
const maxBody = 1 << 20

// get calls GET {APIURL}{path}?{query} and decodes the JSON answer into out,
// retrying errcode -1 and transport failures with exponential backoff, all
// within the client's budget.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.budget)
	defer cancel()
	wait := c.backoff
	for attempt := 0; ; attempt++ {
		err := c.getOnce(ctx, path, query, out)
		if attempt >= c.retries || !retryable(ctx, path, err) {
			return err
		}
		if werr := sleep(ctx, wait); werr != nil {
			return fmt.Errorf("wechat: GET %s: %w (last error: %v)", path, werr, err)
		}
		wait *= 2
	}
}

// singleUse are the calls that spend what they send (the code): retrying one
// after the request may have reached WeChat would only earn 40163.
var singleUse = map[string]bool{"/sns/oauth2/access_token": true}

// retryable reports whether a failed call may be tried again: on errcode -1,
// and on transport failures unless the call is single-use and the request
// may have been sent.
func retryable(ctx context.Context, path string, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if IsCode(err, CodeSystemBusy) {
		return true
	}
	var te *transportError
	return errors.As(err, &te) && (!singleUse[path] || notSent(te.err))
}

// notSent reports whether a transport failure happened before the request
// was written: the connection could not be made.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) getOnce(ctx context.Context, path string, query url.Values, out any) (err error) {
	select {
	case c.inFlight <- struct{}{}:
		defer func() { <-c.inFlight }()
	default:
		err = fmt.Errorf("%w: GET %s: %d requests are waiting for WeChat", ErrOverloaded, path, cap(c.inFlight))
		if c.observe != nil {
			c.observe.WeChatCall(path, ResultOverloaded, 0, 0)
		}
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if c.observe != nil {
		start := time.Now()
		defer func() {
			result, errcode := resultOf(err)
			c.observe.WeChatCall(path, result, errcode, time.Since(start))
		}()
	}
	// The request is built without the query so that no error from building
	// it can quote the secret; the query is attached afterwards.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.apiURL+path, nil)
	if err != nil {
		return fmt.Errorf("wechat: GET %s: %w", path, err)
	}
	req.URL.RawQuery = query.Encode()
	resp, err := c.http.Do(req)
	if err != nil {
		return &transportError{path: path, err: withoutURL(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return &transportError{path: path, err: withoutURL(err)}
	}
	return decode(resp, path, body, out)
}

// resultOf sorts the outcome of a request for an Observer.
func resultOf(err error) (result string, errcode int) {
	var (
		e  *Error
		te *transportError
	)
	switch {
	case err == nil:
		return ResultOK, 0
	case errors.As(err, &e):
		return ResultErrCode, e.Code
	case errors.As(err, &te):
		return ResultTransport, 0
	case errors.Is(err, ErrBadResponse):
		return ResultBadResponse, 0
	}
	return ResultError, 0
}

// withoutURL drops the *url.Error layer, whose message quotes the full
// request URL and with it the secret.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// decode reads a WeChat answer: a non-zero errcode wins whatever the HTTP
// status; otherwise a 2xx JSON body is decoded into out.
func decode(resp *http.Response, path string, body []byte, out any) error {
	var status struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &status); err != nil {
		return badResponse(resp, path)
	}
	if status.ErrCode != 0 {
		return &Error{Code: status.ErrCode, Message: status.ErrMsg}
	}
	if resp.StatusCode/100 != 2 || json.Unmarshal(body, out) != nil {
		return badResponse(resp, path)
	}
	return nil
}

func badResponse(resp *http.Response, path string) error {
	return fmt.Errorf("%w: GET %s: HTTP %d, Content-Type %q",
		ErrBadResponse, path, resp.StatusCode, resp.Header.Get("Content-Type"))
}
