package tenants

import (
	"errors"
	"fmt"
)

// Error kinds. Storage and service errors wrap one of these so that callers
// (the one HTTP error mapping in api, the operator commands) can tell them
// apart with errors.Is without knowing which backend produced them.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("already exists")
	ErrInvalid  = errors.New("invalid")
	// ErrUnauthenticated: the credential presented proves nobody. The
	// reasons below wrap it, so callers can answer 401 and say why.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrLeaseLost: another holder has the lease the work needs.
	ErrLeaseLost = errors.New("lease held by another holder")
)

// Reasons Authenticate and the console's sessions refuse a credential.
var (
	ErrKeyUnknown = fmt.Errorf("%w: unknown api key", ErrUnauthenticated)
	ErrKeyRevoked = fmt.Errorf("%w: api key revoked", ErrUnauthenticated)
	ErrKeyExpired = fmt.Errorf("%w: api key expired", ErrUnauthenticated)
	// ErrConsoleOperator: operator keys run tenants over the API; the
	// console is a tenant's.
	ErrConsoleOperator = fmt.Errorf("%w: operator keys do not sign in to the console", ErrUnauthenticated)
	// ErrSessionUnknown: no console session has that token, or it expired.
	ErrSessionUnknown = fmt.Errorf("%w: no such console session, or it expired", ErrUnauthenticated)
	// ErrConsoleUnbound: the person who signed in with WeChat is bound to
	// no enabled tenant's console.
	ErrConsoleUnbound = fmt.Errorf("%w: this WeChat user is bound to no tenant's console", ErrUnauthenticated)
	// ErrConsoleUnchosen: the person signed in with WeChat is bound to
	// several tenants and has not chosen one yet.
	ErrConsoleUnchosen = fmt.Errorf("%w: the console sign-in has not chosen a tenant yet", ErrUnauthenticated)
)

// InvalidError names the field that failed validation and why. It unwraps
// to ErrInvalid.
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason) }

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Invalid returns an *InvalidError for field.
func Invalid(field, reason string) error { return &InvalidError{Field: field, Reason: reason} }
