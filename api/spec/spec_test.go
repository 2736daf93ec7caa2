package spec

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func load(t *testing.T) *Spec {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEmbeddedDocumentIsTheRepositorys(t *testing.T) {
	root, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root, document) {
		t.Fatal("api/spec/openapi.yaml differs from openapi.yaml: run go generate ./api/spec")
	}
}

// TestDocsPageIsCurrent compares the definition docs.html renders with
// openapi.yaml, so that a changed document without a rebuilt page fails.
func TestDocsPageIsCurrent(t *testing.T) {
	const start = "const __redoc_definition = "
	page := string(docsPage)
	i := strings.Index(page, start)
	if i < 0 {
		t.Fatal("docs.html holds no definition")
	}
	var rendered any
	if err := json.NewDecoder(strings.NewReader(page[i+len(start):])).Decode(&rendered); err != nil {
		t.Fatalf("docs.html definition: %v", err)
	}
	if got, want := canonical(t, rendered), canonical(t, load(t).doc); got != want {
		t.Fatal("docs.html renders another document than openapi.yaml: run go generate ./api/spec")
	}
}

// canonical is v as JSON with sorted keys.
func canonical(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	if b, err = json.Marshal(generic); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDocumentIsValid(t *testing.T) {
	s := load(t)
	if err := s.doc.Validate(t.Context(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatal(err)
	}
}

// adminOperations are the operations under /v1.
func adminOperations(t *testing.T, s *Spec) map[string]*openapi3.Operation {
	t.Helper()
	ops := map[string]*openapi3.Operation{}
	for _, o := range s.Operations() {
		if strings.HasPrefix(o.Path, "/v1/") {
			ops[o.Method+" "+o.Path] = s.doc.Paths.Value(o.Path).GetOperation(o.Method)
		}
	}
	if len(ops) != 36 {
		t.Fatalf("%d admin operations, want 36", len(ops))
	}
	return ops
}

func TestEveryOperationIsDocumented(t *testing.T) {
	s := load(t)
	seen := map[string]string{}
	for path, item := range s.doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			switch {
			case op.OperationID == "":
				t.Errorf("%s: no operationId", name)
			case seen[op.OperationID] != "":
				t.Errorf("%s: operationId %s also on %s", name, op.OperationID, seen[op.OperationID])
			case strings.ToLower(op.OperationID[:1]) != op.OperationID[:1] || strings.ContainsAny(op.OperationID, "-_ "):
				t.Errorf("%s: operationId %s is not camelCase", name, op.OperationID)
			}
			seen[op.OperationID] = name
			if strings.TrimSpace(op.Description) == "" || op.Summary == "" {
				t.Errorf("%s: no summary or description", name)
			}
			if len(op.Tags) != 1 {
				t.Errorf("%s: tags %v, want one", name, op.Tags)
			}
		}
	}
}

func TestAdminOperationsFollowTheConventions(t *testing.T) {
	s := load(t)
	for name, op := range adminOperations(t, s) {
		method := strings.Fields(name)[0]
		if !strings.Contains(op.Description, "Roles: ") {
			t.Errorf("%s: the description names no roles", name)
		}
		if op.Security != nil {
			t.Errorf("%s: overrides the document's bearerAuth security", name)
		}
		for _, status := range []string{"401", "403", "422", "429", "503"} {
			if !hasProblem(op, status) {
				t.Errorf("%s: no problem+json %s answer", name, status)
			}
		}
		for _, status := range []string{"429", "503"} {
			if r := op.Responses.Value(status); r != nil && r.Value.Headers["Retry-After"] == nil {
				t.Errorf("%s: %s without Retry-After", name, status)
			}
		}
		params := map[string]bool{}
		for _, p := range op.Parameters {
			params[p.Value.In+" "+p.Value.Name] = true
		}
		if method == "POST" && !params["header Idempotency-Key"] {
			t.Errorf("%s: no Idempotency-Key", name)
		}
		if method == "PATCH" && (!params["header If-Match"] || !hasProblem(op, "412")) {
			t.Errorf("%s: no If-Match or no 412", name)
		}
		for status, r := range op.Responses.Map() {
			if status[0] != '2' {
				continue
			}
			for ct, mt := range r.Value.Content {
				if ct != "application/json" && ct != "text/csv" { // CSV: report exports
					t.Errorf("%s %s: content type %s", name, status, ct)
				}
				if !hasExample(mt.Schema) && mt.Example == nil {
					t.Errorf("%s %s: the schema has no example", name, status)
				}
			}
		}
		if body := op.RequestBody; body != nil {
			mt := body.Value.Content.Get("application/json")
			switch {
			case mt == nil:
				t.Errorf("%s: the body is not JSON", name)
			case !hasExample(mt.Schema):
				t.Errorf("%s: the body's schema has no example", name)
			case mt.Schema.Value.AdditionalProperties.Has == nil || *mt.Schema.Value.AdditionalProperties.Has:
				t.Errorf("%s: the body accepts unknown fields", name)
			}
			if !hasProblem(op, "400") || !hasProblem(op, "413") {
				t.Errorf("%s: takes a body but has no 400 or 413", name)
			}
		}
	}
}

func hasProblem(op *openapi3.Operation, status string) bool {
	r := op.Responses.Value(status)
	if r == nil || r.Value == nil {
		return false
	}
	mt := r.Value.Content.Get("application/problem+json")
	return mt != nil && mt.Schema != nil && strings.HasSuffix(mt.Schema.Ref, "/Problem")
}

func hasExample(s *openapi3.SchemaRef) bool {
	return s != nil && s.Value != nil && s.Value.Example != nil
}

func TestEverySchemaHasAnExample(t *testing.T) {
	s := load(t)
	for name, ref := range s.doc.Components.Schemas {
		if ref.Value.Example == nil {
			t.Errorf("schema %s has no example", name)
		}
	}
}

func TestSingleResourcesHaveETags(t *testing.T) {
	s := load(t)
	for _, path := range []string{"/v1/tenants/{tenant}", "/v1/tenants/{tenant}/accounts/{appid}", "/v1/tenants/{tenant}/identities/{identity_id}"} {
		item := s.doc.Paths.Value(path)
		for _, op := range []*openapi3.Operation{item.Get, item.Patch} {
			if op == nil {
				continue
			}
			if r := op.Responses.Value("200"); r == nil || r.Value.Headers["ETag"] == nil {
				t.Errorf("%s %s: 200 without ETag", path, op.OperationID)
			}
		}
	}
}

func TestOperationOf(t *testing.T) {
	s := load(t)
	for _, c := range []struct {
		method, path, want string
	}{
		{"POST", "/v1/tenants/acme/api-keys", "createAPIKey"},
		{"POST", "/v1/tenants/acme/accounts/wx1234567890abcdef/client-secrets", "createClientSecret"},
		{"GET", "/v1/tenants/acme/api-keys", "listAPIKeys"},
		{"GET", "/console/accounts", ""},
		{"PATCH", "/v1/tenants/acme/api-keys", ""},
	} {
		req := httptest.NewRequest(c.method, c.path, nil)
		o, ok := s.OperationOf(req)
		if o.ID != c.want || ok != (c.want != "") {
			t.Errorf("%s %s: %q %v, want %q", c.method, c.path, o.ID, ok, c.want)
		}
	}
}
