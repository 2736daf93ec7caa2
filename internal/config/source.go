package config

import (
	"fmt"
	"os"
	"strings"
)

// source is one place settings come from: the environment or the config
// file. Each setting X may be given there directly or as X_FILE, the path
// of a file holding the value; never both.
type source struct {
	// name says where, in errors: "the environment", "config file PATH".
	name   string
	lookup func(string) (string, bool)
}

func envSource(lookupEnv func(string) (string, bool)) source {
	return source{name: "the environment", lookup: lookupEnv}
}

// value returns setting name as this source gives it, and whether it does.
// A value read from a file loses its trailing newline.
func (s source) value(name string) (string, bool, error) {
	v, direct := s.lookup(name)
	path, indirect := s.lookup(name + FileSuffix)
	switch {
	case direct && indirect:
		return "", false, fmt.Errorf("config: %s and %s are both set in %s: set one", name, name+FileSuffix, s.name)
	case !indirect:
		return v, direct, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false, fmt.Errorf("config: %s: %w", name+FileSuffix, err)
	}
	return strings.TrimRight(string(b), "\r\n"), true, nil
}

// readFile reads a config file: NAME=value lines, as Docker's --env-file
// takes them. The value is everything after the first "=", as it is;
// blank lines and lines starting with "#" are skipped. Every NAME must be
// a setting or its _FILE form. Errors name the line but never quote it:
// it may hold a secret.
func readFile(path string) (source, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return source{}, fmt.Errorf("config: %s: %w", ConfigFileSetting, err)
	}
	known := map[string]bool{}
	for _, s := range Settings() {
		known[s.Name], known[s.Name+FileSuffix] = true, true
	}
	values := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if trimmed := strings.TrimSpace(line); trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		where := fmt.Sprintf("config: %s line %d", path, i+1)
		name, value, ok := strings.Cut(line, "=")
		_, dup := values[name]
		switch {
		case !ok || !settingName(name):
			return source{}, fmt.Errorf("%s: want NAME=value, NAME in capitals", where)
		case !known[name]:
			return source{}, fmt.Errorf("%s: unknown setting %s", where, name)
		case strings.HasPrefix(name, ConfigFileSetting):
			return source{}, fmt.Errorf("%s: %s is read from the environment only", where, name)
		case dup:
			return source{}, fmt.Errorf("%s: %s is set twice", where, name)
		}
		values[name] = value
	}
	return source{name: "config file " + path, lookup: func(name string) (string, bool) {
		v, ok := values[name]
		return v, ok
	}}, nil
}

// settingName reports whether s looks like a setting's name (capitals,
// digits and underscores), so that it may be quoted in an error.
func settingName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
