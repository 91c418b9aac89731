package attack

import (
	"maps"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
)

func TestResume(t *testing.T) {
	h := newHarness(t)
	h.exec("CREATE TABLE r (id int primary key, v int)", "CREATE TABLE r2 (id int primary key, v int)",
		"INSERT INTO r VALUES (1,1),(2,2)", "INSERT INTO r2 VALUES (1,1)")
	f1 := h.newFollower("hd")
	v1 := f1.join(tbl{"cdc", "r", []string{"id"}, nil})
	v2 := f1.join(tbl{"cdc", "r2", []string{"id"}, nil})
	h.exec("INSERT INTO r VALUES (3,3)", "INSERT INTO r2 VALUES (2,2)")
	f1.catchUp()
	p1 := f1.position
	rows1 := maps.Clone(v1.rows)
	h.exec("UPDATE r SET v = 10 WHERE id = 1", "FLUSH BINARY LOGS", "INSERT INTO r2 VALUES (3,3)")
	f1.catchUp()
	p2 := f1.position
	rows2 := maps.Clone(v2.rows)
	lastSeq := f1.lastSeq
	h.exec("DELETE FROM r WHERE id = 2", "UPDATE r2 SET v = 7", "FLUSH BINARY LOGS", "INSERT INTO r VALUES (4,4)", "UPDATE r SET id = 40 WHERE id = 4")
	f1.st.Close()
	t.Logf("r resumes at %s, r2 at %s", p1, p2)

	f2 := h.newFollower("hd")
	f2.lastSeq = lastSeq
	for _, x := range []struct {
		v    *view
		pos  string
		rows map[string][]string
	}{{v1, p1, rows1}, {v2, p2, rows2}} {
		ref := connectors.StreamTable{Schema: "cdc", Table: x.v.t.table, Key: []string{"id"}}
		resumable, err := f2.st.Track(h.ctx, ref)
		if err != nil || !resumable {
			t.Fatalf("track: %v %v", resumable, err)
		}
		ref.Fields = x.v.fields
		if err := f2.st.Activate(ref, x.pos); err != nil {
			t.Fatal(err)
		}
		nv := *x.v
		nv.rows = x.rows
		f2.tables["cdc."+x.v.t.table] = &nv
	}
	f2.catchUp()
	for _, v := range f2.tables {
		if d := f2.check(v); d != "" {
			t.Errorf("%s differs:\n%s", v.t.table, d)
		}
	}
	// A position from a reset log must not resume.
	h.exec("RESET MASTER", "INSERT INTO r VALUES (5,5)", "INSERT INTO r VALUES (6,6)", "INSERT INTO r VALUES (7,7)")
	f3 := h.newFollower("hd")
	ref := connectors.StreamTable{Schema: "cdc", Table: "r", Key: []string{"id"}, Fields: v1.fields}
	f3.st.Track(h.ctx, ref)
	err := f3.st.Activate(ref, p1)
	t.Logf("activate at %s after RESET MASTER: %v", p1, err)
	if err == nil {
		t.Errorf("resumed from a reset log")
	}
}
