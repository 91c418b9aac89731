package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/ory/dockertest/v3"
)

// RequireServices reports whether a missing service must fail the test.
func RequireServices() bool { return os.Getenv("HOTDATA_TEST_REQUIRE_SERVICES") == "1" }

func unavailable(t testing.TB, what string, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s is not available: %v (set %s, run a local server, or run scripts/test.sh which installs one)", what, err, envName(what))
	if RequireServices() {
		t.Fatal(msg + "; HOTDATA_TEST_REQUIRE_SERVICES=1 forbids skipping")
	}
	t.Skip(msg)
}

func envName(what string) string {
	if what == "PostgreSQL" {
		return "HOTDATA_TEST_POSTGRES_URL"
	}
	return "HOTDATA_TEST_MYSQL_URL"
}

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

type server struct {
	once sync.Once
	url  string
	err  error
}

var (
	pgServer    server
	mysqlServer server
)

// dockerPool is shared by both services; containers live until the test
// binary exits (they are started with auto-remove and a hard expiry).
var (
	dockerOnce sync.Once
	dockerPool *dockertest.Pool
	dockerErr  error
)

func docker() (*dockertest.Pool, error) {
	dockerOnce.Do(func() {
		pool, err := dockertest.NewPool("")
		if err == nil {
			err = pool.Client.Ping()
		}
		if err != nil {
			dockerErr = fmt.Errorf("no Docker engine: %w", err)
			return
		}
		pool.MaxWait = 2 * time.Minute
		dockerPool = pool
	})
	return dockerPool, dockerErr
}

// PostgresServer returns an admin URL of a PostgreSQL server.
func PostgresServer(t testing.TB) string {
	t.Helper()
	pgServer.once.Do(func() { pgServer.url, pgServer.err = findPostgres() })
	if pgServer.err != nil {
		unavailable(t, "PostgreSQL", pgServer.err)
	}
	return pgServer.url
}

func pingPostgres(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

func findPostgres() (string, error) {
	if u := os.Getenv("HOTDATA_TEST_POSTGRES_URL"); u != "" {
		if err := pingPostgres(u); err != nil {
			return "", fmt.Errorf("HOTDATA_TEST_POSTGRES_URL does not answer: %w", err)
		}
		return u, nil
	}
	local := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	localErr := pingPostgres(local)
	if localErr == nil {
		return local, nil
	}
	pool, err := docker()
	if err != nil {
		return "", fmt.Errorf("local server: %v; %w", localErr, err)
	}
	res, err := pool.Run("postgres", "16", []string{"POSTGRES_HOST_AUTH_METHOD=trust"})
	if err != nil {
		return "", fmt.Errorf("start postgres container: %w", err)
	}
	_ = res.Expire(1800)
	u := fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", res.GetHostPort("5432/tcp"))
	if err := pool.Retry(func() error { return pingPostgres(u) }); err != nil {
		return "", fmt.Errorf("postgres container never answered: %w", err)
	}
	return u, nil
}

// Postgres creates a database for this test and returns its URL. The
// database is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := PostgresServer(t)
	name := randomName("hdtest_")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse PostgreSQL URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresExec runs statements against a test database URL.
func PostgresExec(t testing.TB, dbURL string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("exec %q: %v", firstLine(s), err)
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// MySQLServer returns a go-sql-driver DSN of a MariaDB/MySQL server with
// no database selected.
func MySQLServer(t testing.TB) string {
	t.Helper()
	mysqlServer.once.Do(func() { mysqlServer.url, mysqlServer.err = findMySQL() })
	if mysqlServer.err != nil {
		unavailable(t, "MariaDB", mysqlServer.err)
	}
	return mysqlServer.url
}

func pingMySQL(dsn string) error {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

func findMySQL() (string, error) {
	if u := os.Getenv("HOTDATA_TEST_MYSQL_URL"); u != "" {
		if err := pingMySQL(u); err != nil {
			return "", fmt.Errorf("HOTDATA_TEST_MYSQL_URL does not answer: %w", err)
		}
		return u, nil
	}
	local := "root@tcp(127.0.0.1:3306)/"
	localErr := pingMySQL(local)
	if localErr == nil {
		return local, nil
	}
	pool, err := docker()
	if err != nil {
		return "", fmt.Errorf("local server: %v; %w", localErr, err)
	}
	res, err := pool.Run("mariadb", "11", []string{"MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1"})
	if err != nil {
		return "", fmt.Errorf("start mariadb container: %w", err)
	}
	_ = res.Expire(1800)
	dsn := fmt.Sprintf("root@tcp(%s)/", res.GetHostPort("3306/tcp"))
	if err := pool.Retry(func() error { return pingMySQL(dsn) }); err != nil {
		return "", fmt.Errorf("mariadb container never answered: %w", err)
	}
	return dsn, nil
}

// MySQL creates a database for this test and returns a DSN that selects
// it. The database is dropped when the test ends.
func MySQL(t testing.TB) string {
	t.Helper()
	admin := MySQLServer(t)
	name := randomName("hdtest_")
	db, err := sql.Open("mysql", admin)
	if err != nil {
		t.Fatalf("connect to MariaDB: %v", err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", admin)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	cfg, err := mysql.ParseDSN(admin)
	if err != nil {
		t.Fatalf("parse MariaDB DSN: %v", err)
	}
	cfg.DBName = name
	return cfg.FormatDSN()
}
