package tenants

import (
	"context"
	"time"
)

// IdempotencyTTL is how long the answer to a write sent with an
// Idempotency-Key is kept for its retries.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyLease is how long a claimed Idempotency-Key may stay in flight.
// No request runs this long (the server gives up on answering after 30
// seconds), so an older claim is one whose replica went away before it
// answered, and a retry takes it over rather than waiting out the TTL.
const IdempotencyLease = 2 * time.Minute

// IdempotencyRecord is a write sent with an Idempotency-Key and, once it is
// answered, the answer its retries get.
type IdempotencyRecord struct {
	// PrincipalID (the ID of the API key or console binding that sent the
	// request) and Key identify the record: each caller has keys of its
	// own.
	PrincipalID string
	Key         string
	// RequestHash is the hex SHA-256 of the request's method, path and body;
	// a retry must match it.
	RequestHash string
	// Status is the answer's HTTP status; 0 while the request is in flight.
	Status int
	// Header holds the answer's headers worth replaying, by name.
	Header map[string]string
	// Body is the answer's body; nil when Withheld.
	Body []byte
	// Withheld: the answer carried a one-time secret, so only the fact that
	// it was given is kept.
	Withheld  bool
	CreatedAt time.Time
}

// InFlight reports whether the request has not been answered yet.
func (r IdempotencyRecord) InFlight() bool { return r.Status == 0 }

// SweepIdempotencyRecords deletes the records older than IdempotencyTTL.
func (s *Service) SweepIdempotencyRecords(ctx context.Context) (int64, error) {
	return s.Store.DeleteIdempotencyRecords(ctx, s.Now().UTC().Add(-IdempotencyTTL))
}
