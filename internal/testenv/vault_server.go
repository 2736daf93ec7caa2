package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/wxlogin/wxlogin/internal/secretscan"
)

// VaultBinEnv names the Vault binary (scripts/vault-bin.sh's), set by
// scripts/services.sh for the tests that run a Vault of their own.
const VaultBinEnv = "WXLOGIN_TEST_VAULT_BIN"

// VaultServer is a Vault server of one test's own. It is not a dev server,
// which keeps its data in memory, but a server with integrated storage
// (raft) in a temporary directory, initialised with a single unseal key,
// and a KV v2 engine at "secret". A test can stop the process for real and
// start it again: it comes back sealed, and Unseal unseals it as an operator
// would, with every secret written before. Its root token and unseal key,
// and through its audit log every secret written to it, are recorded for
// the secret scan (see ArtifactsEnv).
type VaultServer struct {
	t   testing.TB
	bin string
	dir string
	// Addr is the server's URL; RootToken its root token, which outlives
	// restarts.
	Addr      string
	RootToken string
	unsealKey string
	// auditLog is the file of its audit log, when artifacts are recorded.
	auditLog string
	proc     *exec.Cmd
	exited   chan struct{}
}

// vaultReady bounds how long a start, unsealing included, may take.
const vaultReady = 60 * time.Second

