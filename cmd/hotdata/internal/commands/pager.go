package commands

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/output"
)

// pagerCommand is the pager to show a long table through:
// $HOTDATA_PAGER, else $PAGER, else less; "" or "cat" means none.
func pagerCommand() string {
	for _, v := range []string{"HOTDATA_PAGER", "PAGER"} {
		if p, ok := os.LookupEnv(v); ok {
			if p == "cat" {
				return ""
			}
			return p
		}
	}
	if _, err := exec.LookPath("less"); err == nil {
		return "less"
	}
	return ""
}

// withPager runs write with stdout piped through the pager when stdout
// is a terminal (as psql and gh do); less gets LESS=FRX unless set, so a
// table that fits on the screen is printed and less leaves at once. A
// pager the user quits early is not an error.
func (a *app) withPager(write func() error) error {
	pager := pagerCommand()
	if a.noPager || pager == "" || !output.IsTerminal(a.stdout) {
		return write()
	}
	cmd := exec.Command("sh", "-c", pager)
	cmd.Stdout, cmd.Stderr = a.stdout, a.stderr
	cmd.Env = os.Environ()
	if _, ok := os.LookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	pipe, err := cmd.StdinPipe()
	if err != nil {
		return write()
	}
	if err := cmd.Start(); err != nil {
		return write()
	}
	out := a.stdout
	a.stdout = pipe
	werr := write()
	a.stdout = out
	_ = pipe.Close()
	_ = cmd.Wait()
	if errors.Is(werr, syscall.EPIPE) || errors.Is(werr, io.ErrClosedPipe) {
		return nil // the user quit the pager
	}
	return werr
}
