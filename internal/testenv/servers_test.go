package testenv

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secretscan"
)

// TestOwnServersAreRecorded: the Vault server and the PostgreSQL cluster
// a test runs of its own take part in the secret scan like the shared
// ones. The AppSecrets written to the Vault, before a restart and after
// it, are in the server's audit log, read as the scan reads it, with its
// root token; the root token and unseal key are recorded; and when the
// test ends, every database of the cluster is dumped, the cluster started
// again for it if the test left it stopped.
func TestOwnServersAreRecorded(t *testing.T) {
	if !Recording() {
		unavailable(t, "nothing is recorded: "+ArtifactsEnv+" is not set (run `make test`)")
	}
	ctx := context.Background()
	before, after := "app-secret-"+opaque.Hex(8), "app-secret-"+opaque.Hex(8)
	var v *VaultServer
	var unsealKey string
	t.Run("vault", func(t *testing.T) {
		v = NewVaultServer(t)
		unsealKey = v.unsealKey
		put := func(value string) {
			if _, err := v.Client().KVv2("secret").Put(ctx, "t/accounts/wx1/appsecret", map[string]any{"app_secret": value}); err != nil {
				t.Fatal(err)
			}
		}
		put(before)
		v.Stop()
		v.Start()
		v.Unseal()
		put(after)
	})
	audit, err := os.Open(v.auditLog)
	if err != nil {
		t.Fatalf("the Vault server's audit log: %v", err)
	}
	defer audit.Close()
	got, err := secretscan.ReadVaultAudit(audit)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []secretscan.Record{
		{Kind: secretscan.AppSecret, Value: before}, {Kind: secretscan.AppSecret, Value: after}, {Kind: secretscan.VaultToken, Value: v.RootToken},
	} {
		if !slices.ContainsFunc(got, func(r secretscan.Record) bool { return r.Kind == want.Kind && r.Value == want.Value }) {
			t.Errorf("the audit log does not name a %s written to the server", want.Kind)
		}
	}
	recorded, err := secretscan.ReadRecordFile(filepath.Join(artifacts().dir, secretscan.SecretsDir, artifacts().proc+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(recorded, secretscan.Record{Kind: secretscan.VaultToken, Value: v.RootToken, Test: t.Name() + "/vault"}) {
		t.Error("the server's root token is not recorded")
	}
	key, err := hex.DecodeString(unsealKey)
	if err != nil || !slices.Contains(recorded, secretscan.Record{Kind: secretscan.VaultUnsealKey, Value: base64.StdEncoding.EncodeToString(key), Test: t.Name() + "/vault"}) {
		t.Errorf("the server's unseal key is not recorded (%v)", err)
	}

	marks := map[string]string{"postgres": "row-" + opaque.Hex(8), "other": "row-" + opaque.Hex(8)}
	t.Run("postgres", func(t *testing.T) {
		c := NewPostgresCluster(t)
		execSQL(t, c.URL(), "CREATE DATABASE other")
		for name, mark := range marks {
			execSQL(t, c.databaseURL(name), "CREATE TABLE marks (v text)", "INSERT INTO marks VALUES ('"+mark+"')")
		}
		c.Stop()
	})
	dumps, _ := filepath.Glob(filepath.Join(artifacts().dir, DB, artifacts().proc, unsafeName.ReplaceAllString(t.Name(), "_")+"_postgres-*"))
	var all strings.Builder
	for _, d := range dumps {
		b, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for name, mark := range marks {
		if !strings.Contains(all.String(), mark) {
			t.Errorf("no dump of the cluster's database %s among %d dumps", name, len(dumps))
		}
	}
}

// execSQL runs statements on the database at url.
func execSQL(t *testing.T, url string, statements ...string) {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range statements {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
