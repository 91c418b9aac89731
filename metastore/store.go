package metastore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Store is the metastore. It is safe for concurrent use, and several
// processes may open the same database.
type Store struct {
	runner
	db     *sql.DB
	be     backend
	sealer *Sealer
	// auth caches the auth version (authversion.go).
	auth authCache
}

// Open connects to the metastore at url ("sqlite://<path>", a bare path, or
// "postgres://…"), applies pending migrations, and makes sure the
// install-wide settings exist. sealer encrypts secret values.
func Open(ctx context.Context, url string, sealer *Sealer) (*Store, error) {
	if sealer == nil {
		return nil, errors.New("open metastore: a secret sealer is required")
	}
	be, err := backendFor(url)
	if err != nil {
		return nil, err
	}
	db, err := be.open(ctx)
	if err != nil {
		return nil, err
	}
	s := &Store{runner: runner{db: db, be: be}, db: db, be: be, sealer: sealer}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := s.SCRAMParams(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Backend names the database kind: "sqlite" or "postgres".
func (s *Store) Backend() string { return s.be.name() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close releases the database handle.
func (s *Store) Close() error { return s.db.Close() }

// runner runs statements on a database or a transaction, rebinding
// placeholders for the backend.
type runner struct {
	db interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	be backend
}

// The runner's results mark a lost connection as ErrUnavailable.

func (r runner) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := r.db.ExecContext(ctx, r.be.rebind(q), args...)
	return res, unavailable(err)
}

func (r runner) query(ctx context.Context, q string, args ...any) (*rows, error) {
	rs, err := r.db.QueryContext(ctx, r.be.rebind(q), args...)
	if err != nil {
		return nil, unavailable(err)
	}
	return &rows{rs}, nil
}

func (r runner) queryRow(ctx context.Context, q string, args ...any) row {
	return row{r.db.QueryRowContext(ctx, r.be.rebind(q), args...)}
}

// rows and row are *sql.Rows and *sql.Row whose errors say when the
// connection was lost.
type rows struct{ *sql.Rows }

func (r *rows) Scan(dest ...any) error { return unavailable(r.Rows.Scan(dest...)) }
func (r *rows) Err() error             { return unavailable(r.Rows.Err()) }

type row struct{ *sql.Row }

func (r row) Scan(dest ...any) error { return unavailable(r.Row.Scan(dest...)) }

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(tx *txn) error) error {
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	if err := fn(&txn{runner{db: sqlTx, be: s.be}}); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	return unavailable(sqlTx.Commit())
}

// txn is a runner inside a transaction.
type txn struct{ runner }

// insertErr turns a unique violation into ErrConflict.
func (s *Store) insertErr(what string, err error) error {
	if err == nil {
		return nil
	}
	if s.be.isUniqueViolation(err) {
		return fmt.Errorf("%s: %w", what, ErrConflict)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// mustAffect returns ErrNotFound when res changed no row.
func mustAffect(what string, res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// Times are stored as fixed-width RFC 3339 text in UTC, so that they sort
// as text and read the same in SQLite and PostgreSQL.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func fmtTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Parse(time.RFC3339Nano, s)
	}
	return t, nil
}

// timeCol scans a NOT NULL time column.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	t, err := scanTime(src)
	if err == nil {
		*c.t = t
	}
	return err
}

func scanTime(src any) (time.Time, error) {
	s, err := asString(src)
	if err != nil {
		return time.Time{}, err
	}
	return parseTime(s)
}

// nullTimeCol scans a nullable time column.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	t, err := scanTime(src)
	if err == nil {
		*c.t = &t
	}
	return err
}

// nullStringCol scans a nullable text column into "" for NULL.
type nullStringCol struct{ s *string }

func (c nullStringCol) Scan(src any) error {
	if src == nil {
		*c.s = ""
		return nil
	}
	s, err := asString(src)
	*c.s = s
	return err
}

// jsonCol scans a JSON text column into v.
type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	s, err := asString(src)
	if err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), c.v)
}

// rawJSONCol scans a JSON text column as raw bytes.
type rawJSONCol struct{ v *json.RawMessage }

func (c rawJSONCol) Scan(src any) error {
	s, err := asString(src)
	if err != nil {
		return err
	}
	*c.v = json.RawMessage(s)
	return nil
}

func asString(src any) (string, error) {
	switch v := src.(type) {
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	case time.Time:
		return fmtTime(v), nil
	default:
		return "", fmt.Errorf("unexpected column value of type %T", src)
	}
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only types of this package are marshalled; they always encode.
		panic(fmt.Sprintf("metastore: marshal %T: %v", v, err))
	}
	return string(b)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func rawOrEmptyObject(r json.RawMessage) string {
	if len(r) == 0 {
		return "{}"
	}
	return string(r)
}

// Stats are the metastore's connection pool statistics.
func (s *Store) Stats() sql.DBStats { return s.db.Stats() }