// NewVaultServer makes and starts a Vault server, stopped when the test
// ends. Without the Vault binary the test is skipped, or fails under
// CI=true.
func NewVaultServer(t testing.TB) *VaultServer {
	t.Helper()
	bin := os.Getenv(VaultBinEnv)
	if bin == "" {
		missing(t, "the Vault binary", VaultBinEnv)
	}
	dir := t.TempDir()
	port, clusterPort := freePort(t), freePort(t)
	v := &VaultServer{t: t, bin: bin, dir: dir, Addr: "http://127.0.0.1:" + port}
	conf := fmt.Sprintf(`storage "raft" {
  path    = %q
  node_id = "wxlogin-test"
  # elections in about a second, not five: a restart is ready sooner
  performance_multiplier = 1
}
listener "tcp" {
  address         = "127.0.0.1:%s"
  cluster_address = "127.0.0.1:%s"
  tls_disable     = true
}
api_addr      = %q
cluster_addr  = "http://127.0.0.1:%s"
disable_mlock = true
`, filepath.Join(dir, "raft"), port, clusterPort, v.Addr, clusterPort)
	if err := os.Mkdir(filepath.Join(dir, "raft"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vault.hcl"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.stop)
	v.launch()
	c := v.client()
	init, err := c.Sys().Init(&api.InitRequest{SecretShares: 1, SecretThreshold: 1})
	if err != nil {
		v.fatal("init: %v", err)
	}
	v.unsealKey, v.RootToken = init.Keys[0], init.RootToken
	RecordSecret(t, secretscan.VaultToken, v.RootToken)
	RecordSecret(t, secretscan.VaultUnsealKey, init.KeysB64[0])
	v.unseal()
	c.SetToken(v.RootToken)
	v.audit(c)
	if err := c.Sys().Mount("secret", &api.MountInput{Type: "kv", Options: map[string]string{"version": "2"}}); err != nil {
		v.fatal("mount kv: %v", err)
	}
	// A new KV v2 mount takes a moment before it accepts writes.
	v.await("the KV engine", func() error {
		_, err := c.KVv2("secret").Put(context.Background(), "testenv/ready", map[string]any{"ok": "1"})
		return err
	})
	return v
}

// audit has the server write, while artifacts are recorded, a raw file
// audit log of its own in the secrets directory, as scripts/services.sh
// has the shared test server write one: from it the secret scan learns
// every secret written to this server and every token used on it. The
// device is kept in the server's storage, so it audits again after a
// restart.
func (v *VaultServer) audit(c *api.Client) {
	v.t.Helper()
	file, err := vaultAuditLog()
	if err != nil {
		v.fatal("audit log: %v", err)
	}
	if file == "" {
		return
	}
	err = c.Sys().EnableAuditWithOptions("file", &api.EnableAuditOptions{
		Type: "file", Options: map[string]string{"file_path": file, "log_raw": "true"},
	})
	if err != nil {
		v.fatal("enable the audit log: %v", err)
	}
	v.auditLog = file
}

// Client is a client of the server with the root token.
func (v *VaultServer) Client() *api.Client {
	c := v.client()
	c.SetToken(v.RootToken)
	return c
}

// Stop stops the server process (SIGTERM, as systemd would) and waits for
// it to exit; the address then refuses connections.
func (v *VaultServer) Stop() {
	v.t.Helper()
	if err := v.proc.Process.Signal(syscall.SIGTERM); err != nil {
		v.fatal("stop: %v", err)
	}
	select {
	case <-v.exited:
	case <-time.After(30 * time.Second):
		_ = v.proc.Process.Kill()
		<-v.exited
		v.fatal("did not exit within 30s of SIGTERM")
	}
}

// Start starts the stopped server again. It answers sealed, as a
// restarted Vault does, until Unseal.
func (v *VaultServer) Start() {
	v.t.Helper()
	v.launch()
}

// Unseal unseals the server with its key and waits until it serves.
func (v *VaultServer) Unseal() {
	v.t.Helper()
	v.unseal()
}

// stop ends the process when the test ends, if it runs.
func (v *VaultServer) stop() {
	if v.proc == nil {
		return
	}
	select {
	case <-v.exited:
	default:
		_ = v.proc.Process.Kill()
		<-v.exited
	}
}

// launch starts the process and waits until it answers.
func (v *VaultServer) launch() {
	v.t.Helper()
	log, err := os.OpenFile(filepath.Join(v.dir, "vault.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		v.t.Fatal(err)
	}
	defer log.Close()
	v.proc = exec.Command(v.bin, "server", "-config="+filepath.Join(v.dir, "vault.hcl"))
	v.proc.Stdout, v.proc.Stderr = log, log
	if err := v.proc.Start(); err != nil {
		v.t.Fatalf("start vault: %v", err)
	}
	exited := make(chan struct{})
	v.exited = exited
	go func(p *exec.Cmd) { _ = p.Wait(); close(exited) }(v.proc)
	c := v.client()
	v.await("the server", func() error {
		select {
		case <-exited:
			return errVaultExited
		default:
		}
		_, err := c.Sys().SealStatus()
		return err
	})
}

// errVaultExited ends an await at once: the process is gone.
var errVaultExited = errors.New("vault exited")

// unseal unseals the server and waits until it is the active node.
func (v *VaultServer) unseal() {
	v.t.Helper()
	c := v.client()
	if _, err := c.Sys().Unseal(v.unsealKey); err != nil {
		v.fatal("unseal: %v", err)
	}
	v.await("the active node", func() error {
		h, err := c.Sys().Health()
		switch {
		case err != nil:
			return err
		case h.Sealed || h.Standby:
			return errors.New("not active yet")
		}
		return nil
	})
}

// await calls ok until it succeeds, for up to vaultReady.
func (v *VaultServer) await(what string, ok func() error) {
	v.t.Helper()
	deadline := time.Now().Add(vaultReady)
	for {
		err := ok()
		switch {
		case err == nil:
			return
		case errors.Is(err, errVaultExited) || time.Now().After(deadline):
			v.fatal("waiting for %s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (v *VaultServer) client() *api.Client {
	cfg := api.DefaultConfig()
	cfg.Address = v.Addr
	cfg.MaxRetries = 0
	cfg.Timeout = 30 * time.Second // init waits for the first raft election
	c, err := api.NewClient(cfg)
	if err != nil {
		v.t.Fatal(err)
	}
	c.ClearToken()
	return c
}

// fatal ends the test with the server's log.
func (v *VaultServer) fatal(format string, args ...any) {
	v.t.Helper()
	log, _ := os.ReadFile(filepath.Join(v.dir, "vault.log"))
	v.t.Fatalf("vault server: "+format+"\n%s", append(args, log)...)
}
