package clienttest

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// sqlValues are the destinations a database/sql user scans alltypes
// into: sql.Null* types, pgtype's sql.Scanners, and pgtype.Map's
// SQLScanner for arrays.
var sqlValues = map[string]func() goValue{
	"id": sqlNull(func(v int32) string { return strconv.Itoa(int(v)) }),
	"b":  sqlNull(strconv.FormatBool),
	"i2": sqlNull(func(v int16) string { return strconv.Itoa(int(v)) }),
	"i4": sqlNull(func(v int32) string { return strconv.Itoa(int(v)) }),
	"i8": sqlNull(func(v int64) string { return strconv.FormatInt(v, 10) }),
	"f4": sqlNull(func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }),
	"f8": sqlNull(func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }),
	"n":  sqlNull(func(v string) string { return v }),
	"t":  sqlNull(func(v string) string { return v }),
	"vc": sqlNull(func(v string) string { return v }),
	"c":  sqlNull(func(v string) string { return v }),
	"bt": sqlNull(hex.EncodeToString),
	"d":  sqlNull(func(v time.Time) string { return v.Format("2006-01-02") }),
	"tm": func() goValue {
		var v pgtype.Time
		return goValue{&v, func() *string {
			if !v.Valid {
				return nil
			}
			return str(clockText(v.Microseconds))
		}}
	},
	"ts":   sqlNull(func(v time.Time) string { return v.Format("2006-01-02 15:04:05.000000") }),
	"tstz": sqlNull(func(v time.Time) string { return v.UTC().Format(time.RFC3339Nano) }),
	"iv": func() goValue {
		var v pgtype.Interval
		return goValue{&v, func() *string {
			if !v.Valid {
				return nil
			}
			return str(intervalText(v.Months, v.Days, v.Microseconds))
		}}
	},
	"u":    sqlNull(func(v string) string { return v }),
	"j":    sqlNull(func(v []byte) string { return string(v) }),
	"jb":   sqlNull(func(v []byte) string { return string(v) }),
	"iarr": sqlArray(func(v []int32) string { return jsonText(v) }),
	"tarr": sqlArray(func(v []*string) string { return jsonText(v) }),
}

func sqlNull[T any](render func(T) string) func() goValue {
	return func() goValue {
		var v sql.Null[T]
		return goValue{&v, func() *string {
			if !v.Valid {
				return nil
			}
			return str(render(v.V))
		}}
	}
}

var sqlTypeMap = pgtype.NewMap()

func sqlArray[T any](render func([]T) string) func() goValue {
	return func() goValue {
		var v []T
		return goValue{sqlTypeMap.SQLScanner(&v), func() *string {
			if v == nil {
				return nil
			}
			return str(render(v))
		}}
	}
}

