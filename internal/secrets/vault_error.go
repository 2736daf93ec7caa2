package secrets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/hashicorp/vault/api"
)

// vaultError turns an error from the Vault client into one of the package's
// kinds, prefixed "what:" (e.g. "vault get tenants/acme/…"). Vault's own messages are kept (they name paths
// and policies, never values); anything else the client reports, such as a
// response it could not decode, is summarized rather than quoted, since
// decoding errors may echo the response body.
func vaultError(what string, err error) error {
	var re *api.ResponseError
	var ne net.Error
	switch {
	case errors.Is(err, api.ErrSecretNotFound):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case errors.As(err, &re):
		return responseError(what, re)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", what, context.Canceled)
	case errors.As(err, &ne), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w: vault unreachable: %w", what, ErrUnavailable, err)
	default:
		return fmt.Errorf("%s: unexpected response from vault", what)
	}
}

// responseError maps an HTTP answer from Vault: 404 is not found; a sealed,
// standby, failing or overloaded server (429, 5xx) is unavailable. A body
// that was not Vault's JSON (a proxy's page, say) is left out.
func responseError(what string, re *api.ResponseError) error {
	msg := fmt.Sprintf("%s: vault answered %d", what, re.StatusCode)
	if !re.RawError && len(re.Errors) > 0 {
		msg += ": " + strings.Join(strings.Fields(strings.Join(re.Errors, "; ")), " ")
	}
	switch {
	case re.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: %w", msg, ErrNotFound)
	case re.StatusCode == http.StatusTooManyRequests || re.StatusCode >= http.StatusInternalServerError:
		return fmt.Errorf("%s: %w", msg, ErrUnavailable)
	default:
		return errors.New(msg)
	}
}
