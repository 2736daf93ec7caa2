package wechatsim

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// page is the data of every page template.
type page struct {
	Title   string
	Code    int // error pages: the WeChat page code, 0 when it has none
	Message string
	AppID   string
	Scope   string
	// Chooser.
	Users           []testUser
	Snapshot        bool // offer the snapshot checkbox
	SnapshotChecked bool
	// Consent.
	User     string
	Nickname string
}

// pageError is an error WeChat shows as a page instead of redirecting.
type pageError struct {
	code int
	msg  string
}

func (e *pageError) Error() string { return e.msg }

// Page errors of oauth2/authorize (documented, §1.5) and of qrconnect
// (commonly reported wording, UNVERIFIED).
var (
	errNoAppID       = &pageError{10012, "appid不能为空"}
	errNotOAApp      = &pageError{10016, "不支持微信开放平台的Appid，请使用公众号Appid"}
	errBanned        = &pageError{10004, "此公众号被封禁"}
	errNoRedirect    = &pageError{10011, "redirect_uri不能为空"}
	errDomain        = &pageError{10003, "redirect_uri域名与后台配置不一致"}
	errNoScope       = &pageError{10010, "scope不能为空"}
	errScopeDenied   = &pageError{10005, "此公众号并没有这些scope的权限"}
	errNoState       = &pageError{10013, "state不能为空"}
	errLinkInvalid   = &pageError{0, "该链接无法访问"}
	errScopeParam    = &pageError{0, "Scope参数错误或没有Scope权限"}
	errRedirectParam = &pageError{0, "redirect_uri 参数错误"}
)

const errorTitle = "微信授权 / WeChat authorization"

// showError renders a page error with HTTP 200, as WeChat does; any other
// error (a failing Registry) is a 500 page.
func showError(w http.ResponseWriter, err error) {
	var pe *pageError
	if errors.As(err, &pe) {
		render(w, http.StatusOK, "error", page{Title: errorTitle, Code: pe.code, Message: pe.msg})
		return
	}
	slog.Error("wechatsim: authorize page", "err", err)
	render(w, http.StatusInternalServerError, "error", page{Title: errorTitle, Message: "系统错误，请稍后再试 / system error"})
}

func render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, p); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
