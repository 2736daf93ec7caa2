// Package secrets keeps the values wxlogin must never put in its database:
// AppSecrets and private signing keys. Store has two implementations:
// HashiCorp Vault KV v2 for production and an AES-GCM encrypted local store
// for the embedded default.
package secrets

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when a path (or a version of it) holds no secret.
var ErrNotFound = errors.New("secret not found")

// Secret is one version of the key/value data stored at a path.
type Secret struct {
	Data      map[string]string
	Version   int
	CreatedAt time.Time
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
