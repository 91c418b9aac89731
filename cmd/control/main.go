// Command control is Hotdata's control plane: the REST API, background
// jobs and, unless HOTDATA_PG_ADDR is empty, the Postgres wire endpoint in
// the same process (single-node mode). Run it with:
//
//	go run -tags duckdb_arrow ./cmd/control
//
// Flags mirror the HOTDATA_* environment variables; -h lists them.
package main

import (
	"os"

	"github.com/hotdata-dev/hotdata/cmd/internal/cli"
	"github.com/hotdata-dev/hotdata/internal/server"
)

func main() {
	os.Exit(cli.Main(server.RoleControl, os.Args[1:], os.Stdout, os.Stderr))
}