// sqlReadTypes reads alltypes through database/sql: the whole row into
// any for the column types and the driver's value types, then each
// column on its own into its typed destination.
func sqlReadTypes(ctx context.Context, db *sql.DB) (*typesResult, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, selectAllTypes)
	if err != nil {
		return nil, err
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		rows.Close()
		return nil, err
	}
	res := &typesResult{}
	for _, ct := range cts {
		res.Columns = append(res.Columns, struct {
			Name string `json:"name"`
			Type string `json:"type"`
		}{ct.Name(), ct.DatabaseTypeName()})
	}
	for rows.Next() {
		vals := make([]any, len(cts))
		dsts := make([]any, len(cts))
		for i := range vals {
			dsts[i] = &vals[i]
		}
		if err := rows.Scan(dsts...); err != nil {
			rows.Close()
			return nil, err
		}
		row := map[string]*cell{}
		for i, ct := range cts {
			if vals[i] != nil {
				row[ct.Name()] = &cell{T: fmt.Sprintf("%T", vals[i])}
			} else {
				row[ct.Name()] = nil
			}
		}
		res.Rows = append(res.Rows, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, col := range columns {
		q := "SELECT " + col.name + " FROM alltypes ORDER BY id"
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		for i := 0; rows.Next(); i++ {
			gv := sqlValues[col.name]()
			err := rows.Scan(gv.dst)
			if i >= len(res.Rows) {
				return nil, fmt.Errorf("%s: more rows than the first read", q)
			}
			c := res.Rows[i][col.name]
			switch {
			case err != nil && c != nil:
				c.Err = err.Error()
			case err != nil:
				res.Rows[i][col.name] = &cell{Err: "scanning a NULL: " + err.Error()}
			case c != nil:
				if c.V = gv.render(); c.V == nil {
					c.Err = "scanned NULL from a non-NULL value"
				}
			case gv.render() != nil:
				res.Rows[i][col.name] = &cell{Err: "scanned a value from NULL"}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return res, nil
}

// sqlOpen opens a database/sql pool with the pgx stdlib driver. The
// driver cancels with a CancelRequest when a context ends, so that a
// cancelled query leaves the connection usable.
func sqlOpen(t *testing.T, ci connInfo) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(ci.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, CancelRequestDelay: 0, DeadlineDelay: 10 * time.Second}
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestDatabaseSQL runs database/sql with github.com/jackc/pgx/v5/stdlib.
func TestDatabaseSQL(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var up *typesResult
	t.Run("types", func(t *testing.T) {
		var err error
		up, err = sqlReadTypes(ctx, sqlOpen(t, e.upstream()))
		if err != nil {
			t.Fatalf("upstream reference: %v", err)
		}
		checkTypes(t, "upstream reference", up, nil)
		db := sqlOpen(t, e.hotdata("disable"))
		for _, label := range []string{"first_read", "cached_read"} {
			hd, err := sqlReadTypes(ctx, db)
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			checkRead(t, label, hd, up, nil)
		}
	})
	t.Run("tls", func(t *testing.T) {
		hd, err := sqlReadTypes(ctx, sqlOpen(t, e.hotdata("require")))
		if err != nil {
			t.Fatal(err)
		}
		checkRead(t, "tls", hd, up, nil)
	})
	t.Run("big", func(t *testing.T) {
		db := sqlOpen(t, e.hotdata("disable"))
		rows, err := db.QueryContext(ctx, selectBig)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var s bigSummary
		for rows.Next() {
			var id, v int64
			var sv string
			if err := rows.Scan(&id, &v, &sv); err != nil {
				t.Fatal(err)
			}
			s.Count++
			s.SumID += id
			s.SumV += v
			s.SumLenS += int64(len(sv))
			if id != s.Count || v != 3*id || sv != "row "+strconv.FormatInt(id, 10) {
				s.Bad++
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	t.Run("prepared", func(t *testing.T) {
		db := sqlOpen(t, e.hotdata("disable"))
		q1, err := db.PrepareContext(ctx, preparedQ1)
		if err != nil {
			t.Fatalf("prepare %s: %v", preparedQ1, err)
		}
		defer q1.Close()
		bigQ, err := db.PrepareContext(ctx, preparedBig)
		if err != nil {
			t.Fatalf("prepare %s: %v", preparedBig, err)
		}
		defer bigQ.Close()
		runQ1 := func(i4 int, text string) [][]string {
			rows, err := q1.QueryContext(ctx, i4, text)
			if err != nil {
				t.Fatalf("%s (%d, %q): %v", preparedQ1, i4, text, err)
			}
			defer rows.Close()
			var out [][]string
			for rows.Next() {
				var id int
				var s string
				if err := rows.Scan(&id, &s); err != nil {
					t.Fatal(err)
				}
				out = append(out, []string{strconv.Itoa(id), s})
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		runBig := func(lo, hi int) []string {
			var n, total string
			if err := bigQ.QueryRowContext(ctx, lo, hi).Scan(&n, &total); err != nil {
				t.Fatalf("%s (%d, %d): %v", preparedBig, lo, hi, err)
			}
			return []string{n, total}
		}
		checkPrepared(t, "hotdata", preparedResult{
			Q1a: runQ1(0, `hello, "ünïcode" ✓`), Q1b: runQ1(-2147483648, ""),
			BigA: runBig(10, 19), BigB: runBig(1, 100000),
		})
	})
	t.Run("cancel", func(t *testing.T) {
		db := sqlOpen(t, e.hotdata("disable"))
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil || n != 100000 {
			t.Fatalf("warm-up count = %d, %v", n, err)
		}
		var before, after uint32
		conn.Raw(func(dc any) error { before = dc.(*stdlib.Conn).Conn().PgConn().PID(); return nil })
		// The context's end is how database/sql cancels.
		qctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		began := time.Now()
		err = conn.QueryRowContext(qctx, longQuery).Scan(&n)
		res := cancelResult{ElapsedMS: time.Since(began).Milliseconds()}
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			res.SQLState, res.Message = pe.Code, pe.Message
		} else {
			res.Message = fmt.Sprint(err)
		}
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil {
			res.After = "error: " + err.Error()
		} else {
			res.After = strconv.FormatInt(n, 10)
		}
		conn.Raw(func(dc any) error { after = dc.(*stdlib.Conn).Conn().PgConn().PID(); return nil })
		checkCancel(t, "hotdata", res)
		if before != after {
			t.Errorf("the connection changed after the cancel (backend pid %d, then %d)", before, after)
		}
	})
}
