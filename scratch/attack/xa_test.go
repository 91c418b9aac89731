package attack

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

func showEvents(t *testing.T, h *harness, file string, from uint64) {
	rows, err := h.db.Query(fmt.Sprintf("SHOW BINLOG EVENTS IN '%s' FROM %d", file, from))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var log, typ, info string
		var pos, sid, end uint64
		if err := rows.Scan(&log, &pos, &typ, &sid, &end, &info); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d-%d %s %.120s", pos, end, typ, info)
	}
}

func TestXAHang(t *testing.T) {
	h := newHarness(t)
	h.exec("CREATE TABLE xa (id int primary key, v int)", "INSERT INTO xa VALUES (1,1)")
	f := h.newFollower("hd")
	f.join(tbl{"cdc", "xa", []string{"id"}, nil})
	f.catchUp()
	file, pos := h.master()
	// keep the XA prepared on its own connection
	conn, err := h.db.Conn(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"XA START 'x1'", "INSERT INTO xa VALUES (2,2)", "XA END 'x1'", "XA PREPARE 'x1'"} {
		if _, err := conn.ExecContext(h.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	showEvents(t, h, file, pos)
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	start := time.Now()
	b, err := f.st.Read(ctx, 100*time.Millisecond, 1000)
	t.Logf("Read after XA PREPARE (maxWait 100ms): took %v, err %v, batch %+v", time.Since(start), err, b)
	_ = conn.Raw(func(any) error { return sql.ErrConnDone })
	conn.Close()
}
