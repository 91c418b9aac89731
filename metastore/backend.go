package metastore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// backend is what differs between the SQL databases the store runs on.
type backend interface {
	name() string
	// open returns the database handle for the URL's location.
	open(ctx context.Context) (*sql.DB, error)
	// rebind turns the store's "?" placeholders into the backend's.
	rebind(query string) string
	// ddl adapts portable DDL (BLOB, BOOLEAN, ...) to the backend.
	ddl(stmt string) string
	// isUniqueViolation reports whether err is a unique-constraint failure.
	isUniqueViolation(err error) bool
	// lockMigrations serializes migrations across processes; the returned
	// func releases the lock.
	lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error)
}

// backendFor picks the backend from a metastore URL: "sqlite://<path>",
// "postgres://..." or "postgresql://...". A bare path means SQLite.
func backendFor(rawURL string) (backend, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return &postgresBackend{url: rawURL}, nil
	case strings.HasPrefix(rawURL, "sqlite://"):
		return &sqliteBackend{path: strings.TrimPrefix(rawURL, "sqlite://")}, nil
	case strings.Contains(rawURL, "://"):
		return nil, fmt.Errorf("metastore URL %q: want sqlite://<path> or postgres://…", redactURL(rawURL))
	case rawURL == "":
		return nil, errors.New("metastore URL is empty")
	default:
		return &sqliteBackend{path: rawURL}, nil
	}
}

// redactURL hides a password in a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparseable URL>"
	}
	return u.Redacted()
}

type sqliteBackend struct{ path string }

func (b *sqliteBackend) name() string { return "sqlite" }

// sqliteConns bounds the SQLite metastore's connections (each holds
// three files: the database, its WAL and shared memory).
const sqliteConns = 32

func (b *sqliteBackend) open(ctx context.Context) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(b.path), 0o700); err != nil {
		return nil, fmt.Errorf("create metastore folder: %w", err)
	}
	// WAL lets a control and a proxy process read while one writes;
	// busy_timeout makes a writer wait for the other instead of failing;
	// _txlock=immediate takes the write lock at BEGIN so that two
	// read-then-write transactions cannot deadlock on lock upgrade.
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+b.path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite metastore %s: %w", b.path, err)
	}
	// Connections are kept, not churned: SQLite defers closing the file
	// of a closed connection while another holds a lock on it (POSIX
	// locks are per process), so churn under load leaks descriptors.
	db.SetMaxOpenConns(sqliteConns)
	db.SetMaxIdleConns(sqliteConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite metastore %s: %w", b.path, err)
	}
	if err := os.Chmod(b.path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("restrict metastore file mode: %w", err)
	}
	return db, nil
}

func (b *sqliteBackend) rebind(q string) string { return q }
func (b *sqliteBackend) ddl(s string) string    { return s }

func (b *sqliteBackend) isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func (b *sqliteBackend) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	// Migrations run in one immediate transaction each, which already
	// excludes other writers.
	return func() {}, nil
}

type postgresBackend struct{ url string }

func (b *postgresBackend) name() string { return "postgres" }

func (b *postgresBackend) open(ctx context.Context) (*sql.DB, error) {
	db, err := sql.Open("pgx", b.url)
	if err != nil {
		return nil, fmt.Errorf("open postgres metastore %s: %w", redactURL(b.url), err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres metastore %s: %w", redactURL(b.url), err)
	}
	return db, nil
}

func (b *postgresBackend) rebind(q string) string {
	var sb strings.Builder
	sb.Grow(len(q) + 8)
	n := 0
	inString := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inString = !inString
		}
		if c == '?' && !inString {
			n++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

func (b *postgresBackend) ddl(s string) string {
	return strings.ReplaceAll(s, " BLOB", " BYTEA")
}

func (b *postgresBackend) isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// migrationLockKey is an arbitrary constant naming the advisory lock.
const migrationLockKey = 0x686f7464 // "hotd"

func (b *postgresBackend) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("take migration lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}, nil
}
