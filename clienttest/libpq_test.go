package clienttest

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
)

// lib/pq (github.com/lib/pq) is the other pure-Go driver: it reads
// results in text, prepares every statement with parameters (unnamed,
// extended protocol), and its db.Begin() sends BEGIN READ WRITE.

// pqValues are the destinations a lib/pq user scans alltypes into.
var pqValues = map[string]func() goValue{
	"id": sqlNull(func(v int64) string { return strconv.FormatInt(v, 10) }),
	"b":  sqlNull(strconv.FormatBool),
	"i2": sqlNull(func(v int64) string { return strconv.FormatInt(v, 10) }),
	"i4": sqlNull(func(v int64) string { return strconv.FormatInt(v, 10) }),
	"i8": sqlNull(func(v int64) string { return strconv.FormatInt(v, 10) }),
	"f4": sqlNull(func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 32) }),
	"f8": sqlNull(func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }),
	"n":  sqlNull(func(v string) string { return v }),
	"t":  sqlNull(func(v string) string { return v }),
	"vc": sqlNull(func(v string) string { return v }),
	"c":  sqlNull(func(v string) string { return v }),
	"bt": sqlNull(hex.EncodeToString),
	"d":  sqlNull(func(v time.Time) string { return v.Format("2006-01-02") }),
	"tm": sqlNull(func(v time.Time) string { return v.Format("15:04:05.000000") }),
	"ts": sqlNull(func(v time.Time) string { return v.Format("2006-01-02 15:04:05.000000") }),
	"tstz": sqlNull(func(v time.Time) string {
		return v.UTC().Format(time.RFC3339Nano)
	}),
	// lib/pq has no interval type: it is PostgreSQL's text.
	"iv":   sqlNull(pqIntervalCanonical),
	"u":    sqlNull(func(v string) string { return v }),
	"j":    sqlNull(func(v string) string { return v }),
	"jb":   sqlNull(func(v string) string { return v }),
	"iarr": pqArray(func() any { return &pq.Int64Array{} }),
	"tarr": pqArray(func() any { return &pq.GenericArray{A: &[]sql.NullString{}} }),
}

// pqArray scans an array with lib/pq's array types.
func pqArray(newDst func() any) func() goValue {
	return func() goValue {
		dst := newDst()
		var valid bool
		return goValue{scanFunc(func(src any) error {
			valid = src != nil
			if !valid {
				return nil
			}
			return dst.(sql.Scanner).Scan(src)
		}), func() *string {
			if !valid {
				return nil
			}
			switch a := dst.(type) {
			case *pq.Int64Array:
				return str(jsonText([]int64(*a)))
			case *pq.GenericArray:
				var out []*string
				for _, s := range *a.A.(*[]sql.NullString) {
					if s.Valid {
						out = append(out, str(s.String))
					} else {
						out = append(out, nil)
					}
				}
				if out == nil {
					out = []*string{}
				}
				return str(jsonText(out))
			}
			return nil
		}}
	}
}

type scanFunc func(src any) error

func (f scanFunc) Scan(src any) error { return f(src) }

// pqIntervalCanonical reads PostgreSQL's interval text (IntervalStyle
// postgres: "1 year 2 mons 3 days 04:05:06.5") as months, days and
// microseconds.
func pqIntervalCanonical(s string) string {
	var months, days int32
	var us int64
	f := strings.Fields(s)
	for i := 0; i < len(f); i++ {
		if strings.Contains(f[i], ":") {
			neg := strings.HasPrefix(f[i], "-")
			parts := strings.Split(strings.TrimLeft(f[i], "+-"), ":")
			h, _ := strconv.ParseInt(parts[0], 10, 64)
			m, _ := strconv.ParseInt(parts[1], 10, 64)
			sec, _ := strconv.ParseFloat(parts[2], 64)
			v := h*3600e6 + m*60e6 + int64(sec*1e6+0.5)
			if neg {
				v = -v
			}
			us += v
			continue
		}
		n, _ := strconv.ParseInt(f[i], 10, 32)
		if i+1 < len(f) {
			i++
			switch {
			case strings.HasPrefix(f[i], "year"):
				months += int32(n) * 12
			case strings.HasPrefix(f[i], "mon"):
				months += int32(n)
			case strings.HasPrefix(f[i], "day"):
				days += int32(n)
			}
		}
	}
	return intervalText(months, days, us)
}

