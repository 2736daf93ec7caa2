package secretscan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Lines of a raw Vault audit log (trimmed): a KV v2 write of an AppSecret,
// a write of the conformance suite's own data, an AppRole secret id made
// and used, and the token a login handed out.
const auditLog = `{"request":{"client_token":"root-2293326b23883d74","data":{"data":{"app_secret":"abcdefghijkl0123"},"options":{}},"operation":"create","path":"secret/data/e2e-1/tenants/a/accounts/wx1/appsecret"},"type":"request"}
{"request":{"client_token":"root-2293326b23883d74","data":{"data":{"k":"value-1"}},"operation":"create","path":"secret/data/conformance/x"},"type":"request"}
{"request":{"client_token":"root-2293326b23883d74","operation":"update","path":"auth/approle/role/r/secret-id"},"response":{"data":{"secret_id":"8115b627-00ff-d4a5-fc12-c75fc909361b","secret_id_accessor":"fac4b697"}},"type":"response"}
{"request":{"client_token":"","data":{"role_id":"ec1ba3d4","secret_id":"8115b627-00ff-d4a5-fc12-c75fc909361b"},"operation":"update","path":"auth/approle/login"},"response":{"auth":{"client_token":"hvs.CAESIDonlvLSC8Ze16LasbO"}},"type":"response"}
`

func TestReadVaultAudit(t *testing.T) {
	got, err := ReadVaultAudit(strings.NewReader(auditLog))
	if err != nil {
		t.Fatal(err)
	}
	got = unique(got)
	want := []Record{
		{VaultToken, "root-2293326b23883d74", "Vault audit log"},
		{AppSecret, "abcdefghijkl0123", "Vault audit log"},
		{AppRoleSecretID, "8115b627-00ff-d4a5-fc12-c75fc909361b", "Vault audit log"},
		{VaultToken, "hvs.CAESIDonlvLSC8Ze16LasbO", "Vault audit log"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("records\n%v\nwant\n%v", got, want)
	}
	if _, err := ReadVaultAudit(strings.NewReader("{not json\n")); err == nil {
		t.Error("a broken audit log reads without error")
	}
}

// TestReadRecordsOfEveryVault: the secrets of the audit log of each Vault
// server of the run are read, the shared server's and a test's own.
func TestReadRecordsOfEveryVault(t *testing.T) {
	dir := t.TempDir()
	logs := map[string]string{
		"vault-audit.log":                  `{"request":{"client_token":"root-shared-0123456789"}}`,
		"vault-audit-wxlogin-17-3.log":     `{"request":{"client_token":"hvs.own-server-root-token"}}`,
		"vault-audit-wxlogin-17-3.log.bak": `{"request":{"client_token":"not-an-audit-log-of-the-run"}}`,
	}
	if err := os.MkdirAll(filepath.Join(dir, SecretsDir), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, line := range logs {
		if err := os.WriteFile(filepath.Join(dir, SecretsDir, name), []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{{VaultToken, "root-shared-0123456789", "Vault audit log"}, {VaultToken, "hvs.own-server-root-token", "Vault audit log"}}
	slices.SortFunc(got, func(a, b Record) int { return strings.Compare(b.Value, a.Value) })
	if !slices.Equal(got, want) {
		t.Errorf("records\n%v\nwant\n%v", got, want)
	}
}
