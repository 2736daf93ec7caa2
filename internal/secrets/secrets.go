package secrets

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Error kinds. Every Store error that has one of these causes wraps it, so
// callers can tell them apart with errors.Is whichever backend is in use.
var (
	// ErrNotFound: the path (or that version of it) holds no secret.
	ErrNotFound = errors.New("secret not found")
	// ErrInvalidPath: the path breaks the rules of ValidatePath.
	ErrInvalidPath = errors.New("invalid secret path")
	// ErrUnavailable: the backend could not be reached or is not serving
	// (a sealed or standby Vault). Callers answer 503 and may retry.
	ErrUnavailable = errors.New("secret store unavailable")
)

// Secret is one version of the key/value data stored at a path.
type Secret struct {
	Data      map[string]string
	Version   int
	CreatedAt time.Time
}

// Format prints s for any verb with the data's keys but not its values, so
// that a Secret logged by mistake leaks nothing.
func (s Secret) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "Secret{Version:%d CreatedAt:%s Keys:%v}",
		s.Version, s.CreatedAt.Format(time.RFC3339), slices.Sorted(maps.Keys(s.Data)))
}

// Store is a versioned secret store. Paths are slash-separated
// ("tenants/acme/accounts/wx…/appsecret"). Implementations never put a
// secret value in an error or a log line.
type Store interface {
	// Put writes data as a new version at path and returns its number
	// (1 for the first).
	Put(ctx context.Context, path string, data map[string]string) (int, error)
	// Get returns the latest version at path.
	Get(ctx context.Context, path string) (Secret, error)
	// GetVersion returns one version at path.
	GetVersion(ctx context.Context, path string, version int) (Secret, error)
	// Delete removes every version at path, and its metadata.
	Delete(ctx context.Context, path string) error
	// Ping checks that the store is reachable and usable.
	Ping(ctx context.Context) error
}
