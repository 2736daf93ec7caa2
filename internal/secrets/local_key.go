package secrets

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

const (
	keyFileName = "secrets.key"
	keySize     = 32 // AES-256
)

// loadOrCreateKey reads the key file at path, or creates it with a new
// random key when it does not exist.
func loadOrCreateKey(path string) ([]byte, error) {
	key, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	return key, err
}

// readKey reads a key file, refusing one that group or others may read.
func readKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has mode %#o: group and others must have no access (chmod 600 %s)", path, perm, path)
	}
	key, err := io.ReadAll(io.LimitReader(f, keySize+1))
	if err != nil {
		return nil, fmt.Errorf("read key file %s: %w", path, err)
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("key file %s must hold exactly %d bytes", path, keySize)
	}
	return key, nil
}

// createKey writes a new random key to path without ever exposing a partly
// written file: the key goes to a synced temporary file that is then linked
// into place. If another process created the key first, its key is used.
func createKey(path string) ([]byte, error) {
	key := randomBytes(keySize)
	tmp, err := writeTemp(filepath.Dir(path), key)
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	err = os.Link(tmp, path)
	_ = os.Remove(tmp)
	if errors.Is(err, fs.ErrExist) {
		return readKey(path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	return key, nil
}

// randomBytes returns n bytes from crypto/rand, which never fails.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
