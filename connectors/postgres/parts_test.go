package postgres

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestScanParts: a table read in parts by two readers is the table as
// of one snapshot (changes after it are not seen), every row once; the
// table cannot be truncated while the read runs; a later read's prints
// change for the parts that changed and only for them.
func TestScanParts(t *testing.T) {
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db,
		`CREATE TABLE big (id int PRIMARY KEY, label text, v numeric(10,2))`,
		`INSERT INTO big SELECT i, md5(i::text), i / 8.0 FROM generate_series(1, 20000) i`,
		`CREATE TABLE small (id int)`, `INSERT INTO small VALUES (1)`)
	defer SetPartsFrom(SetPartsFrom(8 * 8 * 8192)) // parts of 8 pages
	ctx := context.Background()
	c, err := Open(ctx, configFor(t, db), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	if _, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "small"}); !errors.Is(err, connectors.ErrNotParted) {
		t.Fatalf("a one-page table: %v, want ErrNotParted", err)
	}
	filtered := connectors.ScanRequest{Schema: "public", Table: "big", Filter: []connectors.Predicate{{Column: "id", Op: ">", Value: int64(5)}}}
	if _, err := c.ScanParts(ctx, filtered); !errors.Is(err, connectors.ErrNotParted) {
		t.Fatalf("a filtered read: %v, want ErrNotParted", err)
	}

	read, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "big", BatchRows: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer read.Close()
	list := read.List()
	if len(list) < 3 || !strings.HasSuffix(list[len(list)-1], "-") {
		t.Fatalf("parts %v: want 3 or more, the last open-ended", list)
	}
	prints, err := read.Prints(ctx, list)
	if err != nil || len(prints) != len(list) {
		t.Fatalf("prints: %v, %v", prints, err)
	}
	if got := read.Schema().Field(2).Type.String(); !strings.HasPrefix(got, "decimal") {
		t.Fatalf("v is read as %s", got)
	}

	// After the read's snapshot: not in it.
	testenv.PostgresExec(t, db, `UPDATE big SET label = 'changed' WHERE id = 1`, `INSERT INTO big VALUES (20001, 'new', 0)`, `DELETE FROM big WHERE id = 2`)
	// The read holds the table: no TRUNCATE under it.
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `SET lock_timeout = '300ms'; TRUNCATE big`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "55P03" {
		t.Fatalf("TRUNCATE during the read: %v, want lock_not_available", err)
	}

	readers := make([]connectors.PartReader, 2)
	for i := range readers {
		if readers[i], err = read.Reader(ctx, i, time.Second); err != nil {
			t.Fatal(err)
		}
		defer readers[i].Close()
	}
	labels := map[int32]string{}
	counts := map[string]int64{}
	for i, p := range list {
		sc, err := readers[i%2].Scan(ctx, []string{p})
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for sc.Next() {
			if sc.Part() != p {
				t.Fatalf("a batch of part %s in the scan of %s", sc.Part(), p)
			}
			rec := sc.RecordBatch()
			ids, ls := rec.Column(0).(*array.Int32), rec.Column(1).(*array.String)
			for j := 0; j < int(rec.NumRows()); j++ {
				if _, dup := labels[ids.Value(j)]; dup {
					t.Fatalf("id %d read twice", ids.Value(j))
				}
				labels[ids.Value(j)] = ls.Value(j)
				n++
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		// The print the scan made is the one Prints reads, in the snapshot.
		if got := sc.Print(p); got != prints[p] || !strings.HasPrefix(got, strconv.FormatInt(n, 10)+":") {
			t.Fatalf("part %s: %d rows, print %s; Prints says %s", p, n, got, prints[p])
		}
		counts[p] = n
		sc.Release()
	}
	// Runs of consecutive parts: the whole table (a sequential scan) and
	// the middle ones; batches come part by part, in order.
	for _, run := range [][]string{list, list[1 : len(list)-1]} {
		sc, err := readers[0].Scan(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		var order []string
		for sc.Next() {
			if len(order) == 0 || order[len(order)-1] != sc.Part() {
				order = append(order, sc.Part())
			}
			got[sc.Part()] += sc.RecordBatch().NumRows()
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		if strings.Join(order, ",") != strings.Join(run, ",") {
			t.Fatalf("run %v: batches of parts %v", run, order)
		}
		for _, p := range run {
			if got[p] != counts[p] || sc.Print(p) != prints[p] {
				t.Fatalf("run %v: part %s has %d rows, print %s; alone %d, %s", run, p, got[p], sc.Print(p), counts[p], prints[p])
			}
		}
		sc.Release()
	}
	if _, err := readers[0].Scan(ctx, []string{list[0], list[2]}); err == nil {
		t.Fatal("a run of parts not consecutive was read")
	}
	if len(labels) != 20000 {
		t.Fatalf("%d rows read, want 20000", len(labels))
	}
	for id := int32(1); id <= 20000; id++ {
		sum := md5.Sum([]byte(strconv.Itoa(int(id))))
		if labels[id] != hex.EncodeToString(sum[:]) {
			t.Fatalf("id %d: label %q, want the snapshot's", id, labels[id])
		}
	}
	// A scan stopped early breaks only its reader.
	sc, err := readers[1].Scan(ctx, list[:1])
	if err != nil || !sc.Next() {
		t.Fatalf("scan: %v", err)
	}
	sc.Release()
	if _, err := readers[1].Scan(ctx, list[1:2]); err == nil {
		t.Fatal("a reader whose scan stopped early read on")
	}
	for _, r := range readers {
		r.Close()
	}
	if err := read.Close(); err != nil {
		t.Fatal(err)
	}

	identity := read.Identity()
	again, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "big"})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Identity() != identity {
		t.Fatalf("identity changed by row changes alone: %q, then %q", identity, again.Identity())
	}
	now, err := again.Prints(ctx, again.List())
	if err != nil {
		t.Fatal(err)
	}
	var same, changed []string
	for _, p := range again.List() {
		if prints[p] == now[p] {
			same = append(same, p)
		} else {
			changed = append(changed, p)
		}
	}
	// Ids 1 and 2 live in the first part; the new row and version at the end.
	if len(changed) == 0 || changed[0] != list[0] || len(same) < len(list)-3 {
		t.Fatalf("changed parts %v, same %v", changed, same)
	}
	again.Close()

	// What prints cannot see changes the read's identity.
	for _, ddl := range []string{
		`VACUUM FULL big`,
		`ALTER TABLE big DROP COLUMN v, ADD COLUMN v numeric(10,2) DEFAULT 7`,
		`ALTER TABLE big RENAME COLUMN label TO l2`,
	} {
		before, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "big"})
		if err != nil {
			t.Fatal(err)
		}
		id := before.Identity()
		before.Close()
		testenv.PostgresExec(t, db, ddl)
		after, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "big"})
		if err != nil {
			t.Fatal(err)
		}
		if after.Identity() == id {
			t.Errorf("%s: the read's identity did not change", ddl)
		}
		after.Close()
	}
	// Tables with inheritance children are read whole.
	testenv.PostgresExec(t, db, `CREATE TABLE child () INHERITS (big)`)
	if _, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "big"}); !errors.Is(err, connectors.ErrNotParted) {
		t.Fatalf("a parent table: %v, want ErrNotParted", err)
	}
}

