package secretstest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/wxlogin/wxlogin/internal/opaque"
	"github.com/wxlogin/wxlogin/internal/secrets"
)

// Run runs the suite. newStore returns the store under test; stores may be
// shared between calls, since every case writes under its own random path.
func Run(t *testing.T, newStore func(t *testing.T) secrets.Store) {
	cases := []struct {
		name string
		run  func(t *testing.T, s secrets.Store, root string)
	}{
		{"put then get", testPutGet},
		{"versions", testVersions},
		{"not found", testNotFound},
		{"delete", testDelete},
		{"concurrent puts", testConcurrentPuts},
		{"paths are isolated", testIsolation},
		{"invalid paths", testInvalidPaths},
		{"data is copied", testDataCopied},
		{"ping", testPing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, newStore(t), "conformance/"+opaque.Hex(6))
		})
	}
}

func testPutGet(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	path := root + "/tenants/acme/accounts/wx1/appsecret"
	data := map[string]string{"appsecret": "密钥 🔑 \"quoted\"\nline", "empty": ""}
	v := put(t, s, path, data)
	if v != 1 {
		t.Errorf("first Put = version %d, want 1", v)
	}
	got, err := s.Get(ctx, path)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.Version != 1 || !maps.Equal(got.Data, data) || got.CreatedAt.IsZero() {
		t.Errorf("Get = version %d, data %q, created %v; want 1, %q, non-zero", got.Version, got.Data, got.CreatedAt, data)
	}
}

func testVersions(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	path := root + "/rotating"
	for i := 1; i <= 3; i++ {
		if v := put(t, s, path, value(i)); v != i {
			t.Fatalf("Put #%d = version %d", i, v)
		}
	}
	latest, err := s.Get(ctx, path)
	if err != nil || latest.Version != 3 || !maps.Equal(latest.Data, value(3)) {
		t.Errorf("Get = %d %q, %v; want version 3", latest.Version, latest.Data, err)
	}
	for i := 1; i <= 3; i++ {
		got, err := s.GetVersion(ctx, path, i)
		if err != nil || got.Version != i || !maps.Equal(got.Data, value(i)) {
			t.Errorf("GetVersion(%d) = %d %q, %v", i, got.Version, got.Data, err)
		}
	}
	for _, v := range []int{0, -1, 4} {
		if _, err := s.GetVersion(ctx, path, v); !errors.Is(err, secrets.ErrNotFound) {
			t.Errorf("GetVersion(%d) error = %v, want ErrNotFound", v, err)
		}
	}
}

func testNotFound(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	path := root + "/never-written"
	if _, err := s.Get(ctx, path); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("Get error = %v, want ErrNotFound", err)
	}
	if _, err := s.GetVersion(ctx, path, 1); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("GetVersion error = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, path); err != nil {
		t.Errorf("Delete of a missing path = %v, want nil", err)
	}
}

func testDelete(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	path := root + "/doomed"
	put(t, s, path, value(1))
	put(t, s, path, value(2))
	if err := s.Delete(ctx, path); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, path); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if _, err := s.GetVersion(ctx, path, 1); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("GetVersion(1) after Delete error = %v, want ErrNotFound", err)
	}
	if v := put(t, s, path, value(3)); v != 1 {
		t.Errorf("Put after Delete = version %d, want 1", v)
	}
}

func testConcurrentPuts(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	path := root + "/contended"
	const n = 8
	versions := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v, err := s.Put(ctx, path, value(i))
			if err != nil {
				t.Errorf("Put %d: %v", i, err)
			}
			versions[i] = v
		})
	}
	wg.Wait()
	if sorted := slices.Sorted(slices.Values(versions)); !slices.Equal(sorted, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("versions = %v, want 1…%d once each", versions, n)
	}
	for i, v := range versions {
		got, err := s.GetVersion(ctx, path, v)
		if err != nil || !maps.Equal(got.Data, value(i)) {
			t.Errorf("version %d = %q, %v; want writer %d's data", v, got.Data, err, i)
		}
	}
}

func testIsolation(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	paths := []string{root + "/a/b", root + "/a/b/c", root + "/a/bc", root + "/A/b"}
	for i, p := range paths {
		put(t, s, p, value(i))
	}
	for i, p := range paths {
		got, err := s.Get(ctx, p)
		if err != nil || got.Version != 1 || !maps.Equal(got.Data, value(i)) {
			t.Errorf("Get(%s) = %d %q, %v; want its own version 1", p, got.Version, got.Data, err)
		}
	}
	if err := s.Delete(ctx, paths[0]); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, paths[1]); err != nil {
		t.Errorf("Delete(%s) removed %s: %v", paths[0], paths[1], err)
	}
}

func testInvalidPaths(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	for _, p := range []string{"", "/abs", root + "/../escape", root + "//double", root + "/trailing/", root + "/./dot", "ctl\x00"} {
		if _, err := s.Put(ctx, p, value(1)); !errors.Is(err, secrets.ErrInvalidPath) {
			t.Errorf("Put(%q) error = %v, want ErrInvalidPath", p, err)
		}
		if _, err := s.Get(ctx, p); !errors.Is(err, secrets.ErrInvalidPath) {
			t.Errorf("Get(%q) error = %v, want ErrInvalidPath", p, err)
		}
		if err := s.Delete(ctx, p); !errors.Is(err, secrets.ErrInvalidPath) {
			t.Errorf("Delete(%q) error = %v, want ErrInvalidPath", p, err)
		}
	}
}

func testDataCopied(t *testing.T, s secrets.Store, root string) {
	ctx := context.Background()
	path := root + "/copied"
	data := value(1)
	put(t, s, path, data)
	data["k"] = "changed by the caller after Put"
	first, err := s.Get(ctx, path)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	first.Data["k"] = "changed by the caller after Get"
	second, err := s.Get(ctx, path)
	if err != nil || !maps.Equal(second.Data, value(1)) {
		t.Errorf("Get = %q, %v; want %q untouched by callers", second.Data, err, value(1))
	}
}

func testPing(t *testing.T, s secrets.Store, _ string) {
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func put(t *testing.T, s secrets.Store, path string, data map[string]string) int {
	t.Helper()
	v, err := s.Put(context.Background(), path, data)
	if err != nil {
		t.Fatalf("Put(%s): %v", path, err)
	}
	return v
}

func value(i int) map[string]string {
	return map[string]string{"k": fmt.Sprintf("value-%d", i), "unicode": fmt.Sprintf("值-%d-✓", i)}
}
