//go:build secretscan

package secretscan

import (
	"os"
	"testing"
)

// scanEnv names the artifacts directory of a finished test run.
// TestRunLeaksNoSecret is built with the secretscan tag only, which
// scripts/test.sh gives after `go test ./...`, with this set.
const scanEnv = "WXLOGIN_SECRET_SCAN"

// A whole run records secrets of each of these kinds and artifacts of
// each of these classes; under CI=true a run that lacks one was not
// recorded whole, and a scan of it would prove little.
var (
	wantKinds   = []Kind{AppSecret, ClientSecret, APIKey, ConsoleSession, SigningKey, LocalStoreKey, VaultToken, AppRoleSecretID, VaultUnsealKey}
	wantClasses = []string{"logs", "responses", "db", "output"}
)

// TestRunLeaksNoSecret searches what the test run recorded for every
// secret it used, and fails on any hit.
func TestRunLeaksNoSecret(t *testing.T) {
	dir := os.Getenv(scanEnv)
	if dir == "" {
		t.Fatal(scanEnv + " is not set: the scan runs after the whole test run (scripts/test.sh)")
	}
	ci := os.Getenv("CI") == "true"
	incomplete := t.Skipf
	if ci {
		incomplete = t.Fatalf
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
		incomplete("nothing to scan in %s (%v): the tests recorded no artifacts", dir, err)
	}
	records, err := ReadRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Scan(records, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.String())
	for _, k := range wantKinds {
		if rep.Secrets[k] == 0 && ci {
			t.Errorf("the run recorded no %s", k)
		}
	}
	for _, c := range wantClasses {
		if rep.Classes[c] == nil && ci {
			t.Errorf("the run recorded no artifacts in %s/", c)
		}
	}
	if len(rep.Hits) > 0 {
		t.Errorf("%d secrets found where they must not be (listed above)", len(rep.Hits))
	}
}
