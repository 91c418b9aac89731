// Command proxy serves Hotdata's Postgres wire endpoint only, sharing the
// metastore (and data directory) of a control plane, so query serving can
// scale apart from it. Run it with:
//
//	go run -tags duckdb_arrow ./cmd/proxy -pg-addr 127.0.0.1:5434
//
// Flags mirror the HOTDATA_* environment variables; -h lists them.
package main

import (
	"os"

	"github.com/hotdata-dev/hotdata/cmd/internal/cli"
	"github.com/hotdata-dev/hotdata/internal/server"
)

func main() {
	os.Exit(cli.Main(server.RoleProxy, os.Args[1:], os.Stdout, os.Stderr))
}
