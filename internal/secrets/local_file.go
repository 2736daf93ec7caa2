package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// localAD prefixes the path in the additional data that binds a file's
// ciphertext to its path and to this file format.
const localAD = "wxlogin/secrets/local/v1\x00"

// read decrypts path's file. A missing file is ErrNotFound; a file that
// fails authentication (tampered, wrong key, or another path's file) is an
// error that never echoes its contents. Callers hold l.mu.
func (l *Local) read(path string) ([]localVersion, error) {
	sealed, err := os.ReadFile(l.file(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	n := l.aead.NonceSize()
	if len(sealed) < n+l.aead.Overhead() {
		return nil, errors.New("secret file is truncated")
	}
	plain, err := l.aead.Open(nil, sealed[:n], sealed[n:], []byte(localAD+path))
	if err != nil {
		return nil, errors.New("secret file failed authentication (wrong key, tampered, or not this path's file)")
	}
	var versions []localVersion
	if err := json.Unmarshal(plain, &versions); err != nil || len(versions) == 0 {
		return nil, errors.New("secret file holds no valid version list")
	}
	return versions, nil
}

// write encrypts versions under a fresh random nonce and atomically
// replaces path's file. Callers hold l.mu for writing.
func (l *Local) write(path string, versions []localVersion) error {
	plain, err := json.Marshal(versions)
	if err != nil {
		return fmt.Errorf("encode versions: %w", err)
	}
	nonce := randomBytes(l.aead.NonceSize())
	sealed := l.aead.Seal(nonce, nonce, plain, []byte(localAD+path))
	return writeFileAtomic(l.file(path), sealed)
}

// writeFileAtomic replaces name with data so that a reader or a crash sees
// either the old file or the new one, never a mix.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := writeTemp(filepath.Dir(name), data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(name))
}

// writeTemp writes data to a new mode-0600 file in dir, synced to disk, and
// returns its name.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// syncDir makes a rename, link or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
