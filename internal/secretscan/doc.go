// Package secretscan looks for the secrets of a test run where they must
// never be: in the logs, HTTP answers and databases the run's tests kept.
//
// Tests record both under one directory (internal/testenv does it when
// WXLOGIN_TEST_ARTIFACTS names one, as scripts/test.sh has it):
//
//	secrets/*.jsonl          the secrets the tests made or were handed, one Record a line
//	secrets/vault-audit*.log the raw audit log of each Vault server of the run (the
//	                         shared test server's and each of a test's own): every
//	                         secret written to Vault
//	logs/, responses/, db/, output/
//	                         the artifacts: wxlogin's logs, the HTTP answers it sent,
//	                         database files and dumps, command output
//
// Once every test has run, TestRunLeaksNoSecret (run by scripts/test.sh
// with WXLOGIN_SECRET_SCAN naming the directory) searches every artifact
// for every secret, as it is and in the encodings a leak takes (URL and
// JSON escaping, base64 and base64url at any alignment, hex), and for keys
// in each of their serializations. A hit names the kind of secret, the
// encoding and the file, never the secret.
package secretscan
