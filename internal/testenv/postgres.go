package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// PostgresCluster is a PostgreSQL server of one test's own: a cluster made
// with the installed initdb in a temporary directory and run with pg_ctl on
// a free loopback port, as scripts/services.sh makes the shared one. A test
// may stop and restart it without disturbing the tests of other packages
// that share the test server. As root, the server runs as user postgres
// (PostgreSQL refuses to run as root). When the test ends, a dump of each
// of its databases is recorded for the secret scan, as PostgresURL's are.
type PostgresCluster struct {
	t   testing.TB
	bin string // PostgreSQL's bin directory
	dir string
	// Port is where the server listens, on 127.0.0.1.
	Port string
}

// NewPostgresCluster makes and starts a cluster, removed when the test
// ends. Without PostgreSQL installed the test is skipped, or fails under
// CI=true.
func NewPostgresCluster(t testing.TB) *PostgresCluster {
	t.Helper()
	bin := postgresBin()
	if bin == "" {
		unavailable(t, "PostgreSQL not available: no initdb and pg_ctl installed (scripts/install-deps.sh installs them)")
	}
	// Not t.TempDir: its parents are private to this user, and the server
	// may run as another.
	dir, err := os.MkdirTemp("", "wxlogin-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &PostgresCluster{t: t, bin: bin, dir: dir, Port: freePort(t)}
	t.Cleanup(func() {
		defer func() {
			_ = c.pgCtl("stop", "-m", "immediate")
			_ = os.RemoveAll(dir)
		}()
		c.dump() // may end the test (Fatal) if the server does not start
	})
	if err := ownByPostgres(dir); err != nil {
		t.Fatal(err)
	}
	out, err := c.asPostgres(filepath.Join(bin, "initdb"), "-D", c.data(), "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--locale=C.UTF-8").CombinedOutput()
	if err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.Start()
	return c
}

// URL is the URL of the cluster's postgres database, as the superuser.
func (c *PostgresCluster) URL() string { return c.databaseURL("postgres") }

func (c *PostgresCluster) databaseURL(name string) string {
	return "postgres://postgres@127.0.0.1:" + c.Port + "/" + name + "?sslmode=disable"
}

// dump records a dump of each database of the cluster, as PostgresURL
// records its database's (see ArtifactsEnv), starting the server first if
// the test left it stopped.
func (c *PostgresCluster) dump() {
	if !Recording() {
		return
	}
	if c.pgCtl("status") != nil {
		c.Start()
	}
	names, err := c.databases()
	if err != nil {
		c.t.Errorf("list the cluster's databases for the secret scan: %v", err)
	}
	for _, name := range names {
		dumpPostgres(c.t, c.databaseURL(name))
	}
}

// Start starts the server and waits until it accepts connections.
func (c *PostgresCluster) Start() {
	c.t.Helper()
	// No durability is needed across a crash of the machine (fsync off), but
	// a stop and start keep every committed transaction.
	opts := "-c listen_addresses=127.0.0.1 -p " + c.Port + " -k " + c.dir + " -c fsync=off -c full_page_writes=off"
	if err := c.pgCtl("start", "-w", "-t", "60", "-l", filepath.Join(c.dir, "server.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		c.t.Fatalf("start PostgreSQL: %v\n%s", err, log)
	}
}

// Stop shuts the server down as an administrator would (pg_ctl's fast
// mode): open sessions are ended, their transactions rolled back, and the
// server refuses connections until Start.
func (c *PostgresCluster) Stop() {
	c.t.Helper()
	if err := c.pgCtl("stop", "-w", "-m", "fast"); err != nil {
		c.t.Fatalf("stop PostgreSQL: %v", err)
	}
}

// Restart stops the server, waits down, and starts it again.
func (c *PostgresCluster) Restart(down time.Duration) {
	c.t.Helper()
	c.Stop()
	time.Sleep(down)
	c.Start()
}

// databases names the cluster's databases but its templates.
func (c *PostgresCluster) databases() ([]string, error) {
	db, err := sql.Open("pgx", c.URL())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

func (c *PostgresCluster) data() string { return filepath.Join(c.dir, "data") }

func (c *PostgresCluster) pgCtl(args ...string) error {
	out, err := c.asPostgres(filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", c.data()}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %s: %w: %s", args[0], err, out)
	}
	return nil
}

// asPostgres is a command run as the cluster's owner.
func (c *PostgresCluster) asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

// ownByPostgres gives dir to user postgres when running as root.
func ownByPostgres(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("PostgreSQL runs as user postgres: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(dir, uid, gid)
}

// postgresBin is the directory of initdb and pg_ctl: pg_ctl's on PATH, else
// the newest of Debian's /usr/lib/postgresql/*/bin; "" when there is none.
func postgresBin() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorVersion(a) - majorVersion(b) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// majorVersion reads 17 from /usr/lib/postgresql/17/bin.
func majorVersion(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// freePort is a loopback port nobody listens on now, below Linux's
// ephemeral range (32768 on): a server stopped and started again binds it
// again, and an outgoing connection could take an ephemeral port meanwhile.
func freePort(t testing.TB) string {
	t.Helper()
	for range 200 {
		port := strconv.Itoa(10000 + rand.IntN(22000))
		ln, err := net.Listen("tcp", "127.0.0.1:"+port)
		if err == nil {
			_ = ln.Close()
			return port
		}
	}
	t.Fatal("no free port below 32768")
	return ""
}
