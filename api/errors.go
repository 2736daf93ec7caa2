package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/tenants"
)

var errNoSuchTenant = errors.New("no such tenant")

// retryAfterSeconds is what a person's browser or a tenant's backend is told
// to wait when a dependency (database, secret store, WeChat) is down.
const retryAfterSeconds = "5"

// pageFor is the one mapping from a hosted-login error to what the person
// sees: a status and a page in Chinese and English.
func pageFor(err error) (int, page) {
	var le *login.Error
	var limited *rateLimitedError
	retry := ""
	if errors.As(err, &le) {
		retry = le.RetryURL
	}
	switch {
	case errors.As(err, &limited):
		return http.StatusTooManyRequests, page{Title: "请求过于频繁", TitleEN: "Too many requests", Retry: limited.retry,
			Text:   fmt.Sprintf("你的网络发出的登录请求太多了，请等待 %d 秒后再试。", limited.seconds()),
			TextEN: fmt.Sprintf("Too many logins came from your network. Please wait %s, then try again.", limited.wait())}
	case errors.Is(err, login.ErrUnknownAccount):
		return http.StatusNotFound, page{Title: "找不到登录入口", TitleEN: "Login not found",
			Text: "这个登录链接指向的账号不存在。", TextEN: "This login link names an account that does not exist."}
	case errors.Is(err, login.ErrRedirectNotAllowed):
		return http.StatusBadRequest, page{Title: "跳转地址未登记", TitleEN: "Redirect address not registered",
			Text: "网站请求跳回的地址不在该公众号登记的列表中，为了安全已停止登录。", TextEN: "The site asked to return to an address this official account has not registered, so the login was stopped for your safety."}
	case errors.Is(err, login.ErrUnknownState):
		return http.StatusBadRequest, page{Title: "登录链接无效", TitleEN: "Invalid login link",
			Text: "这个登录链接无效或来自其他账号，请回到网站重新登录。", TextEN: "This login link is invalid or belongs to another account. Go back to the site and log in again."}
	case errors.Is(err, login.ErrExpired):
		return http.StatusBadRequest, page{Title: "登录已过期", TitleEN: "Login expired", Retry: retry,
			Text: "登录超过了10分钟没有完成。", TextEN: "The login was not completed within 10 minutes."}
	case errors.Is(err, login.ErrAlreadyUsed):
		return http.StatusBadRequest, page{Title: "登录已完成", TitleEN: "Login already completed", Retry: retry,
			Text: "这次登录已经用过了，不能再次使用。", TextEN: "This login has already been used and cannot be used again."}
	case errors.Is(err, login.ErrInProgress):
		return http.StatusOK, page{Title: "正在登录…", TitleEN: "Signing you in…", Refresh: retry,
			Text: "请稍候，页面会自动继续。", TextEN: "Please wait; this page continues by itself."}
	case errors.Is(err, login.ErrSnapshotUser):
		return http.StatusOK, page{Title: "请使用完整服务", TitleEN: "Open the full page", Retry: retry,
			Text: "当前是微信快照页，无法登录。请点击页面右下角的「使用完整服务」后再试。", TextEN: "WeChat opened this page as a snapshot, which cannot log in. Tap “使用完整服务” (use full service) at the bottom right, then try again."}
	case errors.Is(err, login.ErrCodeRejected):
		return http.StatusBadRequest, page{Title: "微信授权已失效", TitleEN: "WeChat authorization no longer valid", Retry: retry,
			Text: "微信的授权码无效或已过期。", TextEN: "WeChat's authorization code is invalid or has expired."}
	case errors.Is(err, login.ErrOpenInWeChat):
		return http.StatusOK, page{Title: "请用微信扫码登录", TitleEN: "Scan with WeChat to log in", Scan: retry,
			Text: "这个登录需要在微信中完成。请用微信扫一扫下面的二维码，在手机上继续。", TextEN: "This login runs inside WeChat. Scan the QR code below with WeChat to go on on your phone."}
	case errors.Is(err, login.ErrMisconfigured):
		return http.StatusBadGateway, page{Title: "登录暂不可用", TitleEN: "Login unavailable",
			Text: "该公众号的登录配置有误，请联系网站。", TextEN: "This official account's login is misconfigured. Please contact the site."}
	case errors.Is(err, login.ErrWeChatUnavailable):
		return http.StatusServiceUnavailable, page{Title: "微信暂时无法响应", TitleEN: "WeChat is not responding", Retry: retry,
			Text: "微信服务繁忙，请稍后再试。", TextEN: "WeChat is busy. Please try again in a moment."}
	case errors.Is(err, login.ErrBadRequest):
		detail := ""
		if le != nil {
			detail = le.Detail
		}
		return http.StatusBadRequest, page{Title: "登录请求有误", TitleEN: "Bad login request",
			Text: "网站发起的登录请求不完整：" + detail, TextEN: "The site's login request is incomplete: " + detail}
	case errors.Is(err, tenants.ErrInvalid):
		return http.StatusBadRequest, page{Title: "请求有误", TitleEN: "Bad request", Text: err.Error(), TextEN: err.Error()}
	}
	return http.StatusServiceUnavailable, page{Title: "服务暂时不可用", TitleEN: "Temporarily unavailable", Retry: retry,
		Text: "服务暂时出了问题，请稍后再试。", TextEN: "Something went wrong on our side. Please try again in a moment."}
}

