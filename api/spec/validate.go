package spec

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gin-gonic/gin"
)

// MaxBodyBytes is the largest request body Validator reads; openapi.yaml
// promises 413 above it.
const MaxBodyBytes = 64 << 10

// Kinds of RequestError: the last segment of the problem type URIs that
// openapi.yaml lists (https://wxlogin.dev/problems/{kind}).
const (
	KindBadRequest = "bad-request"
	KindTooLarge   = "too-large"
	KindValidation = "validation"
)

// RequestError is a request that openapi.yaml does not allow. Status and
// Kind say how to answer it:
//
//   - 400 bad-request: the request cannot be read (malformed JSON, a wrong
//     content type, a missing body, a parameter that does not parse);
//   - 413 too-large: the body is over MaxBodyBytes;
//   - 422 validation: it reads but breaks the schema (a wrong type, an
//     unknown or missing field, a value out of range or off its pattern).
//
// Fields names each offending field when the request could be read.
type RequestError struct {
	Status int
	Kind   string
	Detail string
	Fields []FieldError
	Err    error
}

// FieldError is one field that broke the schema. Field is the parameter's
// name, or the path of a body field with its parts joined by '.'
// ("redirect_uris.0").
type FieldError struct {
	Field  string
	Reason string
}

func (e *RequestError) Error() string { return "request does not match openapi.yaml: " + e.Detail }

// Unwrap returns the validator's error.
func (e *RequestError) Unwrap() error { return e.Err }

// Validator returns gin middleware that checks each request against the
// operation openapi.yaml declares for its method and path: path, query and
// header parameters, the content type and the body, which it reads up to
// MaxBodyBytes and leaves for the handler to read again. It does not check
// credentials: authentication runs before it. On a request the document
// does not allow it calls fail with a *RequestError and aborts; on a route
// the document does not declare, with a plain error (a bug of the server).
func (s *Spec) Validator(fail func(*gin.Context, error)) gin.HandlerFunc {
	opts := &openapi3filter.Options{
		MultiError:          true,
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
		SkipSettingDefaults: true,
	}
	return func(c *gin.Context) {
		req := c.Request
		route, pathParams, err := s.router.FindRoute(req)
		if err != nil {
			fail(c, fmt.Errorf("validate request: %s %s: %w", req.Method, c.FullPath(), err))
			c.Abort()
			return
		}
		// Only an operation that takes a body has it read and bounded;
		// the others ignore what is sent, as openapi.yaml says they do.
		if route.Operation.RequestBody != nil && req.ContentLength > MaxBodyBytes {
			fail(c, tooLarge(nil))
			c.Abort()
			return
		}
		if route.Operation.RequestBody != nil && req.Body != nil {
			req.Body = http.MaxBytesReader(c.Writer, req.Body, MaxBodyBytes)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
			fail(c, requestError(err))
			c.Abort()
			return
		}
		c.Next()
	}
}

func tooLarge(err error) *RequestError {
	return &RequestError{Status: http.StatusRequestEntityTooLarge, Kind: KindTooLarge,
		Detail: fmt.Sprintf("request bodies are limited to %d bytes", MaxBodyBytes), Err: err}
}

// requestError turns what openapi3filter found into one RequestError: 400
// when any part could not be read, else 422, with every field named.
func requestError(err error) *RequestError {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return tooLarge(err)
	}
	e := &RequestError{Status: http.StatusUnprocessableEntity, Kind: KindValidation, Err: err}
	var details []string
	for _, p := range problems(err) {
		if p.unreadable {
			e.Status, e.Kind = http.StatusBadRequest, KindBadRequest
		}
		if p.Field == "" {
			details = append(details, p.Reason)
			continue
		}
		details = append(details, p.Field+": "+p.Reason)
		e.Fields = append(e.Fields, p.FieldError)
	}
	e.Detail = strings.Join(details, "; ")
	return e
}

type problem struct {
	FieldError
	unreadable bool
}

// problems flattens the validator's errors (a MultiError of RequestErrors,
// each wrapping a parse error or SchemaErrors) into one problem per field.
func problems(err error) []problem {
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []problem
		for _, err := range e {
			out = append(out, problems(err)...)
		}
		return out
	case *openapi3filter.RequestError:
		return requestProblems(e)
	}
	return []problem{{FieldError: FieldError{Reason: err.Error()}, unreadable: true}}
}

func requestProblems(e *openapi3filter.RequestError) []problem {
	name := ""
	if e.Parameter != nil {
		name = e.Parameter.Name
	}
	unreadable := func(reason string) []problem {
		return []problem{{FieldError: FieldError{Field: name, Reason: reason}, unreadable: true}}
	}
	switch err := e.Err.(type) {
	case nil:
		return unreadable(e.Reason) // a wrong content type
	case openapi3.MultiError:
		var out []problem
		for _, err := range err {
			if se, ok := err.(*openapi3.SchemaError); ok {
				out = append(out, problem{FieldError: schemaField(name, se)})
			}
		}
		return out
	case *openapi3.SchemaError:
		return []problem{{FieldError: schemaField(name, err)}}
	case *openapi3filter.ParseError:
		if e.Parameter == nil {
			return unreadable("body is not valid JSON: " + err.Error())
		}
		return unreadable(err.Error())
	}
	switch {
	case errors.Is(e.Err, openapi3filter.ErrInvalidRequired) && e.Parameter == nil:
		return unreadable("request body is required")
	case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
		return []problem{{FieldError: FieldError{Field: name, Reason: "required"}}}
	case errors.Is(e.Err, openapi3filter.ErrInvalidEmptyValue):
		return []problem{{FieldError: FieldError{Field: name, Reason: "must not be empty"}}}
	}
	return unreadable(e.Err.Error())
}

// schemaField names the field a SchemaError is about: the parameter, or the
// body field's path, with an unknown property's own name appended.
func schemaField(param string, e *openapi3.SchemaError) FieldError {
	path := e.JSONPointer()
	if param != "" {
		path = append([]string{param}, path...)
	}
	reason := e.Reason
	switch e.SchemaField {
	case "properties":
		if unknown, ok := quoted(reason, "property ", " is unsupported"); ok {
			path, reason = append(path, unknown), "unknown field"
		}
	case "required":
		reason = "required"
	case "format":
		reason = "must be a " + e.Schema.Format
	}
	if reason == "" {
		reason = "does not match the schema's " + e.SchemaField
	}
	return FieldError{Field: strings.Join(path, "."), Reason: reason}
}

// quoted returns the Go-quoted string between prefix and suffix of s.
func quoted(s, prefix, suffix string) (string, bool) {
	s, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return "", false
	}
	if s, ok = strings.CutSuffix(s, suffix); !ok {
		return "", false
	}
	v, err := strconv.Unquote(s)
	return v, err == nil
}
