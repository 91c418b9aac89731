package clienttest

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// goValue is a Go destination for one column of alltypes and how to
// print what was scanned into it in canonical form (nil: NULL).
type goValue struct {
	dst    any
	render func() *string
}

func str(s string) *string { return &s }

func ptr[T any](render func(T) string) func() goValue {
	return func() goValue {
		var v *T
		return goValue{&v, func() *string {
			if v == nil {
				return nil
			}
			return str(render(*v))
		}}
	}
}

// anyJSON scans into an any, as pgx users do for JSON of no fixed shape
// (the caller never scans a NULL).
func anyJSON() goValue {
	var v any
	return goValue{&v, func() *string { return str(jsonText(v)) }}
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "json.Marshal: " + err.Error()
	}
	return string(b)
}

func numericText(n pgtype.Numeric) string {
	switch {
	case n.NaN:
		return "NaN"
	case n.InfinityModifier == pgtype.Infinity:
		return "Infinity"
	case n.InfinityModifier == pgtype.NegativeInfinity:
		return "-Infinity"
	}
	r := new(big.Rat).SetInt(n.Int)
	scale := 0
	if n.Exp != 0 {
		e := n.Exp
		if e < 0 {
			e = -e
			scale = int(e)
		}
		p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
		if n.Exp < 0 {
			r.Quo(r, p)
		} else {
			r.Mul(r, p)
		}
	}
	return r.FloatString(scale)
}

func clockText(us int64) string {
	return fmt.Sprintf("%02d:%02d:%02d.%06d", us/3_600_000_000, us/60_000_000%60, us/1_000_000%60, us%1_000_000)
}

func intervalText(months, days int32, us int64) string {
	return fmt.Sprintf("m=%d d=%d us=%d", months, days, us)
}

func uuidText(b [16]byte) string {
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// pgxValues are the Go types a pgx user scans alltypes into.
var pgxValues = map[string]func() goValue{
	"id": ptr(func(v int32) string { return strconv.Itoa(int(v)) }),
	"b":  ptr(strconv.FormatBool),
	"i2": ptr(func(v int16) string { return strconv.Itoa(int(v)) }),
	"i4": ptr(func(v int32) string { return strconv.Itoa(int(v)) }),
	"i8": ptr(func(v int64) string { return strconv.FormatInt(v, 10) }),
	"f4": ptr(func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }),
	"f8": ptr(func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }),
	"n":  ptr(numericText),
	"t":  ptr(func(v string) string { return v }),
	"vc": ptr(func(v string) string { return v }),
	"c":  ptr(func(v string) string { return v }),
	"bt": ptr(hex.EncodeToString),
	"d":  ptr(func(v time.Time) string { return v.Format("2006-01-02") }),
	"tm": ptr(func(v pgtype.Time) string { return clockText(v.Microseconds) }),
	"ts": ptr(func(v time.Time) string { return v.Format("2006-01-02 15:04:05.000000") }),
	"tstz": ptr(func(v time.Time) string {
		return v.UTC().Format(time.RFC3339Nano)
	}),
	"iv":   ptr(func(v pgtype.Interval) string { return intervalText(v.Months, v.Days, v.Microseconds) }),
	"u":    ptr(func(v pgtype.UUID) string { return uuidText(v.Bytes) }),
	"j":    anyJSON,
	"jb":   anyJSON,
	"iarr": ptr(func(v []int32) string { return jsonText(v) }),
	"tarr": ptr(func(v []*string) string { return jsonText(v) }),
}

