// Package helmcheck tests the Helm chart in deploy/helm/wxlogin: it lints the
// chart strictly, renders it with Helm's own install action (dry run, client
// only) for the default values and with every option on, decodes every
// manifest strictly into its Kubernetes API type, checks that
// values.schema.json refuses wrong values, and asserts what an install must
// hold (probes, security contexts, secrets only in files, hooks, optional
// objects only when enabled).
//
// It is a module of its own so that Helm and the Kubernetes API types stay
// out of wxlogin's dependencies; scripts/test.sh runs it.
package helmcheck
