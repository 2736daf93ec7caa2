package secretscan

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newKey is a signing key as wxlogin stores it, and its private scalar.
func newKey(t *testing.T) (pemText string, k *ecdsa.PrivateKey) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), k
}

// urlOrStd is the encoding a hit on b in base64url names: base64 when
// both alphabets write the whole groups of b the same.
func urlOrStd(b []byte) string {
	if strings.ContainsAny(base64.URLEncoding.EncodeToString(b)[:len(b)/3*4], "-_") {
		return "base64url"
	}
	return "base64"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// scanOne scans a directory holding the secrets and one artifact.
func scanOne(t *testing.T, records []Record, artifact string) Report {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "logs", "a.log"), []byte(artifact), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := Scan(records, dir)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestScanFindsEachEncoding plants a secret of each kind in an artifact,
// written each way a leak writes it, and expects the hit to name the kind,
// the way and the file, and not to hold the secret.
func TestScanFindsEachEncoding(t *testing.T) {
	const odd = `Ap9/sec+ret="<x>"&y z` // every character URL and JSON escaping change
	pemText, key := newKey(t)
	ecdhKey, _ := key.ECDH()
	d := ecdhKey.Bytes()
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	sec1, _ := x509.MarshalECPrivateKey(key)
	storeKey := make([]byte, 32)
	_, _ = rand.Read(storeKey)
	cases := []struct {
		name     string
		record   Record
		artifact string
		form     string
		encoding string
	}{
		{"AppSecret as is", Record{AppSecret, "wx-app-secret-0123456789abcdef", "T"}, "secret=wx-app-secret-0123456789abcdef in a log", "value", "as is"},
		{"AppSecret in a query", Record{AppSecret, odd, "T"}, "GET /x?secret=" + url.QueryEscape(odd) + "&next=1", "value", "URL-encoded"},
		{"AppSecret in a path", Record{AppSecret, odd, "T"}, "GET /x/" + url.PathEscape(odd) + "/y", "value", "URL-encoded"},
		{"AppSecret in JSON", Record{AppSecret, odd, "T"}, `{"msg":"x","secret":` + jsonString(odd) + `}`, "value", "JSON-escaped"},
		{"client secret in a Basic header", Record{ClientSecret, "wxs_q8Jw1rTz0bV4mNc7Xy2Lp5Ks9Hd3", "T"},
			"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("wx1234567890abcdef:wxs_q8Jw1rTz0bV4mNc7Xy2Lp5Ks9Hd3")), "value", "base64"},
		{"client secret after one byte", Record{ClientSecret, "wxs_q8Jw1rTz0bV4mNc7Xy2Lp5Ks9Hd3", "T"},
			base64.StdEncoding.EncodeToString([]byte("a:wxs_q8Jw1rTz0bV4mNc7Xy2Lp5Ks9Hd3")), "value", "base64"},
		// "???" is "Pz8/" in base64 and "Pz8_" in base64url.
		{"API key in a JWT claim", Record{APIKey, "wxk_???Yx3o9s0wqUe2Vd8j???KkqA7nQb", "T"},
			"eyJhbGciOiJFUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x","key":"wxk_???Yx3o9s0wqUe2Vd8j???KkqA7nQb"}`)) + ".sig", "value", "base64url"},
		{"console session in hex", Record{ConsoleSession, "0f3a9c1b7d4e4f0a9b8c7d6e5f4a3b2c", "T"},
			`\x` + hex.EncodeToString([]byte("0f3a9c1b7d4e4f0a9b8c7d6e5f4a3b2c")), "value", "hex"},
		{"console session in upper-case hex", Record{ConsoleSession, "0f3a9c1b7d4e4f0a9b8c7d6e5f4a3b2c", "T"},
			"X'" + strings.ToUpper(hex.EncodeToString([]byte("0f3a9c1b7d4e4f0a9b8c7d6e5f4a3b2c"))) + "'", "value", "hex"},
		{"signing key as PEM", Record{SigningKey, pemText, "T"}, "key:\n" + pemText, "PEM", "as is"},
		{"signing key PEM in a JSON log", Record{SigningKey, pemText, "T"}, `{"key":` + jsonString(pemText) + `}`, "PEM", "JSON-escaped"},
		{"signing key as the JWK d", Record{SigningKey, pemText, "T"}, `{"kty":"EC","crv":"P-256","d":"` + base64.RawURLEncoding.EncodeToString(d) + `"}`, "private scalar", urlOrStd(d)},
		{"signing key scalar in base64", Record{SigningKey, pemText, "T"}, "d=" + base64.StdEncoding.EncodeToString(d), "private scalar", "base64"},
		{"signing key scalar raw", Record{SigningKey, pemText, "T"}, "\x00\x01" + string(d) + "\x02", "private scalar", "as is"},
		{"signing key DER on one line", Record{SigningKey, pemText, "T"}, "private_key=" + base64.StdEncoding.EncodeToString(der), "PKCS #8 DER", "base64"},
		{"signing key as SEC1 PEM", Record{SigningKey, pemText, "T"}, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})), "SEC1 PEM", "as is"},
		{"local store key in base64", Record{LocalStoreKey, base64.StdEncoding.EncodeToString(storeKey), "T"}, "key " + base64.StdEncoding.EncodeToString(storeKey), "raw", "base64"},
		{"local store key raw", Record{LocalStoreKey, base64.StdEncoding.EncodeToString(storeKey), "T"}, "SQLite format 3\x00" + string(storeKey), "raw", "as is"},
		{"Vault token", Record{VaultToken, "hvs.CAESIDonlvLSC8Ze16LasbO", "T"}, `"token":"hvs.CAESIDonlvLSC8Ze16LasbO"`, "value", "as is"},
		{"Vault unseal key in hex", Record{VaultUnsealKey, base64.StdEncoding.EncodeToString(storeKey), "T"}, `"keys":["` + hex.EncodeToString(storeKey) + `"]`, "raw", "hex"},
		{"Vault unseal key in base64", Record{VaultUnsealKey, base64.StdEncoding.EncodeToString(storeKey), "T"}, `"keys_base64":["` + base64.StdEncoding.EncodeToString(storeKey) + `"]`, "raw", "base64"},
		{"AppRole secret id URL-encoded", Record{AppRoleSecretID, "8115b627-00ff-d4a5-fc12-c75fc909361b", "T"}, "id=8115b627-00ff-d4a5-fc12-c75fc909361b", "value", "as is"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := scanOne(t, []Record{c.record}, "before "+c.artifact+" after")
			if len(rep.Hits) == 0 {
				t.Fatalf("no hit; want the %s (%s, %s)", c.record.Kind, c.form, c.encoding)
			}
			h := rep.Hits[0]
			if h.Kind != c.record.Kind || h.Form != c.form || h.Encoding != c.encoding || h.File != filepath.Join("logs", "a.log") || h.Test != "T" {
				t.Errorf("hit %+v, want a %s (%s, %s) in logs/a.log", h, c.record.Kind, c.form, c.encoding)
			}
			if out := rep.String(); strings.Contains(out, c.record.Value) || !strings.Contains(out, "hits: ") {
				t.Errorf("the report shows the secret or no hits:\n%s", out)
			}
		})
	}
}

// TestScanOfCleanArtifacts: secrets absent from the artifacts give no hit,
// even where their beginning or another secret's is.
func TestScanOfCleanArtifacts(t *testing.T) {
	pemText, _ := newKey(t)
	other, _ := newKey(t)
	records := []Record{{AppSecret, "secret-of-account-a-0123456789ab", "T"}, {SigningKey, pemText, "T"}}
	rep := scanOne(t, records, "secret-of-account-a-0123456789aX secret-of-account-b-0123456789ab\n"+other)
	if len(rep.Hits) != 0 {
		t.Errorf("hits in clean artifacts: %v", rep.Hits)
	}
	if rep.Secrets[AppSecret] != 1 || rep.Secrets[SigningKey] != 1 || rep.Classes["logs"] == nil || rep.Classes["logs"].Files != 1 {
		t.Errorf("report %+v", rep)
	}
}

// TestScanSkipsTheSecrets: the recorded secrets themselves are not
// searched; every other file is, counted by its top directory.
func TestScanSkipsTheSecrets(t *testing.T) {
	dir := t.TempDir()
	r := Record{APIKey, "wxk_Yx3o9s0wqUe2Vd8jKkqA7nQbZsT4Lm1c", "TestX"}
	line, _ := json.Marshal(r)
	files := map[string]string{
		"secrets/p-1.jsonl":           string(line) + "\n",
		"db/p-1/TestX-1-postgres.sql": "COPY api_keys (hash) FROM stdin;\n" + r.Value + "\n",
		"responses/p-1/TestX-2.http":  "HTTP/1.1 200 OK\r\n\r\n{}",
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	records, err := ReadRecords(dir)
	if err != nil || len(records) != 1 || records[0] != r {
		t.Fatalf("records %v, %v", records, err)
	}
	rep, err := Scan(records, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Hits) != 1 || rep.Hits[0].File != filepath.Join("db", "p-1", "TestX-1-postgres.sql") {
		t.Errorf("hits %v, want one in the dump", rep.Hits)
	}
	if files, _ := rep.Files(); files != 2 || rep.Classes["db"].Files != 1 || rep.Classes["responses"].Files != 1 {
		t.Errorf("searched %d files: %+v", files, rep.Classes)
	}
}

// TestScanRefusesWhatItCannotSearch: a secret too short to search for, or
// a signing key that is not one, fails the scan rather than being left out.
func TestScanRefusesWhatItCannotSearch(t *testing.T) {
	for _, r := range []Record{{AppSecret, "short", "T"}, {SigningKey, "not a key at all", "T"}, {LocalStoreKey, "%%%", "T"}} {
		if _, err := Scan([]Record{r}, t.TempDir()); err == nil {
			t.Errorf("%s %q: no error", r.Kind, r.Value)
		}
	}
}