// pqReadTypes reads alltypes with lib/pq: the whole row into any for
// the column types and the driver's value types, then each column into
// its typed destination.
func pqReadTypes(ctx context.Context, db *sql.DB) (*typesResult, error) {
	rows, err := db.QueryContext(ctx, selectAllTypes)
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
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		for i := 0; rows.Next() && i < len(res.Rows); i++ {
			gv := pqValues[col.name]()
			err := rows.Scan(gv.dst)
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

func pqOpen(t *testing.T, ci connInfo) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", ci.URL())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// pqTransactions is what lib/pq's transactions see: db.Begin() (BEGIN
// READ WRITE), BeginTx with an isolation level and READ ONLY, the modes
// SHOW reports inside each, and a write's error.
func pqTransactions(ctx context.Context, db *sql.DB) (map[string]string, error) {
	out := map[string]string{}
	show := func(tx *sql.Tx, prefix string) error {
		for _, s := range []string{"transaction_read_only", "transaction_isolation", "transaction_deferrable"} {
			var v string
			if err := tx.QueryRowContext(ctx, "SHOW "+s).Scan(&v); err != nil {
				return fmt.Errorf("SHOW %s: %w", s, err)
			}
			out[prefix+s] = v
		}
		return nil
	}
	tx, err := db.Begin()
	if err != nil {
		return nil, fmt.Errorf("db.Begin: %w", err)
	}
	if err := show(tx, "begin/"); err != nil {
		return nil, err
	}
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM big WHERE id <= $1", 7).Scan(&n); err != nil {
		return nil, err
	}
	out["begin/count"] = strconv.FormatInt(n, 10)
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	tx, err = db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("BeginTx serializable read only: %w", err)
	}
	if err := show(tx, "serializable_ro/"); err != nil {
		return nil, err
	}
	if err := tx.Rollback(); err != nil {
		return nil, err
	}
	tx, err = db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, fmt.Errorf("BeginTx repeatable read: %w", err)
	}
	if err := show(tx, "repeatable_read/"); err != nil {
		return nil, err
	}
	// An error in the block fails it: the next statement gets 25P02.
	_, err = tx.ExecContext(ctx, "SELECT * FROM no_such_table WHERE id = $1", 1)
	out["error"] = pqCode(err)
	_, err = tx.ExecContext(ctx, "SELECT 1")
	out["after_error"] = pqCode(err)
	if err := tx.Rollback(); err != nil {
		return nil, err
	}
	return out, nil
}

func pqCode(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestLibPQ runs database/sql with github.com/lib/pq.
func TestLibPQ(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var up *typesResult
	t.Run("types", func(t *testing.T) {
		var err error
		if up, err = pqReadTypes(ctx, pqOpen(t, e.upstream())); err != nil {
			t.Fatalf("upstream reference: %v", err)
		}
		checkTypes(t, "upstream reference", up, nil)
		for _, label := range []string{"first_read", "cached_read"} {
			hd, err := pqReadTypes(ctx, pqOpen(t, e.hotdata("disable")))
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			checkRead(t, label, hd, up, nil)
		}
	})
	t.Run("tls", func(t *testing.T) {
		hd, err := pqReadTypes(ctx, pqOpen(t, e.hotdata("require")))
		if err != nil {
			t.Fatal(err)
		}
		checkRead(t, "tls", hd, up, nil)
	})
	t.Run("transactions", func(t *testing.T) {
		want, err := pqTransactions(ctx, pqOpen(t, e.upstream()))
		if err != nil {
			t.Fatalf("upstream reference: %v", err)
		}
		got, err := pqTransactions(ctx, pqOpen(t, e.hotdata("disable")))
		if err != nil {
			t.Fatalf("hotdata: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("transactions:\n  Hotdata:    %v\n  PostgreSQL: %v", got, want)
		}
	})
	t.Run("writes_refused", func(t *testing.T) {
		db := pqOpen(t, e.hotdata("disable"))
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		_, err = tx.ExecContext(ctx, "DELETE FROM alltypes WHERE id = $1", 1)
		if code := pqCode(err); code != "25006" {
			t.Errorf("DELETE in a READ WRITE transaction: %v (SQLSTATE %s), want 25006", err, code)
		}
	})
	t.Run("big", func(t *testing.T) {
		rows, err := pqOpen(t, e.hotdata("disable")).QueryContext(ctx, selectBig)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var s bigSummary
		for rows.Next() {
			var id, v int64
			var text string
			if err := rows.Scan(&id, &v, &text); err != nil {
				t.Fatal(err)
			}
			s.Count++
			s.SumID += id
			s.SumV += v
			s.SumLenS += int64(len(text))
			if id != s.Count || v != 3*id || text != "row "+strconv.FormatInt(id, 10) {
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
		db := pqOpen(t, e.hotdata("disable"))
		var got preparedResult
		q1, err := db.PrepareContext(ctx, preparedQ1)
		if err != nil {
			t.Fatal(err)
		}
		defer q1.Close()
		for _, c := range []struct {
			dst  *[][]string
			args []any
		}{{&got.Q1a, []any{0, `hello, "ünïcode" ✓`}}, {&got.Q1b, []any{-2147483648, ""}}} {
			rows, err := q1.QueryContext(ctx, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id, text string
				if err := rows.Scan(&id, &text); err != nil {
					t.Fatal(err)
				}
				*c.dst = append(*c.dst, []string{id, text})
			}
			rows.Close()
		}
		for _, c := range []struct {
			dst  *[]string
			args []any
		}{{&got.BigA, []any{10, 19}}, {&got.BigB, []any{1, 100000}}} {
			var n, total string
			if err := db.QueryRowContext(ctx, preparedBig, c.args...).Scan(&n, &total); err != nil {
				t.Fatal(err)
			}
			*c.dst = []string{n, total}
		}
		checkPrepared(t, "hotdata", got)
	})
	t.Run("cancel", func(t *testing.T) {
		db := pqOpen(t, e.hotdata("disable"))
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		began := time.Now()
		_, err := db.ExecContext(cctx, longQuery)
		c := cancelResult{SQLState: pqCode(err), ElapsedMS: time.Since(began).Milliseconds()}
		if err != nil {
			c.Message = err.Error()
		}
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM big").Scan(&c.After); err != nil {
			c.After = err.Error()
		}
		checkCancel(t, "lib/pq", c)
	})
}
