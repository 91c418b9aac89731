package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestTableAndDetail(t *testing.T) {
	var b bytes.Buffer
	items := []map[string]any{
		{"name": "shop", "n": json.Number("12"), "p": map[string]any{"rows": json.Number("5")}, "ok": true},
		{"name": "evil\x1b]0;pwned\x07", "n": nil, "ok": false},
	}
	if err := Items(&b, Cols("Name", "name", "N", "n", "Rows", "p.rows", "OK", "ok"), items); err != nil {
		t.Fatal(err)
	}
	want := "NAME                      N   ROWS  OK\n" +
		"shop                      12  5     true\n" +
		`evil\u001b]0;pwned\u0007` + "            false\n"
	if b.String() != want {
		t.Errorf("table:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	if err := Detail(&b, map[string]any{"b": "x", "aa": json.Number("1.50")}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "aa:  1.50\nb:   x\n" {
		t.Errorf("detail %q", b.String())
	}
}

func TestRowWriters(t *testing.T) {
	cols := []string{"id", "v", "id"}
	rows := [][]any{{json.Number("1"), "a,\"b\"", json.Number("10")}, {json.Number("2"), nil, json.Number("20")}}
	out := map[string]string{}
	for _, f := range []string{"table", "csv", "json", "ndjson"} {
		var b bytes.Buffer
		w, err := NewRowWriter(f, &b)
		if err != nil {
			t.Fatal(err)
		}
		// Two pages, as a paged result comes.
		if err := w.Begin(cols); err != nil {
			t.Fatal(err)
		}
		if err := w.Rows(rows[:1]); err != nil {
			t.Fatal(err)
		}
		if err := w.Rows(rows[1:]); err != nil {
			t.Fatal(err)
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	if want := "id,v,id\n1,\"a,\"\"b\"\"\",10\n2,,20\n"; out["csv"] != want {
		t.Errorf("csv %q want %q", out["csv"], want)
	}
	var arr []map[string]any
	if err := json.Unmarshal([]byte(out["json"]), &arr); err != nil {
		t.Fatalf("json %q: %v", out["json"], err)
	}
	if len(arr) != 2 || arr[0]["v"] != `a,"b"` || arr[0]["id_2"] != 10.0 || arr[1]["v"] != nil {
		t.Errorf("json %v", arr)
	}
	lines := strings.Split(strings.TrimSpace(out["ndjson"]), "\n")
	if len(lines) != 2 || lines[1] != `{"id":2,"v":null,"id_2":20}` {
		t.Errorf("ndjson %q", out["ndjson"])
	}
	if want := "id  v      id\n1   a,\"b\"  10\n2          20\n(2 rows)\n"; out["table"] != want {
		t.Errorf("table %q want %q", out["table"], want)
	}
	var dup bytes.Buffer
	w, _ := NewRowWriter("ndjson", &dup)
	_ = w.Begin([]string{"a", "a", "a_2"})
	_ = w.Rows([][]any{{json.Number("1"), json.Number("2"), json.Number("3")}})
	if dup.String() != `{"a":1,"a_3":2,"a_2":3}`+"\n" {
		t.Errorf("a repeated name that meets a real column: %q", dup.String())
	}
	var empty bytes.Buffer
	w, _ = NewRowWriter("json", &empty)
	_ = w.Begin([]string{"x"})
	_ = w.End()
	if empty.String() != "[]\n" {
		t.Errorf("empty json %q", empty.String())
	}
}
