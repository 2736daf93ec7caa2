package secrets

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Local is the embedded secret store: a directory holding a 32-byte key file
// (secrets.key, mode 0600) and one AES-256-GCM encrypted file per secret
// path. A file is named by the hex SHA-256 of its path, so no path can
// escape the directory, and is sealed with the path as additional data, so a
// file copied under another path's name fails to open. Every write
// re-encrypts the path's whole version history under a fresh random nonce
// and replaces the file atomically.
//
// Local is safe for concurrent use by one process. Two processes must not
// write the same directory.
type Local struct {
	dir  string
	aead cipher.AEAD
	mu   sync.RWMutex
}

// localVersion is one version as stored inside the encrypted file.
type localVersion struct {
	Version   int               `json:"version"`
	CreatedAt time.Time         `json:"created_at"`
	Data      map[string]string `json:"data"`
}

// OpenLocal opens the store in dir, creating dir (mode 0700) and its key
// file (mode 0600) when missing. It refuses a key file that group or others
// may read, or that does not hold exactly 32 bytes.
func OpenLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open local secrets: %w", err)
	}
	key, err := loadOrCreateKey(filepath.Join(dir, keyFileName))
	if err != nil {
		return nil, fmt.Errorf("open local secrets: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("open local secrets: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("open local secrets: %w", err)
	}
	return &Local{dir: dir, aead: aead}, nil
}

// Put implements Store.
func (l *Local) Put(_ context.Context, path string, data map[string]string) (int, error) {
	if err := ValidatePath(path); err != nil {
		return 0, fmt.Errorf("local put: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	versions, err := l.read(path)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("local put %s: %w", path, err)
	}
	next := localVersion{Version: 1, CreatedAt: time.Now().UTC(), Data: data}
	if n := len(versions); n > 0 {
		next.Version = versions[n-1].Version + 1
	}
	if err := l.write(path, append(versions, next)); err != nil {
		return 0, fmt.Errorf("local put %s: %w", path, err)
	}
	return next.Version, nil
}

// Get implements Store.
func (l *Local) Get(_ context.Context, path string) (Secret, error) {
	versions, err := l.load("local get", path)
	if err != nil {
		return Secret{}, err
	}
	return versions[len(versions)-1].secret(), nil
}

// GetVersion implements Store. Versions start at 1; any other number is
// ErrNotFound.
func (l *Local) GetVersion(_ context.Context, path string, version int) (Secret, error) {
	const op = "local get version"
	versions, err := l.load(op, path)
	if err != nil {
		return Secret{}, err
	}
	for _, v := range versions {
		if v.Version == version {
			return v.secret(), nil
		}
	}
	return Secret{}, fmt.Errorf("%s %s version %d: %w", op, path, version, ErrNotFound)
}

// Delete implements Store. Deleting a path that holds nothing succeeds.
func (l *Local) Delete(_ context.Context, path string) error {
	if err := ValidatePath(path); err != nil {
		return fmt.Errorf("local delete: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	err := os.Remove(l.file(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = syncDir(l.dir)
	}
	if err != nil {
		return fmt.Errorf("local delete %s: %w", path, err)
	}
	return nil
}

// Ping implements Store: the directory must still be there.
func (l *Local) Ping(context.Context) error {
	fi, err := os.Stat(l.dir)
	if err == nil && !fi.IsDir() {
		err = fmt.Errorf("%s is not a directory", l.dir)
	}
	if err != nil {
		return fmt.Errorf("local ping: %w", err)
	}
	return nil
}

// load validates path and reads its versions under the read lock. Errors
// start with op.
func (l *Local) load(op, path string) ([]localVersion, error) {
	if err := ValidatePath(path); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	versions, err := l.read(path)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, path, err)
	}
	return versions, nil
}

// file is where path's versions live.
func (l *Local) file(path string) string {
	sum := sha256.Sum256([]byte(path))
	return filepath.Join(l.dir, hex.EncodeToString(sum[:]))
}

func (v localVersion) secret() Secret {
	return Secret{Data: v.Data, Version: v.Version, CreatedAt: v.CreatedAt}
}
