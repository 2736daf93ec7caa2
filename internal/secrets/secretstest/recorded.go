package secretstest

import (
	"context"
	"testing"

	"github.com/wxlogin/wxlogin/internal/secrets"
	"github.com/wxlogin/wxlogin/internal/secretscan"
	"github.com/wxlogin/wxlogin/internal/testenv"
)

// Recorded returns s with every value written to it recorded for the
// secret scan (testenv.RecordSecret), so that a test's own stores take
// part in the scan like the ones of the processes it runs.
func Recorded(t testing.TB, s secrets.Store) secrets.Store { return recorded{Store: s, t: t} }

type recorded struct {
	secrets.Store
	t testing.TB
}

func (r recorded) Put(ctx context.Context, path string, data map[string]string) (int, error) {
	for field, value := range data {
		kind, ok := secretscan.KindOfField(field)
		if !ok {
			r.t.Errorf("secret %s: the secret scan knows no field %q", path, field)
			continue
		}
		testenv.RecordSecret(r.t, kind, value)
	}
	return r.Store.Put(ctx, path, data)
}
