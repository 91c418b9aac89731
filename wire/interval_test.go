package wire

import "testing"

// TestIntervalSigns: a positive field after a negative one is signed, as
// PostgreSQL prints it (checked against PostgreSQL 15).
func TestIntervalSigns(t *testing.T) {
	const hour = 3_600_000_000
	for _, c := range []struct {
		months, days, us int64
		want             string
	}{
		{0, -1, 2 * hour, "-1 days +02:00:00"},
		{0, 1, -2 * hour, "1 day -02:00:00"},
		{-1, 1, 0, "-1 mons +1 day"},
		{-14, 3, -(4*hour + 5*60_000_000 + 6_000_000), "-1 years -2 mons +3 days -04:05:06"},
		{-12, 0, hour, "-1 years +01:00:00"},
		{0, 0, 0, "00:00:00"},
	} {
		if got := string(AppendInterval(nil, c.months, c.days, c.us)); got != c.want {
			t.Errorf("AppendInterval(%d, %d, %d) = %q, want %q", c.months, c.days, c.us, got, c.want)
		}
	}
}
