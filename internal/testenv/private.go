package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PrivatePostgres is a PostgreSQL server of one test's own, made with the
// machine's initdb and pg_ctl in a temporary directory, that the test may
// stop, start and restart (faults the shared server cannot take).
type PrivatePostgres struct {
	t       testing.TB
	opts    []string // server settings: "-c", "name=value", …
	bin     string
	dir     string
	port    int
	runAs   string // user to run the server as when the test runs as root
	logFile string
}

// StartPrivatePostgres makes and starts a private server; it is stopped
// and removed when the test ends. It needs the server binaries (Debian's
// postgresql package, which scripts/test.sh installs); without them the
// test is skipped, or fails under HOTDATA_TEST_REQUIRE_SERVICES=1.
//
// opts are extra server options ("-c", "wal_level=logical", …).
func StartPrivatePostgres(t testing.TB, opts ...string) *PrivatePostgres {
	t.Helper()
	bin, err := postgresBinDir()
	if err != nil {
		unavailable(t, "PostgreSQL", err)
	}
	root, err := os.MkdirTemp("", "hdtest-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	p := &PrivatePostgres{t: t, opts: opts, bin: bin, dir: filepath.Join(root, "data"), logFile: filepath.Join(root, "server.log")}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		if err := giveTo(root, "postgres"); err != nil {
			t.Fatalf("private PostgreSQL: running as root: %v", err)
		}
		p.runAs = "postgres"
	}
	p.port = loopbackPort(t)
	p.run("initdb", "-D", p.dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")
	p.Start()
	t.Cleanup(func() {
		if p.running() {
			p.ctl("stop", "-m", "immediate")
		}
	})
	return p
}

// URL is the server's URL for database db as the superuser postgres.
func (p *PrivatePostgres) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.port, db)
}

// Start starts the server and waits until it accepts connections.
func (p *PrivatePostgres) Start() {
	p.t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s -c fsync=off", p.port, filepath.Dir(p.dir))
	if len(p.opts) > 0 {
		opts += " " + strings.Join(p.opts, " ")
	}
	p.ctl("start", "-w", "-t", "60", "-l", p.logFile, "-o", opts)
}

// Stop stops the server with mode "fast" (sessions are ended with
// 57P01, as an administrator's restart does) or "immediate" (a crash).
func (p *PrivatePostgres) Stop(mode string) {
	p.t.Helper()
	p.ctl("stop", "-w", "-t", "60", "-m", mode)
}

func (p *PrivatePostgres) running() bool {
	return p.runErr("pg_ctl", "status", "-D", p.dir) == nil
}

func (p *PrivatePostgres) ctl(args ...string) {
	p.t.Helper()
	p.run("pg_ctl", append(append([]string{}, args[0], "-D", p.dir), args[1:]...)...)
}

func (p *PrivatePostgres) run(prog string, args ...string) {
	p.t.Helper()
	if err := p.runErr(prog, args...); err != nil {
		log, _ := os.ReadFile(p.logFile)
		p.t.Fatalf("private PostgreSQL: %s %v: %v\nserver log:\n%s", prog, args, err, log)
	}
}

func (p *PrivatePostgres) runErr(prog string, args ...string) error {
	path := filepath.Join(p.bin, prog)
	var cmd *exec.Cmd
	if p.runAs != "" {
		cmd = exec.Command("runuser", append([]string{"-u", p.runAs, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%w: %s", err, bytes.TrimSpace(out.Bytes()))
		}
		return nil
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		return errors.New("timed out")
	}
}

// giveTo makes a user the owner of dir (a server that runs as that user
// writes in it).
func giveTo(dir, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(dir, uid, gid)
}

// loopbackPort is a TCP port free on 127.0.0.1 now.
func loopbackPort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// postgresBinDir finds the directory of initdb and pg_ctl: pg_config's
// bindir, else the newest /usr/lib/postgresql/*/bin.
func postgresBinDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := string(bytes.TrimSpace(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("no initdb found (pg_config --bindir, /usr/lib/postgresql/*/bin)")
}
