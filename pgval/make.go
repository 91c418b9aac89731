package pgval

import (
	"fmt"
	"math"
	"time"
)

// MakeDate is make_date: a negative year is BC; year 0 does not exist.
func MakeDate(y, m, d int64) (int64, error) {
	year := y
	if y < 0 {
		year = y + 1
	}
	bad := func() (int64, error) {
		return 0, errf("22008", "date field value out of range: %d-%02d-%02d", y, m, d)
	}
	if y == 0 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(year, m) {
		return bad()
	}
	days := DaysFromCivil(year, m, d)
	if days < minDateDays || days >= maxDateDays {
		return 0, errf("22008", "date out of range: %d-%02d-%02d", y, m, d)
	}
	return days, nil
}

// MakeTime is make_time: hours 0-24, minutes 0-59, seconds 0-60
// (rounded to microseconds); 24:00:00 at most.
func MakeTime(h, m int64, sec float64) (int64, error) {
	us := int64(math.RoundToEven(sec * 1e6))
	if h < 0 || m < 0 || m > 59 || sec < 0 || us > 60*USecsPerSec || h > 24 ||
		(h == 24 && (m > 0 || us > 0)) || math.IsNaN(sec) {
		return 0, errf("22008", "time field value out of range: %d:%02d:%s", h, m, formatG(sec))
	}
	return h*USecsPerHour + m*USecsPerMin + us, nil
}

func formatG(f float64) string {
	s := fmt.Sprintf("%02g", f)
	return s
}

// MakeTimestamp is make_timestamp (wall clock).
func MakeTimestamp(y, mo, d, h, mi int64, sec float64) (int64, error) {
	days, err := MakeDate(y, mo, d)
	if err != nil {
		return 0, err
	}
	t, err := MakeTime(h, mi, sec)
	if err != nil {
		return 0, err
	}
	date := days + unixEpochJDate - postgresEpochJDate
	over, pg := mulAdd(date, USecsPerDay, t)
	if over || pg < 0 && date > 0 || pg > 0 && date < -1 || pg < pgMinTimestamp || pg >= pgEndTimestamp {
		return 0, errf("22008", "timestamp out of range: %d-%02d-%02d %d:%02d:%s", y, mo, d, h, mi, formatG(sec))
	}
	return fromPGEpoch(pg)
}

// MakeInterval is make_interval.
func MakeInterval(years, months, weeks, days, hours, mins int64, secs float64) (Interval, error) {
	if math.IsInf(secs, 0) || math.IsNaN(secs) {
		return Interval{}, errIntervalRange
	}
	m := years*12 + months
	d := weeks*7 + days
	t := float64(hours)*3.6e9 + float64(mins)*6e7 + math.RoundToEven(secs*1e6)
	if m != int64(int32(m)) || d != int64(int32(d)) || t >= 9.2233720368547758e18 || t < -9.2233720368547758e18 {
		return Interval{}, errIntervalRange
	}
	return Interval{Months: int32(m), Days: int32(d), Micros: int64(t)}, nil
}

// ToTimestamp is to_timestamp(double precision).
func ToTimestamp(secs float64) (int64, error) {
	switch {
	case math.IsNaN(secs):
		return 0, errf("22008", "timestamp cannot be NaN")
	case math.IsInf(secs, 1):
		return TSInfinity, nil
	case math.IsInf(secs, -1):
		return TSNegInfinity, nil
	}
	if secs < -210866803200 || secs >= 9224318016000 {
		return 0, errf("22008", "timestamp out of range: \"%g\"", secs)
	}
	// Via the PostgreSQL epoch, as float8_timestamptz computes.
	const pgEpoch = 946684800
	v := int64(math.RoundToEven((secs - pgEpoch) * 1e6))
	if v < pgMinTimestamp || v >= pgEndTimestamp {
		return 0, errf("22008", "timestamp out of range: \"%g\"", secs)
	}
	return fromPGEpoch(v)
}

// RoundTimestamp applies timestamp(p)'s precision (AdjustTimestampForTypmod).
func RoundTimestamp(us int64, p int) int64 {
	if p >= 6 || p < 0 || us == TSInfinity || us == TSNegInfinity {
		return us
	}
	scale := int64(math.Pow10(6 - p))
	offset := scale / 2
	if us >= 0 {
		return (us + offset) / scale * scale
	}
	return -((-us + offset) / scale * scale)
}

// SeriesTimestamp is generate_series over timestamps (local, or in a
// zone when loc is set).
func SeriesTimestamp(start, stop int64, step Interval, loc *time.Location) ([]int64, error) {
	sign := intervalSign(step)
	if sign == 0 {
		return nil, errf("22023", "step size cannot equal zero")
	}
	var out []int64
	cur := start
	for n := 0; ; n++ {
		if sign > 0 && cur > stop || sign < 0 && cur < stop {
			break
		}
		out = append(out, cur)
		if n > 10_000_000 {
			return nil, errf("54000", "generate_series would return more than 10000000 rows in Hotdata's cache engine")
		}
		var err error
		if loc != nil {
			cur, err = TimestamptzPlusInterval(cur, step, loc)
		} else {
			cur, err = TimestampPlusInterval(cur, step)
		}
		if err != nil {
			break
		}
	}
	return out, nil
}

// intervalSign is the sign of interval_cmp(step, 0).
func intervalSign(iv Interval) int {
	span := float64(iv.Months)*30*float64(USecsPerDay) + float64(iv.Days)*float64(USecsPerDay) + float64(iv.Micros)
	switch {
	case span > 0:
		return 1
	case span < 0:
		return -1
	}
	return 0
}
