//go:build unix

package cli

import (
	"log/slog"
	"syscall"
)

// raiseOpenFileLimit lifts the soft limit on open files to the hard one
// (Go does this too since 1.19, but says nothing) and logs both: every
// client connection takes a descriptor, and running out stops accepting.
func raiseOpenFileLimit(log *slog.Logger) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		log.Warn("read the open file limit", "err", err)
		return
	}
	if lim.Cur < lim.Max {
		raised := lim
		raised.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			log.Warn("raise the open file limit", "soft", lim.Cur, "hard", lim.Max, "err", err)
			return
		}
		lim = raised
	}
	log.Info("open file limit", "soft", lim.Cur, "hard", lim.Max)
}
