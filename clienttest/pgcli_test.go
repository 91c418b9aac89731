package clienttest

import (
	"os/exec"
	"testing"
	"time"
)

// TestPgcli runs python/pgcli_client.py: pgcli's completion metadata
// queries and backslash commands through its own code (metadata), and
// the pgcli program itself in a terminal (interactive). What pgcli saw
// through Hotdata is compared with what it saw on the upstream, with
// the fixture's schema ("src.public" in Hotdata) read as "public".
func TestPgcli(t *testing.T) {
	if _, err := exec.LookPath("pgcli"); err != nil {
		missing(t, "pgcli", "pgcli")
	}
	client := pythonClient(t, "pgcli.pgexecute", "pgcli", "pgcli_client.py")
	if _, _, err := runErr(time.Minute, baseEnv(), "", systemPython, "-c", "import pexpect"); err != nil {
		missing(t, "pexpect for "+systemPython, "python3-pexpect")
	}
	e := start(t)
	e.warm()
	for _, mode := range []string{"metadata", "interactive"} {
		t.Run(mode, func(t *testing.T) {
			var up, hd map[string]any
			client(t, e.upstream(), mode+" public", &up)
			client(t, e.hotdata("disable"), mode+" src.public", &hd)
			compareMaps(t, mode, up, hd)
		})
	}
}
