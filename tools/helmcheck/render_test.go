package helmcheck

import (
	"os"
	"sort"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/releaseutil"
)

const (
	chartDir    = "../../deploy/helm/wxlogin"
	allOnFile   = chartDir + "/ci/all-on-values.yaml"
	releaseName = "wx"
	namespace   = "identity"
	fullname    = "wx-wxlogin"
)

// kubeVersion is the oldest Kubernetes the chart supports (Chart.yaml's
// kubeVersion); Helm's own default without a cluster is older.
var kubeVersion = &chartutil.KubeVersion{Version: "v1.30.0", Major: "1", Minor: "30"}

// rendered is a release as `helm install --dry-run` makes it: its manifests,
// hooks included, each decoded into its Kubernetes type, and its notes.
type rendered struct {
	manifests []manifest
	notes     string
}

// all returns the manifests of kind.
func (r *rendered) all(kind string) []manifest {
	var out []manifest
	for _, m := range r.manifests {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// get returns the object of kind and name, failing the test when it is missing.
func get[T any](t *testing.T, r *rendered, kind, name string) *T {
	t.Helper()
	for _, m := range r.all(kind) {
		if m.Name == name {
			return m.Object.(*T)
		}
	}
	t.Fatalf("no %s %q rendered", kind, name)
	return nil
}

// allOn is the values file with every option of the chart switched on.
func allOn(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(allOnFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// values merges YAML documents of values, later ones winning key by key.
func values(t *testing.T, layers ...string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, l := range layers {
		v, err := chartutil.ReadValues([]byte(l))
		if err != nil {
			t.Fatalf("values %q: %v", l, err)
		}
		merge(out, v)
	}
	return out
}

func merge(dst, src map[string]any) {
	for k, v := range src {
		sub, isMap := v.(map[string]any)
		have, hadMap := dst[k].(map[string]any)
		if isMap && hadMap {
			merge(have, sub)
			continue
		}
		dst[k] = v
	}
}

// render installs the chart with vals as `helm template` does: a dry run
// with no cluster, checking vals against values.schema.json first.
func render(vals map[string]any) (*rendered, error) {
	chart, err := loader.Load(chartDir)
	if err != nil {
		return nil, err
	}
	install := action.NewInstall(&action.Configuration{Log: func(string, ...any) {}})
	install.DryRun = true
	install.ClientOnly = true
	install.ReleaseName = releaseName
	install.Namespace = namespace
	install.KubeVersion = kubeVersion
	rel, err := install.Run(chart, vals)
	if err != nil {
		return nil, err
	}
	docs := []string{}
	split := releaseutil.SplitManifests(rel.Manifest)
	keys := make([]string, 0, len(split))
	for k := range split {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	for _, k := range keys {
		docs = append(docs, split[k])
	}
	for _, h := range rel.Hooks {
		docs = append(docs, "# Source: "+h.Path+"\n"+h.Manifest)
	}
	r := &rendered{notes: rel.Info.Notes}
	for _, d := range docs {
		m, err := decode(d)
		if err != nil {
			return nil, err
		}
		r.manifests = append(r.manifests, m)
	}
	return r, nil
}

// mustRender renders the chart, failing the test on any error.
func mustRender(t *testing.T, vals map[string]any) *rendered {
	t.Helper()
	r, err := render(vals)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return r
}

// lint runs `helm lint --strict` on the chart with vals and returns every
// message of warning severity or worse.
func lint(vals map[string]any) []string {
	l := action.NewLint()
	l.Strict = true
	l.Namespace = namespace
	l.KubeVersion = kubeVersion
	res := l.Run([]string{chartDir}, vals)
	var out []string
	for _, err := range res.Errors {
		out = append(out, err.Error())
	}
	return out
}

// source is the template a rendered document came from.
func source(doc string) string {
	first, _, _ := strings.Cut(doc, "\n")
	return strings.TrimPrefix(first, "# Source: ")
}
