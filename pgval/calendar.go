package pgval

import "math"

// Dates are days since 1970-01-01 and timestamps microseconds since
// 1970-01-01 00:00:00, as the engine (and Arrow) hold them; the
// proleptic Gregorian calendar with astronomical years (year 0 is 1 BC),
// as PostgreSQL computes.

// Infinite dates and timestamps, as the engine represents them.
const (
	DateInfinity    = math.MaxInt32
	DateNegInfinity = -math.MaxInt32
	TSInfinity      = math.MaxInt64
	TSNegInfinity   = -math.MaxInt64
)

// Microseconds per unit.
const (
	USecsPerSec  = int64(1_000_000)
	USecsPerMin  = 60 * USecsPerSec
	USecsPerHour = 60 * USecsPerMin
	USecsPerDay  = 24 * USecsPerHour
)

// DaysFromCivil converts a date to days since 1970-01-01.
func DaysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// CivilFromDays converts days since 1970-01-01 to a date.
func CivilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var monthDays = [2][13]int64{
	{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

// DaysInMonth is the length of a month.
func DaysInMonth(y, m int64) int64 {
	l := 0
	if isLeap(y) {
		l = 1
	}
	return monthDays[l][m]
}

// floorDivMod splits a by b with a non-negative remainder.
func floorDivMod(a, b int64) (int64, int64) {
	q, r := a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// SplitTimestamp splits microseconds since the epoch into days and
// microseconds of the day.
func SplitTimestamp(us int64) (days, tod int64) { return floorDivMod(us, USecsPerDay) }

// Weekday is 0 for Sunday.
func Weekday(days int64) int64 {
	_, r := floorDivMod(days+4, 7)
	return r
}

// PostgreSQL's valid ranges (datetime.h): dates from 4714-11-24 BC,
// timestamps to 294276 AD.
const (
	minDateDays = -2440588 // 4714-11-24 BC (Julian day 0)
	maxDateDays = 2147483494 - 2440588
)
