// Command hotdata is the command-line client of a Hotdata server's /v1
// REST API: see docs/cli.md, or run `hotdata --help`.
package main

import (
	"os"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/commands"
)

func main() {
	os.Exit(commands.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
