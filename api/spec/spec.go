package spec

import (
	"cmp"
	_ "embed"
	"fmt"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed openapi.yaml
var document []byte

// Spec is openapi.yaml, parsed and checked.
type Spec struct {
	doc    *openapi3.T
	router routers.Router
}

// Load parses the embedded openapi.yaml and checks that it is a valid
// OpenAPI document whose examples match their schemas.
func Load() (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	// Routes are matched on the path alone: the document's one server is
	// relative ("/"), whatever host and scheme wxlogin is reached at.
	routed := *doc
	routed.Servers = nil
	router, err := legacy.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	return &Spec{doc: doc, router: router}, nil
}

// Operation is one operation of openapi.yaml.
type Operation struct {
	Method string // upper case
	Path   string // as in the document: /v1/tenants/{tenant}
	ID     string // the operationId
	Tag    string
}

// Operations lists every operation of the document, ordered by path and
// method, so that tests can prove each one is served and covered.
func (s *Spec) Operations() []Operation {
	var ops []Operation
	for _, path := range s.doc.Paths.InMatchingOrder() {
		for method, op := range s.doc.Paths.Value(path).Operations() {
			ops = append(ops, operation(method, path, op))
		}
	}
	slices.SortFunc(ops, func(a, b Operation) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
	})
	return ops
}

// OperationOf is the operation that req calls, if any.
func (s *Spec) OperationOf(req *http.Request) (Operation, bool) {
	route, _, err := s.router.FindRoute(req)
	if err != nil {
		return Operation{}, false
	}
	return operation(route.Method, route.Path, route.Operation), true
}

func operation(method, path string, op *openapi3.Operation) Operation {
	o := Operation{Method: method, Path: path, ID: op.OperationID}
	if len(op.Tags) > 0 {
		o.Tag = op.Tags[0]
	}
	return o
}
