package cache

import (
	"testing"
	"time"
)

func TestParsePolicy(t *testing.T) {
	for in, want := range map[string]string{
		"manual": "manual", " MANUAL ": "manual", "every 15m": "every 15m", "every 1h30m": "every 1h30m",
		"ttl 1h": "ttl 1h", "ttl 2d": "ttl 2d", "every 90s": "every 1m30s",
	} {
		p, err := ParsePolicy(in)
		if err != nil || p.String() != want {
			t.Errorf("ParsePolicy(%q) = %q, %v; want %q", in, p.String(), err, want)
		}
	}
	for _, bad := range []string{"", "hourly", "every", "every 5s", "ttl -1h", "every 15", "ttl 0d", "every 1h extra"} {
		if _, err := ParsePolicy(bad); err == nil {
			t.Errorf("ParsePolicy(%q) accepted", bad)
		}
	}
}

func TestPolicyDueStale(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	every, _ := ParsePolicy("every 15m")
	ttl, _ := ParsePolicy("ttl 1h")
	manual, _ := ParsePolicy("manual")
	if !every.Due(nil, now) || !every.Due(ago(15*time.Minute), now) || every.Due(ago(14*time.Minute), now) {
		t.Error("every 15m: wrong due times")
	}
	if ttl.Due(ago(time.Hour), now) || manual.Due(nil, now) {
		t.Error("only every policies are due")
	}
	if !ttl.Stale(ago(time.Hour), now) || ttl.Stale(ago(59*time.Minute), now) || ttl.Stale(nil, now) || every.Stale(ago(2*time.Hour), now) {
		t.Error("ttl 1h: wrong staleness")
	}
}
