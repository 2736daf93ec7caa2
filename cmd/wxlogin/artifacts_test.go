package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secretscan"
	"github.com/wxlogin/wxlogin/internal/store"
	"github.com/wxlogin/wxlogin/internal/testenv"
	"github.com/wxlogin/wxlogin/internal/token"
	"github.com/wxlogin/wxlogin/tenants"
)

// What the stacks record for the secret scan (internal/secretscan) when
// testenv.ArtifactsEnv is set: the secrets the tests hand wxlogin, the
// ones it shows them once and the ones it keeps in its secret store; and
// its logs, command output, HTTP answers and databases.

// front puts a recording proxy (testenv.NewRecordingProxy) where wxlogin is
// reached: wxlogin listens on s.listen, its clients use s.public.
func (s *stack) front() {
	s.t.Helper()
	apiSpec(s.t) // loaded here: redact runs off the test's goroutine
	s.listen = "127.0.0.1:" + freePort(s.t)
	s.public = "http://" + testenv.NewRecordingProxy(s.t, s.listen, s.redact).Addr()
}

// shownOnce are the admin operations whose answer shows the caller a new
// secret, this once, and the field holding it.
var shownOnce = map[string]struct {
	field string
	kind  secretscan.Kind
}{
	"createAPIKey":       {"key", secretscan.APIKey},
	"createClientSecret": {"client_secret", secretscan.ClientSecret},
}

// redact takes out of an answer of wxlogin the secret it shows by design
// (a new API key or client secret, a console session cookie), records it
// as a secret of the run, and keeps the answer without it: the scan finds
// each secret then only where it must never be.
func (s *stack) redact(req *http.Request, resp *http.Response, body []byte) []byte {
	for i, line := range resp.Header["Set-Cookie"] {
		c, err := http.ParseSetCookie(line)
		if err == nil && strings.HasSuffix(c.Name, "wxlogin-console") && c.Value != "" {
			testenv.RecordSecret(s.t, secretscan.ConsoleSession, c.Value)
			resp.Header["Set-Cookie"][i] = strings.Replace(line, c.Value, "(session token)", 1)
		}
	}
	op, _ := apiSpec(s.t).OperationOf(req)
	f, ok := shownOnce[op.ID]
	var answer map[string]any
	if !ok || resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &answer) != nil {
		return body
	}
	if v, _ := answer[f.field].(string); v != "" {
		testenv.RecordSecret(s.t, f.kind, v)
		answer[f.field] = "(shown once)"
	}
	out, _ := json.Marshal(answer)
	return out
}

// printsSecret are the commands whose output is a new secret, shown once.
var printsSecret = map[string]secretscan.Kind{"apikey create": secretscan.APIKey, "client-secret create": secretscan.ClientSecret}

// recordRun records what an operator command was given and printed:
// `account create` reads the AppSecret from stdin; stderr is a log, stdout
// the command's output or the secret it made.
func (s *stack) recordRun(stdin string, args []string, stdout []byte, stderr string) {
	command := strings.Join(args[:min(2, len(args))], " ")
	if args[0] == "account" {
		testenv.RecordSecret(s.t, secretscan.AppSecret, strings.TrimSpace(stdin))
	}
	testenv.RecordArtifact(s.t, testenv.Logs, command, []byte(stderr))
	if kind, ok := printsSecret[command]; ok {
		testenv.RecordSecret(s.t, kind, strings.TrimSpace(string(stdout)))
	} else {
		testenv.RecordArtifact(s.t, testenv.Output, command, stdout)
	}
}

// setting is the value of an environment variable the stack sets for
// wxlogin: the last one given, as exec uses.
func (s *stack) setting(name string) string {
	for _, kv := range slices.Backward(s.env) {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// recordStoredSecrets records, once wxlogin has stopped, every secret its
// local secret store holds, every version (the AppSecrets it was given and
// the signing keys it made), and the store's key. It fails the test if the
// store holds an entry under a path the database does not name, which it
// could not read. (What wxlogin keeps in Vault is recorded from the audit
// log of the Vault server it uses, the shared one or a test's own,
// deleted secrets included.)
func (s *stack) recordStoredSecrets() {
	t := s.t
	if !testenv.Recording() || s.setting("WXLOGIN_VAULT_ADDR") != "" {
		return
	}
	dir := filepath.Join(s.setting("WXLOGIN_DATA_DIR"), "secrets")
	key, err := os.ReadFile(filepath.Join(dir, "secrets.key"))
	if errors.Is(err, fs.ErrNotExist) {
		return // the stack never opened its store
	}
	if err != nil {
		t.Errorf("record the local secret store: %v", err)
		return
	}
	testenv.RecordSecret(t, secretscan.LocalStoreKey, base64.StdEncoding.EncodeToString(key))
	local, err := secrets.OpenLocal(dir)
	if err != nil {
		t.Errorf("record the local secret store: %v", err)
		return
	}
	ctx := context.Background()
	read := 0
	for _, path := range s.secretPaths() {
		latest, err := local.Get(ctx, path)
		if errors.Is(err, secrets.ErrNotFound) {
			continue
		}
		read++
		for v := 1; err == nil && v <= latest.Version; v++ {
			var version secrets.Secret
			if version, err = local.GetVersion(ctx, path, v); err == nil {
				err = recordData(s, path, version.Data)
			}
		}
		if err != nil {
			t.Errorf("record the local secret store: %v", err)
		}
	}
	entries, err := os.ReadDir(dir)
	held := 0
	for _, e := range entries {
		if e.Name() != "secrets.key" && !strings.HasPrefix(e.Name(), ".") {
			held++
		}
	}
	if err != nil || held != read {
		t.Errorf("the local secret store holds %d entries, %d of them under paths the database names (%v): the rest were not recorded", held, read, err)
	}
}

// recordData records the values of one version of a secret.
func recordData(s *stack, path string, data map[string]string) error {
	for field, value := range data {
		kind, ok := secretscan.KindOfField(field)
		if !ok {
			return errors.New(path + ": the secret scan knows no field " + field)
		}
		testenv.RecordSecret(s.t, kind, value)
	}
	return nil
}

// secretPaths are the secret store paths the stack's database names: the
// AppSecret of every account and the private half of every signing key in
// use, of every tenant.
func (s *stack) secretPaths() []string {
	ctx := context.Background()
	db, err := store.Open(ctx, s.dbURL, store.Options{})
	if err != nil {
		s.t.Errorf("open the database to find the stored secrets: %v", err)
		return nil
	}
	defer db.Close()
	var paths []string
	ts, err := db.ListTenants(ctx)
	for _, tn := range ts {
		for p := (tenants.Page{Limit: tenants.MaxPageSize}); err == nil; {
			var page []tenants.Account
			page, err = db.ListAccounts(ctx, tn.ID, p)
			for _, a := range page {
				paths = append(paths, tenants.AppSecretPath(tn.ID, a.AppID))
			}
			if len(page) < p.Limit {
				break
			}
			p.After = page[len(page)-1].AppID
		}
		var keys []token.Key
		if err == nil {
			keys, err = db.Keys(ctx, tn.ID)
		}
		for _, k := range keys {
			paths = append(paths, token.PrivateKeyPath(tn.ID, k.KID))
		}
	}
	if err != nil {
		s.t.Errorf("list the stored secrets: %v", err)
	}
	return paths
}
