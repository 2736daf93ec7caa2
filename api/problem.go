package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/spec"
	"github.com/wxlogin/wxlogin/tenants"
)

// problemBase prefixes the stable type URIs of the admin API's RFC 9457
// problems; openapi.yaml lists them.
const problemBase = "https://wxlogin.dev/problems/"

// problem is an RFC 9457 problem details object.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []problemField `json:"errors,omitempty"`
	// retryAfter, when set, is the Retry-After header in seconds.
	retryAfter string
}

type problemField struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Admin API error kinds that are not the domain's.
var (
	errForbidden  = errors.New("this API key may not do that")
	errBadRequest = errors.New("malformed request")
	// errChanged: If-Match named another version of the resource.
	errChanged = errors.New("the resource changed since the ETag given in If-Match")
)

// problemFor is the one mapping from an admin API error to its problem.
func problemFor(err error) problem {
	var inv *tenants.InvalidError
	var req *spec.RequestError
	var limited *rateLimitedError
	switch {
	case errors.As(err, &req):
		p := problem{Type: problemBase + req.Kind, Title: "The request does not match the API", Status: req.Status, Detail: req.Detail}
		for _, f := range req.Fields {
			p.Errors = append(p.Errors, problemField{Field: f.Field, Reason: f.Reason})
		}
		return p
	case errors.Is(err, tenants.ErrUnauthenticated):
		return problem{Type: problemBase + "unauthorized", Title: "Unauthenticated", Status: http.StatusUnauthorized,
			Detail: "send a valid API key as Authorization: Bearer <key>"}
	case errors.As(err, &inv):
		return problem{Type: problemBase + "validation", Title: "The request breaks a rule", Status: http.StatusUnprocessableEntity,
			Detail: err.Error(), Errors: []problemField{{Field: inv.Field, Reason: inv.Reason}}}
	case errors.Is(err, errBadRequest):
		return problem{Type: problemBase + "bad-request", Title: "Malformed request", Status: http.StatusBadRequest, Detail: err.Error()}
	case errors.Is(err, tenants.ErrNotFound):
		return problem{Type: problemBase + "not-found", Title: "Not found", Status: http.StatusNotFound, Detail: err.Error()}
	case errors.Is(err, tenants.ErrConflict):
		return problem{Type: problemBase + "conflict", Title: "Already exists", Status: http.StatusConflict, Detail: err.Error()}
	case errors.Is(err, errChanged):
		return problem{Type: problemBase + "precondition-failed", Title: "Precondition failed", Status: http.StatusPreconditionFailed, Detail: err.Error()}
	case errors.Is(err, errForbidden):
		return problem{Type: problemBase + "forbidden", Title: "Forbidden", Status: http.StatusForbidden, Detail: err.Error()}
	case errors.As(err, &limited):
		return problem{Type: problemBase + "rate-limited", Title: "Too many requests", Status: http.StatusTooManyRequests,
			Detail: err.Error(), retryAfter: limited.retryAfter()}
	}
	return problem{Type: problemBase + "unavailable", Title: "Temporarily unavailable", Status: http.StatusServiceUnavailable,
		Detail: "a dependency of wxlogin is unavailable; retry shortly", retryAfter: retryAfterSeconds}
}

// writeProblem answers an admin API request with problem+json.
func writeProblem(c *gin.Context, err error) {
	p := problemFor(err)
	p.Instance, p.RequestID = c.Request.URL.Path, c.GetString(requestIDKey)
	if p.retryAfter != "" {
		c.Header("Retry-After", p.retryAfter)
	}
	if p.Status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="wxlogin"`)
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
}
