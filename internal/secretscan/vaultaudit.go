package secretscan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// auditEntry is what the scan reads of a line of Vault's file audit
// device, written raw (log_raw=true): the request and, on a response line,
// the response.
type auditEntry struct {
	Request struct {
		Operation   string         `json:"operation"`
		Path        string         `json:"path"`
		ClientToken string         `json:"client_token"`
		Data        map[string]any `json:"data"`
	} `json:"request"`
	Response *struct {
		Auth *struct {
			ClientToken string `json:"client_token"`
		} `json:"auth"`
		Data map[string]any `json:"data"`
	} `json:"response"`
}

// ReadVaultAudit reads the secrets of a raw Vault audit log: the values
// written to a KV v2 mount under the fields wxlogin keeps (KindOfField),
// whatever happened to them later; every token that made a request or that
// a login handed out; and every AppRole secret id made or used.
func ReadVaultAudit(r io.Reader) ([]Record, error) {
	var out []Record
	add := func(kind Kind, v any) {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, Record{Kind: kind, Value: s, Test: "Vault audit log"})
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		var e auditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		add(VaultToken, e.Request.ClientToken)
		add(AppRoleSecretID, e.Request.Data["secret_id"])
		if (e.Request.Operation == "create" || e.Request.Operation == "update") && strings.Contains(e.Request.Path, "/data/") {
			data, _ := e.Request.Data["data"].(map[string]any)
			for field, v := range data {
				if kind, ok := KindOfField(field); ok {
					add(kind, v)
				}
			}
		}
		if e.Response != nil {
			add(AppRoleSecretID, e.Response.Data["secret_id"])
			if e.Response.Auth != nil {
				add(VaultToken, e.Response.Auth.ClientToken)
			}
		}
	}
	return out, sc.Err()
}
