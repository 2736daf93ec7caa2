package secretscan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Kind says what a secret is.
type Kind string

// The kinds of secret a run records.
const (
	AppSecret      Kind = "AppSecret"
	ClientSecret   Kind = "client secret"
	APIKey         Kind = "API key"
	ConsoleSession Kind = "console session token"
	// SigningKey is a signing key's private half, recorded as the PEM
	// PKCS #8 block wxlogin stores; the scan also looks for its other
	// serializations.
	SigningKey Kind = "signing private key"
	// LocalStoreKey is the local secret store's key file, recorded in
	// standard base64.
	LocalStoreKey   Kind = "local secret store key"
	VaultToken      Kind = "Vault token"
	AppRoleSecretID Kind = "AppRole secret id"
	// VaultUnsealKey is the unseal key of a Vault server a test runs,
	// recorded in standard base64.
	VaultUnsealKey Kind = "Vault unseal key"
)

// KindOfField is the kind of the value wxlogin keeps under field in a
// secret store entry: the AppSecret of an account, or the private half of
// a signing key.
func KindOfField(field string) (Kind, bool) {
	switch field {
	case "app_secret":
		return AppSecret, true
	case "private_key":
		return SigningKey, true
	}
	return "", false
}

// Record is one secret of the run: its kind, its value and the test that
// recorded it.
type Record struct {
	Kind  Kind   `json:"kind"`
	Value string `json:"value"`
	Test  string `json:"test"`
}

// Layout of the artifacts directory.
const (
	// SecretsDir holds the secrets; it is the one directory not searched.
	SecretsDir = "secrets"
	// VaultAuditLogs matches the raw audit logs in SecretsDir, one for
	// each Vault server of the run: vault-audit.log of the shared test
	// server, vault-audit-*.log of each server a test runs of its own.
	VaultAuditLogs = "vault-audit*.log"
)

// ReadRecords reads the secrets recorded under dir: every SecretsDir/*.jsonl
// file and every Vault audit log. Each secret comes once, with the first
// test that recorded it.
func ReadRecords(dir string) ([]Record, error) {
	var all []Record
	for _, read := range []struct {
		glob string
		read func(name string) ([]Record, error)
	}{{"*.jsonl", ReadRecordFile}, {VaultAuditLogs, readVaultAuditFile}} {
		files, err := filepath.Glob(filepath.Join(dir, SecretsDir, read.glob))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			rs, err := read.read(f)
			if err != nil {
				return nil, err
			}
			all = append(all, rs...)
		}
	}
	return unique(all), nil
}

func readVaultAuditFile(name string) ([]Record, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rs, err := ReadVaultAudit(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return rs, nil
}

// ReadRecordFile reads one file of records, one JSON Record a line.
func ReadRecordFile(name string) ([]Record, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rs []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Kind == "" || r.Value == "" {
			return nil, fmt.Errorf("%s:%d: not a secret record", name, n)
		}
		rs = append(rs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return rs, nil
}

// unique keeps the first record of each (kind, value).
func unique(rs []Record) []Record {
	seen := map[Record]bool{}
	var out []Record
	for _, r := range rs {
		k := Record{Kind: r.Kind, Value: r.Value}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}