// pgxReadTypes reads alltypes with pgx, scanning each column on its own
// so that one column pgx cannot scan does not hide the others.
func pgxReadTypes(ctx context.Context, conn *pgx.Conn) (*typesResult, error) {
	rows, err := conn.Query(ctx, selectAllTypes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &typesResult{}
	fds := rows.FieldDescriptions()
	for _, fd := range fds {
		res.Columns = append(res.Columns, struct {
			Name string `json:"name"`
			Type string `json:"type"`
		}{fd.Name, typeName(conn, fd.DataTypeOID)})
	}
	m := conn.TypeMap()
	for rows.Next() {
		raw := rows.RawValues()
		row := map[string]*cell{}
		for i, fd := range fds {
			mk, ok := pgxValues[fd.Name]
			if !ok {
				return nil, fmt.Errorf("unexpected column %q", fd.Name)
			}
			if raw[i] == nil {
				row[fd.Name] = nil
				continue
			}
			// The Go type pgx decodes this column to on its own.
			var native any
			c := &cell{}
			if err := m.Scan(fd.DataTypeOID, fd.Format, raw[i], &native); err != nil {
				c.T = "scan any: " + err.Error()
			} else {
				c.T = fmt.Sprintf("%T", native)
			}
			gv := mk()
			if err := m.Scan(fd.DataTypeOID, fd.Format, raw[i], gv.dst); err != nil {
				c.Err = err.Error()
			} else if c.V = gv.render(); c.V == nil {
				c.Err = "scanned NULL from a non-NULL value"
			}
			row[fd.Name] = c
		}
		res.Rows = append(res.Rows, row)
	}
	return res, rows.Err()
}

func typeName(conn *pgx.Conn, oid uint32) string {
	if t, ok := conn.TypeMap().TypeForOID(oid); ok {
		return fmt.Sprintf("%s (%d)", t.Name, oid)
	}
	return strconv.FormatUint(uint64(oid), 10)
}

func pgxConnect(t *testing.T, ci connInfo, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(ci.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect %s: %v", ci.Host+":"+ci.Port, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestPgx runs pgx v5 with the simple and the extended query protocol.
func TestPgx(t *testing.T) {
	e := start(t)
	// The simple protocol reads first (its first read syncs alltypes);
	// the extended one (pgx's default) reads the cache.
	for _, mode := range []struct {
		name  string
		mode  pgx.QueryExecMode
		reads []string
	}{
		{"simple", pgx.QueryExecModeSimpleProtocol, []string{"first_read", "cached_read"}},
		{"extended", pgx.QueryExecModeCacheStatement, []string{"cached_read"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			pgxSuite(t, e, mode.mode, mode.reads)
		})
	}
	t.Run("column_names", func(t *testing.T) { pgxColumnNames(t, e) })
	t.Run("keyword_columns", func(t *testing.T) { pgxKeywordColumns(t, e) })
}

func pgxSuite(t *testing.T, e *env, mode pgx.QueryExecMode, reads []string) {
	ctx := context.Background()
	var up *typesResult
	t.Run("types", func(t *testing.T) {
		var err error
		up, err = pgxReadTypes(ctx, pgxConnect(t, e.upstream(), mode))
		if err != nil {
			t.Fatalf("upstream reference: %v", err)
		}
		checkTypes(t, "upstream reference", up, nil)
		conn := pgxConnect(t, e.hotdata("disable"), mode)
		for _, label := range reads {
			hd, err := pgxReadTypes(ctx, conn)
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			checkRead(t, label, hd, up, nil)
		}
	})
	t.Run("tls", func(t *testing.T) {
		conn := pgxConnect(t, e.hotdata("require"), mode)
		if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
			t.Fatalf("sslmode=require connection is a %T, not TLS", conn.PgConn().Conn())
		}
		hd, err := pgxReadTypes(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		checkRead(t, "tls", hd, up, nil)
	})
	t.Run("big", func(t *testing.T) {
		conn := pgxConnect(t, e.hotdata("disable"), mode)
		rows, err := conn.Query(ctx, selectBig)
		if err != nil {
			t.Fatal(err)
		}
		var s bigSummary
		var id int32
		var v int64
		var sv string
		_, err = pgx.ForEachRow(rows, []any{&id, &v, &sv}, func() error {
			s.Count++
			s.SumID += int64(id)
			s.SumV += v
			s.SumLenS += int64(len(sv))
			if int64(id) != s.Count || v != 3*int64(id) || sv != "row "+strconv.Itoa(int(id)) {
				s.Bad++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	t.Run("prepared", func(t *testing.T) {
		// In the simple protocol pgx puts the parameters into the
		// statement text itself; in the extended one it prepares the
		// statement once (cached) and binds them.
		conn := pgxConnect(t, e.hotdata("disable"), mode)
		var got preparedResult
		q1 := func(i4 int32, text string) [][]string {
			rows, err := conn.Query(ctx, preparedQ1, i4, text)
			if err != nil {
				t.Fatalf("%s (%d, %q): %v", preparedQ1, i4, text, err)
			}
			var out [][]string
			var id int32
			var s string
			_, err = pgx.ForEachRow(rows, []any{&id, &s}, func() error {
				out = append(out, []string{strconv.Itoa(int(id)), s})
				return nil
			})
			if err != nil {
				t.Fatalf("%s (%d, %q): %v", preparedQ1, i4, text, err)
			}
			return out
		}
		bigQ := func(lo, hi int64) []string {
			var n int64
			var total pgtype.Numeric
			if err := conn.QueryRow(ctx, preparedBig, lo, hi).Scan(&n, &total); err != nil {
				t.Fatalf("%s (%d, %d): %v", preparedBig, lo, hi, err)
			}
			return []string{strconv.FormatInt(n, 10), numericText(total)}
		}
		got.Q1a = q1(0, `hello, "ünïcode" ✓`)
		got.Q1b = q1(-2147483648, "")
		got.BigA = bigQ(10, 19)
		got.BigB = bigQ(1, 100000)
		checkPrepared(t, "hotdata", got)
	})
	t.Run("cancel", func(t *testing.T) {
		conn := pgxConnect(t, e.hotdata("disable"), mode)
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil || n != 100000 {
			t.Fatalf("warm-up count = %d, %v", n, err)
		}
		sent := make(chan error, 1)
		go func() {
			time.Sleep(200 * time.Millisecond)
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			sent <- conn.PgConn().CancelRequest(cctx)
		}()
		qctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		began := time.Now()
		err := conn.QueryRow(qctx, longQuery).Scan(&n)
		res := cancelResult{ElapsedMS: time.Since(began).Milliseconds()}
		if err := <-sent; err != nil {
			t.Errorf("CancelRequest: %v", err)
		}
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			res.SQLState, res.Message = pe.Code, pe.Message
		} else {
			res.Message = fmt.Sprint(err)
		}
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil {
			res.After = "error: " + err.Error()
		} else {
			res.After = strconv.FormatInt(n, 10)
		}
		checkCancel(t, "hotdata", res)
	})
}

// pgxKeywordColumns reads columns named by keywords that PostgreSQL
// accepts as column names, bare and quoted.
func pgxKeywordColumns(t *testing.T, e *env) {
	ctx := context.Background()
	for _, target := range []struct {
		label string
		ci    connInfo
	}{{"upstream reference", e.upstream()}, {"hotdata", e.hotdata("disable")}} {
		conn := pgxConnect(t, target.ci, pgx.QueryExecModeSimpleProtocol)
		for _, q := range []string{
			`SELECT id, by, at, value, year FROM keywords`,
			`SELECT id, "by", "at", "value", "year" FROM keywords`,
		} {
			var id, at, year int32
			var by, value string
			if err := conn.QueryRow(ctx, q).Scan(&id, &by, &at, &value, &year); err != nil {
				t.Errorf("%s: %s: %v", target.label, q, err)
				continue
			}
			if id != 1 || by != "x" || at != 2 || value != "y" || year != 3 {
				t.Errorf("%s: %s: read %d %q %d %q %d, want 1 \"x\" 2 \"y\" 3", target.label, q, id, by, at, value, year)
			}
		}
	}
}

// pgxColumnNames: the names of computed result columns are PostgreSQL's
// (clients read results by column name).
func pgxColumnNames(t *testing.T, e *env) {
	ctx := context.Background()
	const q = `SELECT count(*), sum(v), max(s), v * 2, 1, id::text, lower(s), count(*) AS n FROM big WHERE id = 7 GROUP BY v, id, s`
	names := func(conn *pgx.Conn) []string {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for _, fd := range rows.FieldDescriptions() {
			out = append(out, fd.Name)
		}
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := names(pgxConnect(t, e.upstream(), pgx.QueryExecModeSimpleProtocol))
	got := names(pgxConnect(t, e.hotdata("disable"), pgx.QueryExecModeSimpleProtocol))
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("column names of %s:\n got %q\nwant %q (PostgreSQL)", q, got, want)
	}
}
