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
