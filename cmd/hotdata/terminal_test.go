package main_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// pane is a shell in a detached tmux session: what a person at a
// terminal types and sees.
type pane struct {
	t      *testing.T
	socket string
	n      int
}

func newPane(t *testing.T, env []string) *pane {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		if testenv.RequireServices() {
			t.Fatal("tmux is not installed (scripts/test.sh installs it)")
		}
		t.Skip("tmux is not installed")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	p := &pane{t: t, socket: "hdcli-" + hex.EncodeToString(b)}
	args := []string{"-L", p.socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "60"}
	for _, kv := range env {
		args = append(args, "-e", kv)
	}
	args = append(args, "bash", "--noprofile", "--norc")
	cmd := exec.Command(tmux, args...)
	cmd.Env = append(os.Environ(), env...) // the tmux server's own environment too
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	p.keys("PS1='$ '; clear", "Enter")
	return p
}

func (p *pane) keys(keys ...string) {
	p.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"-L", p.socket, "send-keys", "-t", "0"}, keys...)...).CombinedOutput(); err != nil {
		p.t.Fatalf("tmux send-keys: %v %s", err, out)
	}
}

// screen is the pane's text with its scrollback.
func (p *pane) screen() string {
	out, err := exec.Command("tmux", "-L", p.socket, "capture-pane", "-p", "-J", "-S", "-500", "-t", "0").Output()
	if err != nil {
		p.t.Fatalf("tmux capture-pane: %v", err)
	}
	return string(out)
}

