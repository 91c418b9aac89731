package commands

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// terminalIn is stdin when it is a terminal.
func (a *app) terminalIn() (*os.File, bool) {
	f, ok := a.stdin.(*os.File)
	return f, ok && term.IsTerminal(int(f.Fd()))
}

// readHidden asks on stderr and reads a line from the terminal without
// echo. Ctrl-C puts the terminal back and ends with context.Canceled.
func (a *app) readHidden(ctx context.Context, f *os.File, prompt string) (string, error) {
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("reading the terminal: %w", err)
	}
	fmt.Fprint(a.stderr, prompt)
	type answer struct {
		b   []byte
		err error
	}
	ch := make(chan answer, 1)
	go func() { // ends with the read; on Ctrl-C the process exits first
		b, err := term.ReadPassword(fd)
		ch <- answer{b, err}
	}()
	select {
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(a.stderr)
		return "", context.Canceled
	case ans := <-ch:
		fmt.Fprintln(a.stderr)
		if ans.err != nil {
			return "", fmt.Errorf("reading the terminal: %w", ans.err)
		}
		return string(ans.b), nil
	}
}

// readLine asks on stderr and reads one line of stdin; Ctrl-C ends it
// with context.Canceled.
func (a *app) readLine(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(a.stderr, prompt)
	type answer struct {
		s   string
		err error
	}
	ch := make(chan answer, 1)
	go func() { // ends with the read; on Ctrl-C the process exits first
		s, err := bufio.NewReader(a.stdin).ReadString('\n')
		ch <- answer{s, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(a.stderr)
		return "", context.Canceled
	case ans := <-ch:
		if ans.err != nil && !(ans.err == io.EOF && ans.s != "") {
			return "", usagef("not confirmed")
		}
		return strings.TrimSpace(ans.s), nil
	}
}
