package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/api/spec"
	"github.com/wxlogin/wxlogin/internal/login"
	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// adminHandler implements the admin REST API (gen.ServerInterface): each
// method authorizes the caller, calls one domain method, records an audit
// event for a write and answers.
type adminHandler struct {
	tenants *tenants.Service
	login   *login.Service
	tokens  *token.Manager
	keys    token.KeyStore
	reports reports.Store
	logger  *slog.Logger
	// cookie is the console's session cookie, which authenticates /v1
	// requests of the console's pages as the API key or console binding
	// the session acts as.
	cookie sessionCookie
}

var _ gen.ServerInterface = (*adminHandler)(nil)

const principalContextKey = "principal"

// authenticate resolves the caller of every /v1 request: its Bearer API
// key or, without an Authorization header, what its console session acts
// as (changes then need the session's CSRF token).
func (h *adminHandler) authenticate(c *gin.Context) {
	var who tenants.Principal
	var err error
	raw, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	session := h.cookie.token(c)
	switch {
	case ok && raw != "":
		var key tenants.APIKey
		key, err = h.tenants.Authenticate(c.Request.Context(), raw)
		who = key.Principal()
	case c.GetHeader("Authorization") == "" && session != "":
		who, err = h.sessionPrincipal(c, session)
	default:
		err = tenants.ErrUnauthenticated
	}
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.Set(principalContextKey, who)
	c.Next()
}

// caller is who the request authenticated as.
func caller(c *gin.Context) tenants.Principal {
	return c.MustGet(principalContextKey).(tenants.Principal)
}

// access is what an operation needs of its caller.
type access int

const (
	// read: a viewer or admin of the tenant.
	read access = iota
	// write: an admin of the tenant.
	write
	// operate: the operator, for tenants themselves.
	operate
	// bootstrap: the operator or an admin of the tenant (API keys, so that
	// the operator can hand a new tenant its first admin key).
	bootstrap
)

// authorize checks the caller against what the operation on tenantID
// needs; it answers 403 and returns false when the caller falls short.
func (h *adminHandler) authorize(c *gin.Context, tenantID string, need access) (tenants.Principal, bool) {
	key := caller(c)
	operator := key.Role == tenants.RoleOperator
	own := !operator && key.TenantID == tenantID
	var ok bool
	switch need {
	case operate:
		ok = operator
	case bootstrap:
		ok = operator || (own && key.Role == tenants.RoleAdmin)
	case write:
		ok = own && key.Role == tenants.RoleAdmin
	case read:
		ok = own
	}
	if ok && !operator {
		t, err := h.tenants.Store.GetTenant(c.Request.Context(), tenantID)
		if err != nil {
			writeProblem(c, err)
			return key, false
		}
		if t.Disabled {
			writeProblem(c, fmt.Errorf("%w: the tenant is disabled", errForbidden))
			return key, false
		}
	}
	if !ok {
		writeProblem(c, errForbidden)
	}
	return key, ok
}

// authorizeBody authorizes the caller like authorize, then reads the JSON
// body into v.
func (h *adminHandler) authorizeBody(c *gin.Context, tenantID string, need access, v any) (tenants.Principal, bool) {
	key, ok := h.authorize(c, tenantID, need)
	return key, ok && bind(c, v)
}

// audit records a successful write by who. target names what changed,
// never a secret value.
func (h *adminHandler) audit(c *gin.Context, who tenants.Principal, tenantID, action, target string) {
	e := tenants.AuditEvent{
		TenantID: tenantID, At: h.tenants.Now().UTC(), Action: action, Target: target,
		RequestID: c.GetString(requestIDKey), SourceIP: c.ClientIP(),
	}
	if who.Kind == tenants.PrincipalBinding {
		e.ActorBindingID = who.ID
	} else {
		e.ActorKeyID = who.ID
	}
	err := h.tenants.Store.RecordAudit(c.Request.Context(), e)
	if err != nil {
		h.logger.Error("record audit event", slog.String("action", action), slog.String("target", target),
			slog.String("request_id", c.GetString(requestIDKey)), slog.String("error", err.Error()))
	}
}

// bind reads the JSON body into v. The validator has already held it
// against openapi.yaml; this decodes it strictly all the same, and refuses
// a string that is not storable.
func bind(c *gin.Context, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, spec.MaxBodyBytes))
	if err != nil {
		writeProblem(c, fmt.Errorf("%w: %v", errBadRequest, err))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeProblem(c, fmt.Errorf("%w: %v", errBadRequest, err))
		return false
	}
	var doc any
	_ = json.Unmarshal(body, &doc) // reads, as the strict decoding did
	if field, ok := unstorableField("", doc); ok {
		writeProblem(c, tenants.Invalid(field, storableRule))
		return false
	}
	return true
}

// unstorableField names a string of the JSON document doc that is not
// storable (decoding leaves only NULs), as the path to it: "name",
// "redirect_uris[0]".
func unstorableField(path string, doc any) (string, bool) {
	switch v := doc.(type) {
	case string:
		return path, !storable(v)
	case []any:
		for i, item := range v {
			if field, found := unstorableField(fmt.Sprintf("%s[%d]", path, i), item); found {
				return field, true
			}
		}
	case map[string]any:
		for k, item := range v {
			if field, found := unstorableField(strings.TrimPrefix(path+"."+k, "."), item); found {
				return field, true
			}
		}
	}
	return "", false
}

// Cursors are opaque to clients: the base64url of the store's key.
func encodeCursor(after string) *string {
	if after == "" {
		return nil
	}
	s := base64.RawURLEncoding.EncodeToString([]byte(after))
	return &s
}

func decodeCursor(c *gin.Context, cursor *string) (string, bool) {
	if cursor == nil || *cursor == "" {
		return "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(*cursor)
	if err != nil || !storable(string(b)) {
		writeProblem(c, fmt.Errorf("%w: cursor is not one this API gave", errBadRequest))
		return "", false
	}
	return string(b), true
}

// pageOf turns the limit and cursor parameters into a store page.
func pageOf(c *gin.Context, limit *int, cursor *string) (tenants.Page, bool) {
	after, ok := decodeCursor(c, cursor)
	p := tenants.Page{After: after}
	if limit != nil {
		p.Limit = *limit
	}
	return p, ok
}

// nextCursor is the cursor after a page of n items whose last key is last.
func nextCursor(p tenants.Page, n int, last string) *string {
	if n < p.Size() {
		return nil
	}
	return encodeCursor(last)
}
