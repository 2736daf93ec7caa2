package wechat

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestSexDecoding covers the shapes WeChat's documents show for sex: a
// number (current) or a string (old examples).
func TestSexDecoding(t *testing.T) {
	tests := []struct {
		body    string
		want    int
		wantErr bool
	}{
		{`{"sex":1}`, 1, false},
		{`{"sex":"2"}`, 2, false},
		{`{"sex":""}`, 0, false},
		{`{"sex":null}`, 0, false},
		{`{}`, 0, false},
		{`{"sex":"male"}`, 0, true},
		{`{"sex":1.5}`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			var r userInfoResponse
			err := json.Unmarshal([]byte(tt.body), &r)
			if (err != nil) != tt.wantErr || int(r.Sex) != tt.want {
				t.Errorf("sex %d, error %v; want %d, error %v", r.Sex, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSplitScopes(t *testing.T) {
	tests := []struct {
		scope string
		want  []string
	}{
		{"snsapi_base", []string{"snsapi_base"}},
		{"snsapi_userinfo,", []string{"snsapi_userinfo"}},
		{" snsapi_base , snsapi_userinfo ,,", []string{"snsapi_base", "snsapi_userinfo"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := splitScopes(tt.scope); !slices.Equal(got, tt.want) {
			t.Errorf("splitScopes(%q) = %q, want %q", tt.scope, got, tt.want)
		}
	}
}
