package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// marker starts every secret value the fuzz targets give, so that an error
// quoting one is found whatever else it says.
const marker = "SECRET-"

// load loads the settings kv, with content as the config file when set.
func load(t *testing.T, kv map[string]string, content *string) (Config, error) {
	t.Helper()
	if content != nil {
		path := filepath.Join(t.TempDir(), "wxlogin.env")
		if err := os.WriteFile(path, []byte(*content), 0o600); err != nil {
			t.Fatal(err)
		}
		kv[ConfigFileSetting] = path
	}
	return Load(env(kv))
}

// FuzzConfigEnv sets one setting to any value: Load fails with a
// "config:" error that never quotes a secret setting's value, and a value
// gives the same configuration whether set directly, through NAME_FILE or
// as a line of the config file.
func FuzzConfigEnv(f *testing.F) {
	for i, v := range []string{"", ":8080", "http://localhost:8080/", "./data", "postgres://u:p@h/db", "http://127.0.0.1:8200",
		"approle", "t0ken", "r", "s", "approle", "k8s", "kubernetes", "/var/run/t", "secret", "wxlogin", "https://x", "https://y",
		"maybe", "-1s", "25h", "1m1s", "11m", "NaN", "+Inf", "warn", "", "10.0.0.0/8, ::1", "1e309", "0x10", "1_0"} {
		f.Add(uint8(i), v)
	}
	f.Fuzz(func(t *testing.T, i uint8, value string) {
		settings := Settings()[1:] // the config file is FuzzConfigFile's
		s := settings[int(i)%len(settings)]
		if s.Secret {
			value = marker + value
		}
		direct, err := load(t, map[string]string{s.Name: value}, nil)
		if err != nil && (!strings.HasPrefix(err.Error(), "config: ") || strings.Contains(err.Error(), marker)) {
			t.Fatalf("%s=%q: error %q", s.Name, value, err)
		}
		if strings.ContainsAny(value, "\r\n") {
			return // a file loses trailing newlines; a line ends at one
		}
		line := s.Name + "=" + value
		for how, kv := range map[string]map[string]string{
			"NAME_FILE":       {s.Name + FileSuffix: writeValue(t, value+"\n")},
			"the config file": {},
		} {
			var content *string
			if how == "the config file" {
				content = &line
			}
			got, gotErr := load(t, kv, content)
			got.ConfigFile, got.VaultAppRoleSecretIDFile = direct.ConfigFile, direct.VaultAppRoleSecretIDFile
			if (gotErr == nil) != (err == nil) || (err == nil && !reflect.DeepEqual(got, direct)) {
				t.Fatalf("%s=%q through %s: %+v, %v; directly %+v, %v", s.Name, value, how, got, gotErr, direct, err)
			}
		}
	})
}

func writeValue(t *testing.T, v string) string {
	path := filepath.Join(t.TempDir(), "value")
	if err := os.WriteFile(path, []byte(v), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// FuzzConfigFile loads any config file: Load fails with a "config:" error
// that quotes no secret setting's value and no malformed line.
func FuzzConfigFile(f *testing.F) {
	for _, c := range []string{
		"WXLOGIN_HTTP_ADDR=:9000\n# comment\n\nWXLOGIN_API_RATE=5\r\n",
		"WXLOGIN_VAULT_TOKEN=" + marker + "t0ken\nWXLOGIN_VAULT_ADDR=http://127.0.0.1:8200\n",
		"WXLOGIN_DATABASE_URL=" + marker + "mysql://u:p@h/db\n",
		marker + "no equals sign\n",
		"wxlogin_http_addr=" + marker + "lower\n",
		"WXLOGIN_HTTP_ADDR=:1\nWXLOGIN_HTTP_ADDR=:2\n",
		"WXLOGIN_CONFIG_FILE=/etc/other\n",
		"WXLOGIN_UNKNOWN=" + marker + "x\n",
		"WXLOGIN_VAULT_TOKEN=a\nWXLOGIN_VAULT_TOKEN_FILE=/nonexistent\n",
		"  WXLOGIN_HTTP_ADDR = :1\n",
		"\xff\xfe=\x00\n",
	} {
		f.Add(c)
	}
	secret := map[string]bool{}
	for _, s := range Settings() {
		secret[s.Name] = s.Secret
	}
	f.Fuzz(func(t *testing.T, content string) {
		_, err := load(t, map[string]string{}, &content)
		if err == nil {
			return
		}
		if !strings.HasPrefix(err.Error(), "config: ") {
			t.Fatalf("error %q", err)
		}
		// Only a setting that is not secret has its value quoted.
		quotable := false
		for line := range strings.SplitSeq(content, "\n") {
			name, value, ok := strings.Cut(strings.TrimSuffix(line, "\r"), "=")
			_, known := secret[strings.TrimSuffix(name, FileSuffix)]
			quotable = quotable || (ok && known && !secret[name] && strings.Contains(value, marker))
		}
		if !quotable && strings.Contains(err.Error(), marker) {
			t.Fatalf("error %q quotes the file", err)
		}
	})
}
