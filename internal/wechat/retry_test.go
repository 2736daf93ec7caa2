package wechat

import (
	"context"
	"errors"
	"net"
	"testing"
)

func TestRetryable(t *testing.T) {
	dial := &transportError{path: "/x", err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	read := &transportError{path: "/x", err: &net.OpError{Op: "read", Err: errors.New("connection reset")}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		path string
		err  error
		want bool
	}{
		{"system busy on the exchange", context.Background(), "/sns/oauth2/access_token", &Error{Code: CodeSystemBusy}, true},
		{"refused connection on the exchange", context.Background(), "/sns/oauth2/access_token", dial, true},
		{"reset after sending the exchange", context.Background(), "/sns/oauth2/access_token", read, false},
		{"reset on userinfo", context.Background(), "/sns/userinfo", read, true},
		{"invalid code", context.Background(), "/sns/oauth2/access_token", &Error{Code: CodeInvalidCode}, false},
		{"bad response", context.Background(), "/sns/userinfo", ErrBadResponse, false},
		{"context ended", cancelled, "/sns/userinfo", read, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryable(tt.ctx, tt.path, tt.err); got != tt.want {
				t.Errorf("retryable = %v, want %v", got, tt.want)
			}
		})
	}
}