// TestScanPartsEdges: a table whose name holds " FROM " is read in parts;
// a reader that would wait for the table behind a queued ALTER is not
// started (ErrNoReader) instead of stalling the read and the ALTER.
func TestScanPartsEdges(t *testing.T) {
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db,
		`CREATE TABLE "a FROM b" (id int, label text)`,
		`INSERT INTO "a FROM b" SELECT i, md5(i::text) FROM generate_series(1, 20000) i`)
	defer SetPartsFrom(SetPartsFrom(8 * 8 * 8192))
	ctx := context.Background()
	c, err := Open(ctx, configFor(t, db), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	read, err := c.ScanParts(ctx, connectors.ScanRequest{Schema: "public", Table: "a FROM b"})
	if err != nil {
		t.Fatal(err)
	}
	defer read.Close()
	r0, err := read.Reader(ctx, 0, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer r0.Close()
	sc, err := r0.Scan(ctx, read.List())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for sc.Next() {
		n += sc.RecordBatch().NumRows()
	}
	if err := sc.Err(); err != nil || n != 20000 {
		t.Fatalf("%d rows, %v", n, err)
	}
	sc.Release()

	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	altered := make(chan error, 1)
	go func() {
		_, err := conn.Exec(ctx, `ALTER TABLE "a FROM b" ADD COLUMN extra int`)
		altered <- err
	}()
	watch, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close(ctx)
	for waiting := false; !waiting; time.Sleep(20 * time.Millisecond) {
		if err := watch.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	// (Were the lock waited for, this would hang until the test's timeout.)
	if _, err := read.Reader(ctx, 1, time.Second); !errors.Is(err, connectors.ErrNoReader) {
		t.Fatalf("a reader behind a queued ALTER: %v, want ErrNoReader", err)
	}
	r0.Close()
	if err := read.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-altered; err != nil {
		t.Fatalf("the ALTER after the read: %v", err)
	}
}
