package secrets_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/secrets"
)

func TestSecretNeverPrintsValues(t *testing.T) {
	s := secrets.Secret{Data: map[string]string{"appsecret": secretValue}, Version: 3, CreatedAt: time.Unix(0, 0)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, out := range []string{fmt.Sprintf(verb, s), fmt.Sprintf(verb, &s), fmt.Sprintf(verb, []secrets.Secret{s})} {
			if strings.Contains(out, secretValue) || strings.Contains(out, fmt.Sprintf("%x", secretValue)) {
				t.Errorf("%s shows the value: %s", verb, out)
			}
		}
	}
	if got := fmt.Sprint(s); !strings.Contains(got, "appsecret") || !strings.Contains(got, "Version:3") {
		t.Errorf("Sprint = %s, want the version and the keys", got)
	}
}