// writePage answers a person's browser.
func writePage(c *gin.Context, err error) {
	status, p := pageFor(err)
	var limited *rateLimitedError
	switch {
	case errors.As(err, &limited):
		c.Header("Retry-After", limited.retryAfter())
	case status == http.StatusServiceUnavailable:
		c.Header("Retry-After", retryAfterSeconds)
	}
	renderPage(c, status, p)
}

// writeTokenError answers the token endpoint (RFC 6749 §5.2); a client
// over its rate gets 429 too_many_requests with Retry-After.
func writeTokenError(c *gin.Context, err error) {
	c.Header("Cache-Control", "no-store")
	var oe *login.OAuthError
	var limited *rateLimitedError
	if errors.As(err, &limited) {
		c.Header("Retry-After", limited.retryAfter())
		c.JSON(http.StatusTooManyRequests, gin.H{"error": "too_many_requests", "error_description": limited.Error()})
		return
	}
	if !errors.As(err, &oe) {
		writeUnavailable(c)
		return
	}
	status := http.StatusBadRequest
	if oe.Code == login.OAuthInvalidClient {
		status = http.StatusUnauthorized
		c.Header("WWW-Authenticate", `Basic realm="wxlogin"`)
	}
	c.JSON(status, gin.H{"error": oe.Code, "error_description": oe.Description})
}

// writeBearerError answers the userinfo endpoint (RFC 6750 §3): 401 for a
// missing or bad access token, 403 for one without scope openid, each with
// a WWW-Authenticate challenge.
func writeBearerError(c *gin.Context, err error) {
	c.Header("Cache-Control", "no-store")
	var oe *login.OAuthError
	if !errors.As(err, &oe) {
		writeUnavailable(c)
		return
	}
	status := http.StatusUnauthorized
	if oe.Code == login.OAuthInsufficientScope {
		status = http.StatusForbidden
	}
	c.Header("WWW-Authenticate", fmt.Sprintf(`Bearer realm="wxlogin", error=%q, error_description=%q`, oe.Code, oe.Description))
	c.JSON(status, gin.H{"error": oe.Code, "error_description": oe.Description})
}

// writeUnavailable tells a tenant's backend that a dependency is down.
func writeUnavailable(c *gin.Context) {
	c.Header("Retry-After", retryAfterSeconds)
	c.JSON(http.StatusServiceUnavailable, gin.H{"error": "temporarily_unavailable", "error_description": "a dependency of wxlogin is unavailable; retry shortly"})
}

// writeJSONError answers the JSON endpoints other than the token endpoint.
func writeJSONError(c *gin.Context, err error) {
	switch {
	case errors.Is(err, errNoSuchTenant), errors.Is(err, tenants.ErrNotFound):
		c.JSON(http.StatusNotFound, gin.H{"error": "not_found", "error_description": "no such tenant"})
	default:
		c.Header("Retry-After", retryAfterSeconds)
		c.JSON(http.StatusServiceUnavailable, gin.H{"error": "temporarily_unavailable"})
	}
}
