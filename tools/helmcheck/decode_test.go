package helmcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// manifest is one rendered document decoded into its API type.
type manifest struct {
	Kind, Name, Source string
	Annotations        map[string]string
	YAML               string
	Object             any
}

// kinds are the API types the chart may render, by kind: the API version the
// chart must use and a new empty object to decode into.
var kinds = map[string]struct {
	apiVersion string
	new        func() any
}{
	"ConfigMap":               {"v1", func() any { return &corev1.ConfigMap{} }},
	"Secret":                  {"v1", func() any { return &corev1.Secret{} }},
	"Service":                 {"v1", func() any { return &corev1.Service{} }},
	"ServiceAccount":          {"v1", func() any { return &corev1.ServiceAccount{} }},
	"Pod":                     {"v1", func() any { return &corev1.Pod{} }},
	"Deployment":              {"apps/v1", func() any { return &appsv1.Deployment{} }},
	"Job":                     {"batch/v1", func() any { return &batchv1.Job{} }},
	"HorizontalPodAutoscaler": {"autoscaling/v2", func() any { return &autoscalingv2.HorizontalPodAutoscaler{} }},
	"PodDisruptionBudget":     {"policy/v1", func() any { return &policyv1.PodDisruptionBudget{} }},
	"Ingress":                 {"networking.k8s.io/v1", func() any { return &networkingv1.Ingress{} }},
	"NetworkPolicy":           {"networking.k8s.io/v1", func() any { return &networkingv1.NetworkPolicy{} }},
	"ServiceMonitor":          {"monitoring.coreos.com/v1", func() any { return &monitoringv1.ServiceMonitor{} }},
}

// decode turns a YAML document into its API type as strictly as the API
// server does: field names match case-sensitively, and unknown or duplicate
// fields are errors.
func decode(doc string) (manifest, error) {
	js, err := yaml.YAMLToJSONStrict([]byte(doc))
	if err != nil {
		return manifest{}, fmt.Errorf("%s: %w", source(doc), err)
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name        string            `json:"name"`
			Annotations map[string]string `json:"annotations"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(js, &head); err != nil {
		return manifest{}, fmt.Errorf("%s: %w", source(doc), err)
	}
	k, ok := kinds[head.Kind]
	if !ok {
		return manifest{}, fmt.Errorf("%s: unexpected kind %q", source(doc), head.Kind)
	}
	if head.APIVersion != k.apiVersion {
		return manifest{}, fmt.Errorf("%s: %s has apiVersion %q, want %q", source(doc), head.Kind, head.APIVersion, k.apiVersion)
	}
	obj := k.new()
	strict, err := kjson.UnmarshalStrict(js, obj)
	if err == nil {
		err = errors.Join(strict...)
	}
	if err != nil {
		return manifest{}, fmt.Errorf("%s: %s: %w", source(doc), head.Kind, err)
	}
	return manifest{Kind: head.Kind, Name: head.Metadata.Name, Source: source(doc), Annotations: head.Metadata.Annotations, YAML: doc, Object: obj}, nil
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown field", "kind: Service\napiVersion: v1\nmetadata: {name: a}\nspec: {portz: []}", `unknown field "spec.portz"`},
		{"field of the wrong case", "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: a}\nspec: {Replicas: 2}", `unknown field "spec.Replicas"`},
		{"duplicate field", "kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\ndata: {A: x}\ndata: {B: y}", `"data" already set`},
		{"wrong type", "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: a}\nspec: {replicas: two}", "cannot unmarshal string"},
		{"old API version", "kind: PodDisruptionBudget\napiVersion: policy/v1beta1\nmetadata: {name: a}", `want "policy/v1"`},
		{"unknown kind", "kind: CronJob\napiVersion: batch/v1\nmetadata: {name: a}", `unexpected kind "CronJob"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(tt.doc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("decode: got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestManifestsDecodeIntoAPITypes(t *testing.T) {
	tests := []struct {
		name string
		vals map[string]any
		want []string // kind/name of every object, hooks included
	}{
		{"default values", values(t), []string{
			"ConfigMap/wx-wxlogin", "Deployment/wx-wxlogin", "Job/wx-wxlogin-migrate", "Pod/wx-wxlogin-test",
			"PodDisruptionBudget/wx-wxlogin", "Service/wx-wxlogin", "ServiceAccount/wx-wxlogin",
		}},
		{"every option on", values(t, allOn(t)), []string{
			"ConfigMap/wx-wxlogin", "Deployment/wx-wxlogin", "HorizontalPodAutoscaler/wx-wxlogin", "Ingress/wx-wxlogin",
			"Job/wx-wxlogin-migrate", "NetworkPolicy/wx-wxlogin", "Pod/wx-wxlogin-test", "PodDisruptionBudget/wx-wxlogin",
			"Secret/wx-wxlogin", "Secret/wx-wxlogin-migrate", "Service/wx-wxlogin", "ServiceAccount/wx-wxlogin", "ServiceMonitor/wx-wxlogin",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRender(t, tt.vals)
			var got []string
			for _, m := range r.manifests {
				got = append(got, m.Kind+"/"+m.Name)
			}
			slices.Sort(got)
			if g, w := strings.Join(got, " "), strings.Join(tt.want, " "); g != w {
				t.Errorf("objects:\n got %s\nwant %s", g, w)
			}
		})
	}
}
