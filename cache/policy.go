package cache

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Policy is a table's refresh policy (DESIGN.md, "Freshness and routing"):
//
//	manual        synced on first use and on request only
//	every <d>     re-synced in the background every d
//	ttl <d>       a read of a snapshot older than d syncs first
//	cdc           kept fresh from the source's change stream
type Policy struct {
	Kind  string // PolicyManual, PolicyEvery, PolicyTTL or PolicyCDC
	Every time.Duration
}

// Policy kinds.
const (
	PolicyManual = "manual"
	PolicyEvery  = "every"
	PolicyTTL    = "ttl"
	PolicyCDC    = "cdc"
)

// minPolicyInterval keeps a mistyped "every 1s" from hammering the
// upstream with back-to-back full syncs.
const minPolicyInterval = 10 * time.Second

// ParsePolicy reads "manual", "cdc", "every 15m" or "ttl 1h". Durations are Go
// durations (90s, 15m, 1h30m) or a number of days (1d, 7d).
func ParsePolicy(s string) (Policy, error) {
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) == 1 && (f[0] == PolicyManual || f[0] == PolicyCDC) {
		return Policy{Kind: f[0]}, nil
	}
	if len(f) != 2 || f[0] != PolicyEvery && f[0] != PolicyTTL {
		return Policy{}, fmt.Errorf("refresh policy %q: want manual, cdc, every <duration> or ttl <duration> (e.g. every 15m, ttl 1h)", s)
	}
	d, err := parseDuration(f[1])
	if err != nil {
		return Policy{}, fmt.Errorf("refresh policy %q: %w", s, err)
	}
	if d < minPolicyInterval {
		return Policy{}, fmt.Errorf("refresh policy %q: the interval must be at least %s", s, minPolicyInterval)
	}
	return Policy{Kind: f[0], Every: d}, nil
}

func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q (use 90s, 15m, 1h or 1d)", s)
	}
	return d, nil
}

// String is the policy in the form ParsePolicy reads.
func (p Policy) String() string {
	if p.Kind == PolicyManual || p.Kind == "" {
		return PolicyManual
	}
	if p.Kind == PolicyCDC {
		return PolicyCDC
	}
	return p.Kind + " " + formatDuration(p.Every)
}

func formatDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	s := d.String() // 1h0m0s, 15m0s, 1m30s
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Due reports whether a background sync is due for a table last synced at
// last (nil: never), under an "every" policy. A table given an "every"
// policy is kept cached: one never synced is due at once.
func (p Policy) Due(last *time.Time, now time.Time) bool {
	return p.Kind == PolicyEvery && (last == nil || now.Sub(*last) >= p.Every)
}

// Stale reports whether a snapshot synced at last is too old to serve
// under a "ttl" policy.
func (p Policy) Stale(last *time.Time, now time.Time) bool {
	return p.Kind == PolicyTTL && last != nil && now.Sub(*last) >= p.Every
}
