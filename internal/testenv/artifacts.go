package testenv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wxlogin/wxlogin/internal/secretscan"
)

// ArtifactsEnv names the directory where tests record, for the secret scan
// (internal/secretscan), the secrets they use and the logs, HTTP answers
// and databases that must not hold them. scripts/test.sh sets it to a
// fresh directory; unset, nothing is recorded.
const ArtifactsEnv = "WXLOGIN_TEST_ARTIFACTS"

// Classes of artifact: the top directories the scan reports on.
const (
	Logs      = "logs"      // what wxlogin processes wrote to stderr
	Responses = "responses" // the HTTP answers wxlogin sent
	DB        = "db"        // SQLite files and PostgreSQL dumps
	Output    = "output"    // what wxlogin commands printed
)

// recorder writes this test binary's artifacts, each file named after the
// binary, its process id and the test.
type recorder struct {
	dir, proc string
	mu        sync.Mutex
	seq       int
}

var artifacts = sync.OnceValue(func() *recorder {
	return &recorder{
		dir:  os.Getenv(ArtifactsEnv),
		proc: fmt.Sprintf("%s-%d", strings.TrimSuffix(filepath.Base(os.Args[0]), ".test"), os.Getpid()),
	}
})

// Recording reports whether tests record artifacts.
func Recording() bool { return artifacts().dir != "" }

// RecordSecret records value as a secret of kind that the test made, was
// handed or read from a secret store.
func RecordSecret(t testing.TB, kind secretscan.Kind, value string) {
	r := artifacts()
	if r.dir == "" || value == "" {
		return
	}
	line, _ := json.Marshal(secretscan.Record{Kind: kind, Value: value, Test: t.Name()})
	if err := r.write(filepath.Join(r.dir, secretscan.SecretsDir, r.proc+".jsonl"), append(line, '\n')); err != nil {
		t.Errorf("record a %s: %v", kind, err)
	}
}

// RecordArtifact keeps data, unless empty, as an artifact of class, in a
// file of its own named after the test and name.
func RecordArtifact(t testing.TB, class, name string, data []byte) {
	r := artifacts()
	if r.dir == "" || len(data) == 0 {
		return
	}
	if err := r.write(r.file(t, class, name), data); err != nil {
		t.Errorf("record %s: %v", name, err)
	}
}

// RecordFile keeps a copy of the file at path, if there is one, as an
// artifact of class.
func RecordFile(t testing.TB, class, name, path string) {
	if !Recording() {
		return
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		t.Errorf("record %s: %v", path, err)
		return
	}
	RecordArtifact(t, class, name, data)
}

// vaultAuditLog is the path of a new file in the secrets directory for
// the raw audit log of a Vault server a test runs; ReadRecords reads every
// such file with the recorded secrets. "" when nothing is recorded.
func vaultAuditLog() (string, error) {
	r := artifacts()
	if r.dir == "" {
		return "", nil
	}
	dir := filepath.Join(r.dir, secretscan.SecretsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, fmt.Sprintf("vault-audit-%s-%d.log", r.proc, r.next())), nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// file is a new file name for an artifact of t.
func (r *recorder) file(t testing.TB, class, name string) string {
	seq := r.next()
	test := unsafeName.ReplaceAllString(t.Name(), "_")
	if len(test) > 120 {
		test = test[:120]
	}
	return filepath.Join(r.dir, class, r.proc, fmt.Sprintf("%s-%d-%s", test, seq, unsafeName.ReplaceAllString(name, "_")))
}

// next is a number no other artifact file of this binary has.
func (r *recorder) next() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	return r.seq
}

// write appends data to file, making it (mode 0600) and its directory
// when missing.
func (r *recorder) write(file string, data []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// SQLiteFile returns the path of a new SQLite database file. When the test
// ends the file and its write-ahead log are recorded.
func SQLiteFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wxlogin.db")
	t.Cleanup(func() {
		RecordFile(t, DB, "sqlite", path)
		RecordFile(t, DB, "sqlite-wal", path+"-wal")
	})
	return path
}

// dumpPostgres records a dump of the database at url, schema and data.
func dumpPostgres(t testing.TB, url string) {
	if !Recording() {
		return
	}
	var stderr bytes.Buffer
	cmd := exec.Command("pg_dump", "--no-owner", "--no-privileges", "--dbname="+url)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Errorf("dump the test database for the secret scan: pg_dump: %v\n%s", err, stderr.Bytes())
		return
	}
	RecordArtifact(t, DB, "postgres.sql", out)
}
