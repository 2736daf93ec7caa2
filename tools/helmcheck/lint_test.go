package helmcheck

import "testing"

func TestLintStrict(t *testing.T) {
	tests := []struct {
		name string
		vals map[string]any
	}{
		{"default values", values(t)},
		{"every option on", values(t, allOn(t))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, msg := range lint(tt.vals) {
				t.Error(msg)
			}
		})
	}
}

func TestLintReportsBadValues(t *testing.T) {
	if msgs := lint(values(t, "replicaCount: -1")); len(msgs) == 0 {
		t.Fatal("helm lint --strict accepted replicaCount -1")
	}
}