// waitFor waits until the screen matches re and returns the screen.
func (p *pane) waitFor(re string) string {
	p.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := p.screen()
		if rx.MatchString(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the terminal never showed %q:\n%s", re, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// start clears the pane and its scrollback, waits until the screen is
// clean (so that nothing of an earlier command can match what the next
// wait looks for), then types cmd.
func (p *pane) start(cmd string) {
	p.t.Helper()
	p.n++
	ready := fmt.Sprintf("@@ready-%d", p.n)
	p.keys("clear; tmux -L "+p.socket+" clear-history; echo "+ready, "Enter")
	p.waitFor(`(?m)^` + ready + `$`)
	p.keys(cmd, "Enter")
}

// run types a command and waits for it to end; it returns what the
// command printed (from its line to the exit-status marker) and the exit
// status.
func (p *pane) run(cmd string) (string, string) {
	p.t.Helper()
	p.n++
	mark := fmt.Sprintf("@@%d-%d", p.n, time.Now().UnixNano())
	p.keys("clear; tmux -L "+p.socket+" clear-history; "+cmd+"; echo \""+mark+"=$?\"", "Enter")
	s := p.waitFor(regexp.QuoteMeta(mark) + `=\d+\n`)
	i := strings.LastIndex(s, mark+"=")
	status := regexp.MustCompile(`^\d+`).FindString(s[i+len(mark)+1:])
	out := s[:i]
	if j := strings.Index(out, mark); j >= 0 { // the typed command line
		if k := strings.Index(out[j:], "\n"); k >= 0 {
			out = out[j+k+1:]
		}
	}
	return out, status
}

// TestCLITerminal drives hotdata in tmux as a person would: the token
// and a secret typed at prompts that do not echo, a query shown as an
// aligned table, an upload and a sync with progress bars, a delete
// confirmed by typing the name, and binary output refused on a terminal.
func TestCLITerminal(t *testing.T) {
	h := hdtest.Start(t)
	db := upstreamOrders(t)
	h.Register("up", db)
	bin, err := cliBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.csv")
	var sb strings.Builder
	sb.WriteString("id,name,amount\n")
	for i := 0; sb.Len() < 30<<20; i++ {
		sb.WriteString("1234567,some name of a thing,12345.67\n")
	}
	if err := os.WriteFile(big, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	p := newPane(t, []string{"HOTDATA_CONFIG=" + filepath.Join(dir, "config.json"), "HOME=" + dir,
		"PATH=" + filepath.Dir(bin) + ":" + os.Getenv("PATH"), "TERM=xterm-256color", "COLUMNS=160"})

	// Ctrl-C at the token prompt ends hotdata (130) and gives the
	// terminal its echo back.
	p.start("hotdata login --url http://" + h.P.HTTPAddr() + "; echo \"@@login=$?\"")
	p.waitFor(`Token \(hd_…\): `)
	p.keys("C-c")
	p.waitFor(`@@login=130`)
	p.keys("-l", "echo-is-back")
	if s := p.waitFor(`echo-is-back`); !strings.Contains(s, "echo-is-back") {
		t.Fatal("no echo after Ctrl-C at a prompt")
	}
	p.keys("C-u")

	// The token at a prompt, not echoed.
	p.start("hotdata login --url http://" + h.P.HTTPAddr())
	p.waitFor(`Token \(hd_…\): `)
	time.Sleep(300 * time.Millisecond) // the prompt is printed just before echo goes off
	p.keys("-l", hdtest.Token)
	p.keys("Enter")
	s := p.waitFor(`Profile "default" saved`)
	if strings.Contains(s, hdtest.Token) {
		t.Errorf("the token was echoed:\n%s", s)
	}

	out, rc := p.run(`hotdata query "SELECT status, count(*) AS n, sum(total) AS total FROM up.public.orders GROUP BY 1 ORDER BY 1"`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	sums := upstreamText(t, db, "SELECT status, count(*), sum(total) FROM orders GROUP BY 1 ORDER BY 1")
	if rc != "0" || len(lines) != 5 || !regexp.MustCompile(`^status +n +total$`).MatchString(lines[0]) || lines[4] != "(3 rows)" {
		t.Fatalf("query table (exit %s):\n%s", rc, out)
	}
	nCol, totalCol := strings.Index(lines[0], "n "), strings.Index(lines[0], "total")
	for i, row := range sums {
		line := lines[i+1]
		if !strings.HasPrefix(line, row[0]+" ") || line[nCol:nCol+len(row[1])] != row[1] || line[totalCol:] != row[2] {
			t.Errorf("query table row %d %q, want %v aligned under the header:\n%s", i+1, line, row, out)
		}
	}

	// A long table goes through the pager (less): q leaves it, exit 0.
	p.start(`hotdata query "SELECT g, 'row ' || g AS label FROM generate_series(1, 500) g"; echo "@@pager=$?"`)
	s = p.waitFor(`(?m)^:\s*$`)
	if !regexp.MustCompile(`(?m)^g +label$`).MatchString(s) || strings.Contains(s, "(500 rows)") {
		t.Errorf("the pager's first screen:\n%s", s)
	}
	p.keys("G") // to the end
	p.waitFor(`\(500 rows\)`)
	p.keys("q")
	if s = p.waitFor(`@@pager=\d+`); !strings.Contains(s, "@@pager=0") {
		t.Errorf("leaving the pager:\n%s", s)
	}

	out, rc = p.run("hotdata uploads create " + big)
	if rc != "0" || !regexp.MustCompile(`uploading big\.csv +100% \|█+\| \(3\d/3\d MB, \d+ MB/s\)`).MatchString(out) ||
		!regexp.MustCompile(`ID +FILE +BYTES`).MatchString(out) {
		t.Errorf("upload progress (exit %s):\n%s", rc, out)
	}

	out, rc = p.run("hotdata connections refresh up public.orders --data")
	if rc != "0" || !regexp.MustCompile(`refresh public\.orders: 30,000 rows · \d+ kB 100% \|█+\|`).MatchString(out) ||
		!regexp.MustCompile(`succeeded +orders +30000`).MatchString(out) {
		t.Errorf("refresh progress (exit %s):\n%s", rc, out)
	}

	p.start("hotdata secrets create typed_pw; echo \"@@secret=$?\"")
	p.waitFor(`Value \(not echoed\): `)
	time.Sleep(300 * time.Millisecond)
	p.keys("-l", "very-secret-value")
	p.keys("Enter")
	s = p.waitFor(`@@secret=\d`)
	if !strings.Contains(s, "@@secret=0") || strings.Contains(s, "very-secret-value") || !strings.Contains(s, "Stored secret typed_pw") {
		t.Errorf("secret prompt:\n%s", s)
	}

	if _, rc = p.run("hotdata workspaces create scratch"); rc != "0" {
		t.Fatalf("workspaces create: exit %s", rc)
	}
	p.start("hotdata workspaces delete scratch; echo \"@@del=$?\"")
	p.waitFor(`Type "scratch" to confirm: `)
	p.keys("-l", "scratch")
	p.keys("Enter")
	s = p.waitFor(`@@del=\d`)
	if !strings.Contains(s, "@@del=0") || !strings.Contains(s, "Deleted workspace scratch.") {
		t.Errorf("confirmed delete:\n%s", s)
	}

	// A slow query shows a spinner; Ctrl-C cancels it on the server.
	slow := `SELECT count(*) AS n FROM generate_series(1, 100000) a(x), generate_series(1, 100000) b(y) WHERE (x + y) % 7 = 3`
	p.start(`hotdata query "` + slow + `"; echo "@@slow=$?"`)
	p.waitFor(`running query`)
	p.keys("C-c")
	s = p.waitFor(`@@slow=\d+`)
	if !strings.Contains(s, "@@slow=130") || !strings.Contains(s, "canceled the query") {
		t.Errorf("Ctrl-C on a slow query:\n%s", s)
	}
	// The server ends the run when the call is dropped.
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, rc = p.run(`hotdata runs list --limit 1 -o json | grep -c '"status": "canceled"'`)
		if rc == "0" && strings.Contains(out, "1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow query's run is not canceled:\n%s", p.screen())
		}
		time.Sleep(200 * time.Millisecond)
	}

	out, rc = p.run(`hotdata query "SELECT 1" --format parquet`)
	if rc != "2" || !strings.Contains(out, "redirect it to a file") {
		t.Errorf("parquet on a terminal (exit %s):\n%s", rc, out)
	}
}
