package testenv

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// PrivateMariaDB is a MariaDB server of one test's own, made with the
// machine's mariadb-install-db and mariadbd in a temporary directory,
// with the binary log on in row format (what change data capture
// needs), that the test may stop and start.
type PrivateMariaDB struct {
	t       testing.TB
	opts    []string
	dir     string
	port    int
	runAs   string
	logFile string
	cmd     *exec.Cmd
	done    chan struct{}
}

// StartPrivateMariaDB makes and starts a private server; it is stopped
// and removed when the test ends. It needs Debian's mariadb-server
// package (scripts/test.sh installs it); without it the test is skipped,
// or fails under HOTDATA_TEST_REQUIRE_SERVICES=1. opts are extra server
// options ("--binlog-row-metadata=FULL", …).
func StartPrivateMariaDB(t testing.TB, opts ...string) *PrivateMariaDB {
	t.Helper()
	for _, bin := range []string{"mariadb-install-db", "mariadbd"} {
		if _, err := lookMariaDB(bin); err != nil {
			unavailable(t, "MariaDB", err)
		}
	}
	root, err := os.MkdirTemp("", "hdtest-maria-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	m := &PrivateMariaDB{t: t, opts: opts, dir: filepath.Join(root, "data"), logFile: filepath.Join(root, "server.log")}
	if os.Geteuid() == 0 {
		// mariadbd runs as root only when told to: as the mysql user
		// where there is one.
		m.runAs = "root"
		if giveTo(root, "mysql") == nil {
			m.runAs = "mysql"
		}
	}
	m.port = loopbackPort(t)
	install, _ := lookMariaDB("mariadb-install-db")
	args := []string{"--no-defaults", "--datadir=" + m.dir, "--auth-root-authentication-method=normal", "--skip-test-db"}
	if m.runAs != "" {
		args = append(args, "--user="+m.runAs)
	}
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		t.Fatalf("private MariaDB: mariadb-install-db: %v\n%s", err, out)
	}
	m.Start()
	t.Cleanup(func() { m.Stop() })
	return m
}

// DSN is the go-sql-driver DSN of database db as root.
func (m *PrivateMariaDB) DSN(db string) string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s", m.port, db)
}

// Port is the server's TCP port.
func (m *PrivateMariaDB) Port() int { return m.port }

// Start starts the server and waits until it accepts connections.
func (m *PrivateMariaDB) Start() {
	m.t.Helper()
	bin, _ := lookMariaDB("mariadbd")
	args := []string{"--no-defaults", "--datadir=" + m.dir, "--port=" + strconv.Itoa(m.port), "--bind-address=127.0.0.1",
		"--socket=" + filepath.Join(filepath.Dir(m.dir), "sock"), "--pid-file=" + filepath.Join(filepath.Dir(m.dir), "pid"),
		"--log-error=" + m.logFile, "--skip-name-resolve", "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
		"--log-bin=" + filepath.Join(m.dir, "binlog"), "--binlog-format=ROW", "--server-id=1", "--sync-binlog=0"}
	if m.runAs != "" {
		args = append(args, "--user="+m.runAs)
	}
	args = append(args, m.opts...)
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		m.t.Fatalf("private MariaDB: %v", err)
	}
	m.cmd, m.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(m.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		db, err := sql.Open("mysql", m.DSN(""))
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			return
		}
		select {
		case <-m.done:
			log, _ := os.ReadFile(m.logFile)
			m.t.Fatalf("private MariaDB exited: %s\n%s", out.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(m.logFile)
			m.t.Fatalf("private MariaDB did not start: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the server (SIGTERM: a clean shutdown) and waits for it.
func (m *PrivateMariaDB) Stop() {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(60 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.done
	}
	m.cmd = nil
}

// lookMariaDB finds a MariaDB program on PATH or in /usr/sbin, /usr/bin.
func lookMariaDB(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/sbin", "/usr/bin"} {
		if _, err := os.Stat(filepath.Join(d, name)); err == nil {
			return filepath.Join(d, name), nil
		}
	}
	return "", errors.New(name + " not found (Debian's mariadb-server package)")
}

// MariaDBExec runs statements on a server, failing the test on error.
func MariaDBExec(t testing.TB, dsn string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("mysql", dsn+"?multiStatements=true")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%.200s: %v", s, err)
		}
	}
}
