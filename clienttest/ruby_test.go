package clienttest

import (
	"path/filepath"
	"testing"
	"time"
)

// TestRubyPG runs ruby/client.rb with Ruby's pg gem (libpq): values
// decoded by PG::BasicTypeMapForResults (which first reads pg_type and
// pg_proc to build its decoders), what ActiveRecord's PostgreSQL adapter
// sends when it connects (SET client_min_messages, standard_conforming_
// strings, intervalstyle = iso_8601, SET SESSION timezone, its type
// queries), big results, prepared statements and cancel.
func TestRubyPG(t *testing.T) {
	ruby := tool(t, "ruby", "ruby")
	if _, _, err := runErr(time.Minute, baseEnv(), "", ruby, "-e", `require "pg"`); err != nil {
		missing(t, "the pg gem for "+ruby, "ruby-pg")
	}
	e := start(t)
	script := filepath.Join(srcDir(t), "ruby", "client.rb")
	dir := t.TempDir()
	client := func(t *testing.T, ci connInfo, mode string, v any) {
		t.Helper()
		env := append(append(baseEnv(), sslClientEnv(dir)...), ci.Env()...)
		decode(t, run(t, 2*time.Minute, env, "", ruby, script, mode), v)
	}
	var up typesResult
	t.Run("types", func(t *testing.T) {
		client(t, e.upstream(), "types", &up)
		checkTypes(t, "upstream reference", &up, nil)
		for _, label := range []string{"first_read", "cached_read"} {
			var hd typesResult
			client(t, e.hotdata("disable"), "types", &hd)
			checkRead(t, label, &hd, &up, nil)
		}
		var tls typesResult
		client(t, e.hotdata("require"), "types", &tls)
		if tls.SSL == nil || !*tls.SSL {
			t.Errorf("sslmode=require connection reports ssl_in_use? %v", tls.SSL)
		}
		checkRead(t, "tls", &tls, &up, nil)
	})
	t.Run("activerecord", func(t *testing.T) {
		var upAR, hdAR map[string]any
		client(t, e.upstream(), "activerecord", &upAR)
		client(t, e.hotdata("disable"), "activerecord", &hdAR)
		compareMaps(t, "activerecord", upAR, hdAR)
	})
	t.Run("big", func(t *testing.T) {
		var s bigSummary
		client(t, e.hotdata("disable"), "big", &s)
		if s != expectedBig() {
			t.Errorf("100,000 rows: read %+v, want %+v", s, expectedBig())
		}
	})
	t.Run("prepared", func(t *testing.T) {
		var p preparedResult
		client(t, e.hotdata("disable"), "prepared", &p)
		checkPrepared(t, "hotdata", p)
	})
	t.Run("cancel", func(t *testing.T) {
		var c cancelResult
		client(t, e.hotdata("disable"), "cancel", &c)
		checkCancel(t, "hotdata", c)
	})
}
