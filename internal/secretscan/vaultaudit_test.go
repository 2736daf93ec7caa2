package secretscan

import (
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
