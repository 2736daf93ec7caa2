#!/usr/bin/env bash
# Runs every test of wxlogin against real services: installs missing Debian
# packages (scripts/install-deps.sh), starts PostgreSQL, a Vault dev server
# and Redis (scripts/services.sh), runs the checks and the Go tests with the
# race detector (the browser test among them, in headless Chromium), then
# the secret scan over what the tests recorded in out/test-artifacts, and
# stops the services again, whatever happens.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# PostgreSQL, Redis and Chromium from Debian when missing (as root).
scripts/install-deps.sh
# The tests record there the secrets they use and the logs, HTTP answers
# and databases the secret scan searches for them (internal/secretscan);
# the audit logs of the Vault servers go there too, the shared one's
# (scripts/services.sh) and those tests run of their own. Fresh each run.
export WXLOGIN_TEST_ARTIFACTS="$root/out/test-artifacts"
rm -rf "$WXLOGIN_TEST_ARTIFACTS"
mkdir -p "$WXLOGIN_TEST_ARTIFACTS"
svc=$(mktemp -d /tmp/wxlogin-test.XXXXXX)
trap 'scripts/services.sh stop "$svc"' EXIT
scripts/services.sh start "$svc"
# shellcheck disable=SC1091
. "$svc/env"
export WXLOGIN_TEST_POSTGRES_URL WXLOGIN_TEST_VAULT_ADDR WXLOGIN_TEST_VAULT_TOKEN WXLOGIN_TEST_VAULT_BIN WXLOGIN_TEST_REDIS_URL

unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '^tools/vault/'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
# Node tools pinned in package-lock.json (Redocly CLI lints openapi.yaml).
[ -d node_modules ] || npm ci --no-audit --no-fund
# The browser test's playwright-core (e2e/browser/package-lock.json); it
# drives /usr/bin/chromium and downloads no browser.
[ -d e2e/browser/node_modules ] || (cd e2e/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
# The Node OpenID Connect client that cmd/wxlogin's TestOIDCNodeClient runs
# with node --test against a running wxlogin (openid-client, jose).
[ -d e2e/oidc-node/node_modules ] || (cd e2e/oidc-node && npm ci --no-audit --no-fund)
npx --no-install redocly lint openapi.yaml
go vet ./...
# The Helm chart's tests: a module of its own, keeping Helm out of wxlogin's dependencies.
(cd tools/helmcheck && go vet ./... && go test -count=1 ./...)
go test -race -count=1 -timeout 20m "$@" ./...
# The secret scan: every secret of the run searched for in everything the
# run recorded; it prints what it searched and fails on any hit.
WXLOGIN_SECRET_SCAN="$WXLOGIN_TEST_ARTIFACTS" go test -tags secretscan -count=1 -v -run '^TestRunLeaksNoSecret$' ./internal/secretscan
