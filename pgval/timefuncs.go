package pgval

import (
	"math"
	"math/big"
	"strings"
	"time"
)

// Date and time arithmetic as timestamp.c and date.c compute it, on
// microseconds since 1970-01-01 (local time for timestamp).

// tm is PostgreSQL's struct pg_tm (astronomical year) with fsec.
type tm struct {
	year, mon, mday, hour, min, sec int64
	fsec                            int64
}

func toTM(us int64) tm {
	days, tod := SplitTimestamp(us)
	y, m, d := CivilFromDays(days)
	return tm{year: y, mon: m, mday: d, hour: tod / USecsPerHour, min: tod / USecsPerMin % 60, sec: tod / USecsPerSec % 60, fsec: tod % USecsPerSec}
}

func (t tm) micros() int64 {
	return DaysFromCivil(t.year, t.mon, t.mday)*USecsPerDay + t.hour*USecsPerHour + t.min*USecsPerMin + t.sec*USecsPerSec + t.fsec
}

var errTimestampRange = errf("22008", "timestamp out of range")

// pgToTM is timestamp2tm on a PostgreSQL timestamp (microseconds since
// 2000-01-01, the form PostgreSQL computes in, which holds its whole
// range).
func pgToTM(pg int64) dtTM {
	days, tod := floorDivMod(pg, USecsPerDay)
	var t dtTM
	t.year, t.mon, t.mday = jsplit(days + postgresEpochJDate)
	t.hour = tod / USecsPerHour
	t.min = tod / USecsPerMin % 60
	t.sec = tod / USecsPerSec % 60
	t.fsec = tod % USecsPerSec
	return t
}

// tm2pg is tm2timestamp in PostgreSQL's epoch: local fields less tz
// (seconds west; nil: none); ok false is out of range.
func tm2pg(tm *dtTM, tz *int) (int64, bool) {
	if !isValidJulian(tm.year, tm.mon, tm.mday) {
		return 0, false
	}
	date := jdate(tm.year, tm.mon, tm.mday) - postgresEpochJDate
	t := ((tm.hour*60+tm.min)*60+tm.sec)*USecsPerSec + tm.fsec
	over, result := mulAdd(date, USecsPerDay, t)
	if over || result < 0 && date > 0 || result > 0 && date < -1 {
		return 0, false
	}
	if tz != nil {
		r, over := addOverflow(result, int64(*tz)*USecsPerSec)
		if over {
			return 0, false
		}
		result = r
	}
	if result < pgMinTimestamp || result >= pgEndTimestamp {
		return 0, false
	}
	return result, true
}

// addMonthsTM adds months to broken-down fields, keeping the day in the
// month (timestamp_pl_interval's month step).
func addMonthsTM(t *dtTM, months int32) {
	t.mon += int64(months)
	if t.mon > 12 {
		t.year += (t.mon - 1) / 12
		t.mon = (t.mon-1)%12 + 1
	} else if t.mon < 1 {
		t.year += t.mon/12 - 1
		t.mon = t.mon%12 + 12
	}
	if dim := DaysInMonth(t.year, t.mon); t.mday > dim {
		t.mday = dim
	}
}

// TimestampPlusInterval is timestamp_pl_interval.
func TimestampPlusInterval(ts int64, iv Interval) (int64, error) {
	if ts == TSInfinity || ts == TSNegInfinity {
		return ts, nil
	}
	pg := ts - pgEpochUnixMicros
	var ok bool
	if iv.Months != 0 {
		t := pgToTM(pg)
		addMonthsTM(&t, iv.Months)
		if pg, ok = tm2pg(&t, nil); !ok {
			return 0, errTimestampRange
		}
	}
	if iv.Days != 0 {
		t := pgToTM(pg)
		t.year, t.mon, t.mday = jsplit(jdate(t.year, t.mon, t.mday) + int64(iv.Days))
		if pg, ok = tm2pg(&t, nil); !ok {
			return 0, errTimestampRange
		}
	}
	pg, over := addOverflow(pg, iv.Micros)
	if over || pg < pgMinTimestamp || pg >= pgEndTimestamp {
		return 0, errTimestampRange
	}
	return fromPGEpoch(pg)
}

// pgLocalTM is timestamp2tm of a PostgreSQL timestamp in a zone, with
// the offset (seconds west).
func pgLocalTM(pg int64, loc *time.Location) (dtTM, int) {
	secs, _ := floorDivMod(pg, USecsPerSec)
	_, off := time.Unix(secs+pgEpochUnixMicros/USecsPerSec, 0).In(loc).Zone()
	return pgToTM(pg + int64(off)*USecsPerSec), -off
}

// TimestamptzPlusInterval is timestamptz_pl_interval in a zone: months
// and days step the wall clock, microseconds the instant.
func TimestamptzPlusInterval(ts int64, iv Interval, loc *time.Location) (int64, error) {
	if ts == TSInfinity || ts == TSNegInfinity {
		return ts, nil
	}
	pg := ts - pgEpochUnixMicros
	var ok bool
	if iv.Months != 0 {
		t, _ := pgLocalTM(pg, loc)
		addMonthsTM(&t, iv.Months)
		tz := determineTimeZoneOffset(&t, loc)
		if pg, ok = tm2pg(&t, &tz); !ok {
			return 0, errTimestampRange
		}
	}
	if iv.Days != 0 {
		t, _ := pgLocalTM(pg, loc)
		t.year, t.mon, t.mday = jsplit(jdate(t.year, t.mon, t.mday) + int64(iv.Days))
		tz := determineTimeZoneOffset(&t, loc)
		if pg, ok = tm2pg(&t, &tz); !ok {
			return 0, errTimestampRange
		}
	}
	pg, over := addOverflow(pg, iv.Micros)
	if over || pg < pgMinTimestamp || pg >= pgEndTimestamp {
		return 0, errTimestampRange
	}
	return fromPGEpoch(pg)
}

// UTCToLocal is an instant's wall clock in loc.
func UTCToLocal(us int64, loc *time.Location) int64 {
	if us == TSInfinity || us == TSNegInfinity || loc == time.UTC {
		return us
	}
	secs, _ := floorDivMod(us, USecsPerSec)
	_, off := time.Unix(secs, 0).In(loc).Zone()
	return us + int64(off)*USecsPerSec
}

// LocalToUTC is the instant of a wall clock in loc (localToUTC).
func LocalToUTC(us int64, loc *time.Location) int64 {
	if us == TSInfinity || us == TSNegInfinity {
		return us
	}
	return localToUTC(us, loc)
}

// IntervalJustifyHours is interval_justify_hours.
func IntervalJustifyHours(iv Interval) Interval {
	whole := iv.Micros / USecsPerDay
	iv.Micros -= whole * USecsPerDay
	iv.Days += int32(whole)
	if iv.Days > 0 && iv.Micros < 0 {
		iv.Micros += USecsPerDay
		iv.Days--
	} else if iv.Days < 0 && iv.Micros > 0 {
		iv.Micros -= USecsPerDay
		iv.Days++
	}
	return iv
}

// IntervalJustifyDays is interval_justify_days.
func IntervalJustifyDays(iv Interval) Interval {
	whole := iv.Days / 30
	iv.Days -= whole * 30
	iv.Months += whole
	if iv.Months > 0 && iv.Days < 0 {
		iv.Days += 30
		iv.Months--
	} else if iv.Months < 0 && iv.Days > 0 {
		iv.Days -= 30
		iv.Months++
	}
	return iv
}

// IntervalJustify is interval_justify_interval.
func IntervalJustify(iv Interval) Interval {
	if iv.Days > 0 && iv.Micros > 0 || iv.Days < 0 && iv.Micros < 0 {
		whole := iv.Days / 30
		iv.Days -= whole * 30
		iv.Months += whole
	}
	wholeDay := iv.Micros / USecsPerDay
	iv.Micros -= wholeDay * USecsPerDay
	iv.Days += int32(wholeDay)
	whole := iv.Days / 30
	iv.Days -= whole * 30
	iv.Months += whole
	if iv.Months > 0 && (iv.Days < 0 || iv.Days == 0 && iv.Micros < 0) {
		iv.Days += 30
		iv.Months--
	} else if iv.Months < 0 && (iv.Days > 0 || iv.Days == 0 && iv.Micros > 0) {
		iv.Days -= 30
		iv.Months++
	}
	if iv.Days > 0 && iv.Micros < 0 {
		iv.Micros += USecsPerDay
		iv.Days--
	} else if iv.Days < 0 && iv.Micros > 0 {
		iv.Micros -= USecsPerDay
		iv.Days++
	}
	return iv
}

var errIntervalRange = errf("22008", "interval out of range")

// IntervalPlus is interval_pl.
func IntervalPlus(a, b Interval) (Interval, error) {
	m := int64(a.Months) + int64(b.Months)
	d := int64(a.Days) + int64(b.Days)
	t := a.Micros + b.Micros
	if m != int64(int32(m)) || d != int64(int32(d)) || (a.Micros > 0 && b.Micros > 0 && t < 0) || (a.Micros < 0 && b.Micros < 0 && t >= 0) {
		return Interval{}, errIntervalRange
	}
	return Interval{int32(m), int32(d), t}, nil
}

// IntervalNeg is interval_um.
func IntervalNeg(a Interval) (Interval, error) {
	if a.Months == math.MinInt32 || a.Days == math.MinInt32 || a.Micros == math.MinInt64 {
		return Interval{}, errIntervalRange
	}
	return Interval{-a.Months, -a.Days, -a.Micros}, nil
}

func tsround(v float64) float64 { return math.RoundToEven(v*1e6) / 1e6 }

// IntervalMul is interval_mul.
func IntervalMul(iv Interval, factor float64) (Interval, error) {
	var r Interval
	rd := float64(iv.Months) * factor
	if math.IsNaN(rd) || rd > math.MaxInt32 || rd < math.MinInt32 {
		return Interval{}, errIntervalRange
	}
	r.Months = int32(rd)
	rd = float64(iv.Days) * factor
	if math.IsNaN(rd) || rd > math.MaxInt32 || rd < math.MinInt32 {
		return Interval{}, errIntervalRange
	}
	r.Days = int32(rd)
	monthRemDays := tsround((float64(iv.Months)*factor - float64(r.Months)) * 30)
	secRem := tsround((float64(iv.Days)*factor - float64(r.Days) + monthRemDays - float64(int32(monthRemDays))) * 86400)
	if math.Abs(secRem) >= 86400 {
		r.Days += int32(secRem / 86400)
		secRem -= float64(int32(secRem/86400)) * 86400
	}
	r.Days += int32(monthRemDays)
	rd = math.RoundToEven(float64(iv.Micros)*factor + secRem*1e6)
	if math.IsNaN(rd) || rd >= 9.2233720368547758e18 || rd < -9.2233720368547758e18 {
		return Interval{}, errIntervalRange
	}
	r.Micros = int64(rd)
	return r, nil
}

// IntervalDiv is interval_div.
func IntervalDiv(iv Interval, factor float64) (Interval, error) {
	if factor == 0 {
		return Interval{}, ErrDivisionByZero
	}
	var r Interval
	r.Months = int32(float64(iv.Months) / factor)
	r.Days = int32(float64(iv.Days) / factor)
	monthRemDays := tsround((float64(iv.Months)/factor - float64(r.Months)) * 30)
	secRem := tsround((float64(iv.Days)/factor - float64(r.Days) + monthRemDays - float64(int32(monthRemDays))) * 86400)
	if math.Abs(secRem) >= 86400 {
		r.Days += int32(secRem / 86400)
		secRem -= float64(int32(secRem/86400)) * 86400
	}
	r.Days += int32(monthRemDays)
	r.Micros = int64(math.RoundToEven(float64(iv.Micros)/factor + secRem*1e6))
	return r, nil
}

// isoWeek is date2isoweek.
func isoWeek(y, m, d int64) int64 {
	dayn := DaysFromCivil(y, m, d)
	day4 := DaysFromCivil(y, 1, 4)
	day0 := day4 - (Weekday(day4)+6)%7 // Monday of week 1
	if dayn < day0 {
		day4 = DaysFromCivil(y-1, 1, 4)
		day0 = day4 - (Weekday(day4)+6)%7
	}
	result := (dayn-day0)/7 + 1
	if result >= 52 {
		day4n := DaysFromCivil(y+1, 1, 4)
		day0n := day4n - (Weekday(day4n)+6)%7
		if dayn >= day0n {
			result = (dayn-day0n)/7 + 1
		}
	}
	return result
}

// isoYear is date2isoyear.
func isoYear(y, m, d int64) int64 {
	dayn := DaysFromCivil(y, m, d)
	day4 := DaysFromCivil(y, 1, 4)
	day0 := day4 - (Weekday(day4)+6)%7
	if dayn < day0 {
		return y - 1
	}
	day4n := DaysFromCivil(y+1, 1, 4)
	day0n := day4n - (Weekday(day4n)+6)%7
	if dayn >= day0n {
		return y + 1
	}
	return y
}

// isoWeekStart is the Monday of ISO week 1 of ISO year y.
func isoWeekStart(y int64) int64 {
	day4 := DaysFromCivil(y, 1, 4)
	return day4 - (Weekday(day4)+6)%7
}

// cdiv is C integer division (toward zero).
func cdiv(a, b int64) int64 { return a / b }

// TruncTimestamp is timestamp_trunc on a local time; unit is canonical
// (see the planner's unit names).
func TruncTimestamp(unit string, us int64, typeName string) (int64, error) {
	if us == TSInfinity || us == TSNegInfinity {
		return us, nil
	}
	unit, err := truncUnitOf(unit, typeName)
	if err != nil {
		return 0, err
	}
	t := toTM(us)
	switch unit {
	case "week":
		w := isoWeek(t.year, t.mon, t.mday)
		y := t.year
		if w >= 52 && t.mon == 1 {
			y--
		}
		if w <= 1 && t.mon == 12 {
			y++
		}
		day := isoWeekStart(y) + (w-1)*7
		return truncResult(day * USecsPerDay)
	case "millennium", "century", "decade", "year", "quarter", "month", "day", "hour", "minute", "second", "milliseconds", "microseconds":
	default:
		return 0, errf("0A000", "unit \"%s\" not supported for type %s", unit, typeName)
	}
	switch unit {
	case "millennium":
		if t.year > 0 {
			t.year = cdiv(t.year+999, 1000)*1000 - 999
		} else {
			t.year = -cdiv(999-(t.year-1), 1000)*1000 + 1
		}
	case "century":
		if t.year > 0 {
			t.year = cdiv(t.year+99, 100)*100 - 99
		} else {
			t.year = -cdiv(99-(t.year-1), 100)*100 + 1
		}
	case "decade":
		if t.year > 0 {
			t.year = cdiv(t.year, 10) * 10
		} else {
			t.year = -cdiv(8-(t.year-1), 10) * 10
		}
	}
	fall := false
	for _, step := range []string{"millennium", "century", "decade", "year", "quarter", "month", "day", "hour", "minute", "second"} {
		if step == unit {
			fall = true
		}
		if !fall {
			continue
		}
		switch step {
		case "year":
			t.mon = 1
		case "quarter":
			t.mon = 3*((t.mon-1)/3) + 1
		case "month":
			t.mday = 1
		case "day":
			t.hour = 0
		case "hour":
			t.min = 0
		case "minute":
			t.sec = 0
		case "second":
			t.fsec = 0
		}
	}
	if unit == "milliseconds" {
		t.fsec = t.fsec / 1000 * 1000
	}
	return truncResult(t.micros())
}

// truncResult checks a truncated timestamp against PostgreSQL's start
// (truncation only moves back).
func truncResult(us int64) (int64, error) {
	if us < pgMinTimestamp+pgEpochUnixMicros {
		return 0, errTimestampRange
	}
	return us, nil
}

// truncUnits are the canonical names of date_trunc's units by token.
var truncUnits = map[int]string{
	dtkMicrosec: "microseconds", dtkMillisec: "milliseconds", dtkSecond: "second", dtkMinute: "minute",
	dtkHour: "hour", dtkDay: "day", dtkWeek: "week", dtkMonth: "month", dtkQuarter: "quarter",
	dtkYear: "year", dtkDecade: "decade", dtkCentury: "century", dtkMillennium: "millennium",
}

// truncUnitOf reads a date_trunc unit as DecodeUnits does (lowercase,
// the first ten characters): its canonical name, 0A000 for a unit that
// does not truncate, 22023 for a word that is no unit.
func truncUnitOf(unit, typeName string) (string, error) {
	low := strings.ToLower(unit)
	if tok, ok := lookupTok(deltatktbl, low); ok && tok.typ == tkUnits {
		if u, ok := truncUnits[tok.val]; ok {
			return u, nil
		}
		return "", errf("0A000", "unit \"%s\" not supported for type %s", low, typeName)
	}
	return "", errf("22023", "unit \"%s\" not recognized for type %s", low, typeName)
}

// TruncUnitName is truncUnitOf for the planner: a constant unit of
// date_trunc checked (and named canonically) once.
func TruncUnitName(unit, typeName string) (string, error) { return truncUnitOf(unit, typeName) }

// TruncTimestamptz is timestamptz_trunc in a zone: the wall clock is
// truncated; for units of a day and more the offset is that of the
// truncated wall clock (DetermineTimeZoneOffset), for smaller units the
// instant keeps its own offset (so 01:45-04 truncates to 01:00-04 in a
// repeated hour).
func TruncTimestamptz(unit string, us int64, loc *time.Location) (int64, error) {
	if us == TSInfinity || us == TSNegInfinity {
		return us, nil
	}
	secs, _ := floorDivMod(us, USecsPerSec)
	_, off := time.Unix(secs, 0).In(loc).Zone()
	local := us + int64(off)*USecsPerSec
	unit, err := truncUnitOf(unit, "timestamp with time zone")
	if err != nil {
		return 0, err
	}
	t, err := TruncTimestamp(unit, local, "timestamp with time zone")
	if err != nil {
		return 0, err
	}
	switch unit {
	case "microseconds", "milliseconds", "second", "minute", "hour":
		return t - int64(off)*USecsPerSec, nil
	}
	return LocalToUTC(t, loc), nil
}

// TruncInterval is interval_trunc.
func TruncInterval(unit string, iv Interval) (Interval, error) {
	if tok, ok := lookupTok(deltatktbl, strings.ToLower(unit)); ok && tok.typ == tkUnits {
		if u, ok := truncUnits[tok.val]; ok {
			unit = u
		} else {
			return Interval{}, errf("0A000", "unit \"%s\" not supported for type interval", strings.ToLower(unit))
		}
	} else {
		return Interval{}, errf("22023", "unit \"%s\" not recognized for type interval", strings.ToLower(unit))
	}
	year := int64(iv.Months / 12)
	mon := int64(iv.Months % 12)
	mday := int64(iv.Days)
	t := iv.Micros
	hour := t / USecsPerHour
	t -= hour * USecsPerHour
	min := t / USecsPerMin
	t -= min * USecsPerMin
	sec := t / USecsPerSec
	fsec := t - sec*USecsPerSec
	switch unit {
	case "millennium":
		year = year / 1000 * 1000
		mon, mday, hour, min, sec, fsec = 0, 0, 0, 0, 0, 0
	case "century":
		year = year / 100 * 100
		mon, mday, hour, min, sec, fsec = 0, 0, 0, 0, 0, 0
	case "decade":
		year = year / 10 * 10
		mon, mday, hour, min, sec, fsec = 0, 0, 0, 0, 0, 0
	case "year":
		mon, mday, hour, min, sec, fsec = 0, 0, 0, 0, 0, 0
	case "quarter":
		mon = 3 * (mon / 3)
		mday, hour, min, sec, fsec = 0, 0, 0, 0, 0
	case "month":
		mday, hour, min, sec, fsec = 0, 0, 0, 0, 0
	case "day":
		hour, min, sec, fsec = 0, 0, 0, 0
	case "hour":
		min, sec, fsec = 0, 0, 0
	case "minute":
		sec, fsec = 0, 0
	case "second":
		fsec = 0
	case "milliseconds":
		fsec = fsec / 1000 * 1000
	case "microseconds":
	case "week":
		return Interval{}, errf("0A000", "unit \"week\" not supported for type interval").WithDetail("Months usually have fractional weeks.")
	default:
		return Interval{}, errf("22023", "unit \"%s\" not recognized for type interval", unit)
	}
	return Interval{Months: int32(year*12 + mon), Days: int32(mday), Micros: ((hour*60+min)*60+sec)*USecsPerSec + fsec}, nil
}

// DateBin is date_bin.
func DateBin(stride Interval, ts, origin int64) (int64, error) {
	if ts == TSInfinity || ts == TSNegInfinity {
		return ts, nil
	}
	if origin == TSInfinity || origin == TSNegInfinity {
		return 0, errf("22008", "origin out of range")
	}
	if stride.Months != 0 {
		return 0, errf("0A000", "timestamps cannot be binned into intervals containing months or years")
	}
	over, strideUS := mulAdd(int64(stride.Days), USecsPerDay, stride.Micros)
	if over {
		return 0, errf("22008", "interval out of range")
	}
	if strideUS <= 0 {
		return 0, errf("22008", "stride must be greater than zero")
	}
	diff, over := addOverflow(ts, -origin)
	if over || origin == math.MinInt64 {
		return 0, errf("22008", "interval out of range")
	}
	mod := diff % strideUS
	result := origin + (diff - mod)
	// Round toward -infinity: the start of the bin even when the origin
	// is later (a timestamp on a bin's start is that start).
	if mod < 0 {
		r, over := addOverflow(result, -strideUS)
		if over || r < pgMinTimestamp+pgEpochUnixMicros {
			return 0, errTimestampRange
		}
		result = r
	}
	return result, nil
}

// Age is age(ts1, ts2) on wall clocks (timestamp_age/timestamptz_age).
func Age(dt1, dt2 int64) Interval {
	t1, t2 := toTM(dt1), toTM(dt2)
	fsec := t1.fsec - t2.fsec
	r := tm{year: t1.year - t2.year, mon: t1.mon - t2.mon, mday: t1.mday - t2.mday, hour: t1.hour - t2.hour, min: t1.min - t2.min, sec: t1.sec - t2.sec}
	neg := dt1 < dt2
	flip := func() {
		fsec = -fsec
		r.sec, r.min, r.hour, r.mday, r.mon, r.year = -r.sec, -r.min, -r.hour, -r.mday, -r.mon, -r.year
	}
	if neg {
		flip()
	}
	for fsec < 0 {
		fsec += USecsPerSec
		r.sec--
	}
	for r.sec < 0 {
		r.sec += 60
		r.min--
	}
	for r.min < 0 {
		r.min += 60
		r.hour--
	}
	for r.hour < 0 {
		r.hour += 24
		r.mday--
	}
	for r.mday < 0 {
		if neg {
			r.mday += DaysInMonth(t1.year, t1.mon)
		} else {
			r.mday += DaysInMonth(t2.year, t2.mon)
		}
		r.mon--
	}
	for r.mon < 0 {
		r.mon += 12
		r.year--
	}
	if neg {
		flip()
	}
	return Interval{Months: int32(r.year*12 + r.mon), Days: int32(r.mday), Micros: ((r.hour*60+r.min)*60+r.sec)*USecsPerSec + fsec}
}

// unitKind is how DecodeUnits, then DecodeSpecial, read an extract
// field: a unit, a reserved word (epoch among them), or nothing.
type unitKind int

const (
	unitNone unitKind = iota
	unitUnits
	unitReserv
)

// decodeExtractUnit reads an extract/date_part field (lowercased, ten
// characters compared).
func decodeExtractUnit(field string) (low string, kind unitKind, val int) {
	low = strings.ToLower(field)
	if tok, ok := lookupTok(deltatktbl, low); ok {
		if tok.typ == tkUnits {
			return low, unitUnits, tok.val
		}
		return low, unitNone, 0
	}
	if tok, ok := lookupTok(datetktbl, low); ok {
		switch tok.typ {
		case tkUnits:
			return low, unitUnits, tok.val
		case tkReserv:
			return low, unitReserv, tok.val
		}
	}
	return low, unitNone, 0
}

func unitNotSupported(low, typeName string) error {
	return errf("0A000", "unit \"%s\" not supported for type %s", low, typeName)
}

func unitNotRecognized(low, typeName string) error {
	return errf("22023", "unit \"%s\" not recognized for type %s", low, typeName)
}

func infiniteResult(neg, float bool) (Numeric, float64, error) {
	if float {
		if neg {
			return Numeric{}, math.Inf(-1), nil
		}
		return Numeric{}, math.Inf(1), nil
	}
	if neg {
		return Numeric{Special: NegInf}, 0, nil
	}
	return Numeric{Special: PosInf}, 0, nil
}

// ExtractTimestamp is extract(field FROM ts) (numeric, PostgreSQL 14+)
// or date_part (float), as timestamp_part_common computes them; zoneOff
// is the zone offset for timestamptz fields (nil for timestamp).
func ExtractTimestamp(field string, us int64, zoneOff *int, typeName string, float bool) (Numeric, float64, error) {
	low, kind, val := decodeExtractUnit(field)
	if us == TSInfinity || us == TSNegInfinity {
		// NonFiniteTimestampTzPart.
		if kind == unitNone {
			return Numeric{}, 0, unitNotRecognized(low, typeName)
		}
		switch val {
		case dtkMicrosec, dtkMillisec, dtkSecond, dtkMinute, dtkHour, dtkDay, dtkMonth, dtkQuarter, dtkWeek,
			dtkDOW, dtkISODOW, dtkDOY, dtkTZ, dtkTZMinute, dtkTZHour:
			return Numeric{}, 0, errNull
		case dtkYear, dtkDecade, dtkCentury, dtkMillennium, dtkJulian, dtkISOYear, dtkEpoch:
			return infiniteResult(us == TSNegInfinity, float)
		}
		return Numeric{}, 0, unitNotSupported(low, typeName)
	}
	t := toTM(us)
	iv := func(v int64) (Numeric, float64, error) { return NumericFromInt(v), float64(v), nil }
	switch kind {
	case unitReserv:
		if val != dtkEpoch {
			return Numeric{}, 0, unitNotSupported(low, typeName)
		}
		e := us
		if zoneOff != nil {
			e = us - int64(*zoneOff)*USecsPerSec
		}
		return Numeric{Int: big.NewInt(e), Scale: 6}, float64(e) / 1000000.0, nil
	case unitNone:
		return Numeric{}, 0, unitNotRecognized(low, typeName)
	}
	switch val {
	case dtkMicrosec:
		return Numeric{Int: big.NewInt(t.sec*USecsPerSec + t.fsec)}, float64(t.sec)*1000000.0 + float64(t.fsec), nil
	case dtkMillisec:
		return Numeric{Int: big.NewInt(t.sec*USecsPerSec + t.fsec), Scale: 3}, float64(t.sec)*1000.0 + float64(t.fsec)/1000.0, nil
	case dtkSecond:
		return Numeric{Int: big.NewInt(t.sec*USecsPerSec + t.fsec), Scale: 6}, float64(t.sec) + float64(t.fsec)/1000000.0, nil
	case dtkMinute:
		return iv(t.min)
	case dtkHour:
		return iv(t.hour)
	case dtkDay:
		return iv(t.mday)
	case dtkMonth:
		return iv(t.mon)
	case dtkQuarter:
		return iv((t.mon-1)/3 + 1)
	case dtkWeek:
		return iv(isoWeek(t.year, t.mon, t.mday))
	case dtkYear:
		if t.year > 0 {
			return iv(t.year)
		}
		return iv(t.year - 1)
	case dtkDecade:
		if t.year >= 0 {
			return iv(t.year / 10)
		}
		return iv(-cdiv(8-(t.year-1), 10))
	case dtkCentury:
		if t.year > 0 {
			return iv(cdiv(t.year+99, 100))
		}
		return iv(-cdiv(99-(t.year-1), 100))
	case dtkMillennium:
		if t.year > 0 {
			return iv(cdiv(t.year+999, 1000))
		}
		return iv(-cdiv(999-(t.year-1), 1000))
	case dtkJulian:
		jd := DaysFromCivil(t.year, t.mon, t.mday) + 2440588
		secs := ((t.hour*60+t.min)*60 + t.sec)
		f := float64(jd) + (float64(secs)+float64(t.fsec)/1000000.0)/86400.0
		// numeric: jd + (microseconds of the day) / 86400000000, with
		// numeric_div's result scale.
		frac, _ := NumericFromInt(secs*USecsPerSec + t.fsec).Div(NumericFromInt(86400 * USecsPerSec))
		return NumericFromInt(jd).Add(frac), f, nil
	case dtkISOYear:
		y := isoYear(t.year, t.mon, t.mday)
		if y <= 0 {
			y--
		}
		return iv(y)
	case dtkDOW:
		return iv(Weekday(DaysFromCivil(t.year, t.mon, t.mday)))
	case dtkISODOW:
		d := Weekday(DaysFromCivil(t.year, t.mon, t.mday))
		if d == 0 {
			d = 7
		}
		return iv(d)
	case dtkDOY:
		return iv(DaysFromCivil(t.year, t.mon, t.mday) - DaysFromCivil(t.year, 1, 1) + 1)
	case dtkTZ, dtkTZHour, dtkTZMinute:
		if zoneOff == nil {
			return Numeric{}, 0, unitNotSupported(low, typeName)
		}
		off := int64(*zoneOff)
		switch val {
		case dtkTZ:
			return iv(off)
		case dtkTZHour:
			return iv(off / 3600)
		}
		return iv(off / 60 % 60)
	}
	return Numeric{}, 0, unitNotSupported(low, typeName)
}

// errNull marks a NULL result.
var errNull = errf("00000", "null")

// IsNull reports the NULL result marker.
func IsNull(err error) bool { return err == errNull }

// ExtractDate is extract(field FROM date) (extract_date, numeric) and
// date_part (PostgreSQL's SQL function: date_part of the date as a
// timestamp).
func ExtractDate(field string, days int64, float bool) (Numeric, float64, error) {
	if float {
		us := days * USecsPerDay
		switch days {
		case DateInfinity:
			us = TSInfinity
		case DateNegInfinity:
			us = TSNegInfinity
		}
		return ExtractTimestamp(field, us, nil, "timestamp without time zone", true)
	}
	low, kind, val := decodeExtractUnit(field)
	const typeName = "date"
	if (days == DateInfinity || days == DateNegInfinity) && kind != unitNone {
		switch val {
		case dtkDay, dtkMonth, dtkQuarter, dtkWeek, dtkDOW, dtkISODOW, dtkDOY:
			return Numeric{}, 0, errNull
		case dtkYear, dtkDecade, dtkCentury, dtkMillennium, dtkJulian, dtkISOYear, dtkEpoch:
			return infiniteResult(days == DateNegInfinity, false)
		}
		return Numeric{}, 0, unitNotSupported(low, typeName)
	}
	switch kind {
	case unitReserv:
		if val == dtkEpoch {
			return NumericFromInt(days * 86400), float64(days * 86400), nil
		}
		return Numeric{}, 0, unitNotSupported(low, typeName)
	case unitNone:
		return Numeric{}, 0, unitNotRecognized(low, typeName)
	}
	switch val {
	case dtkDay, dtkMonth, dtkQuarter, dtkWeek, dtkYear, dtkDecade, dtkCentury, dtkMillennium, dtkISOYear, dtkDOW, dtkISODOW, dtkDOY:
		return ExtractTimestamp(field, days*USecsPerDay, nil, typeName, false)
	case dtkJulian:
		jd := days + 2440588
		return NumericFromInt(jd), float64(jd), nil
	}
	return Numeric{}, 0, unitNotSupported(low, typeName)
}

// ExtractTime is extract(field FROM time) and date_part (time_part).
func ExtractTime(field string, us int64, float bool) (Numeric, float64, error) {
	const typeName = "time without time zone"
	low, kind, val := decodeExtractUnit(field)
	hour, min := us/USecsPerHour, us/USecsPerMin%60
	sec, fsec := us/USecsPerSec%60, us%USecsPerSec
	iv := func(v int64) (Numeric, float64, error) { return NumericFromInt(v), float64(v), nil }
	switch {
	case kind == unitReserv && val == dtkEpoch:
		return Numeric{Int: big.NewInt(us), Scale: 6}, float64(us) / 1000000.0, nil
	case kind != unitUnits:
		return Numeric{}, 0, unitNotRecognized(low, typeName)
	}
	switch val {
	case dtkMicrosec:
		return NumericFromInt(sec*USecsPerSec + fsec), float64(sec)*1000000.0 + float64(fsec), nil
	case dtkMillisec:
		return Numeric{Int: big.NewInt(sec*USecsPerSec + fsec), Scale: 3}, float64(sec)*1000.0 + float64(fsec)/1000.0, nil
	case dtkSecond:
		return Numeric{Int: big.NewInt(sec*USecsPerSec + fsec), Scale: 6}, float64(sec) + float64(fsec)/1000000.0, nil
	case dtkMinute:
		return iv(min)
	case dtkHour:
		return iv(hour)
	}
	return Numeric{}, 0, unitNotSupported(low, typeName)
}

// ExtractInterval is extract(field FROM interval) and date_part
// (interval_part_common).
func ExtractInterval(field string, v Interval, float bool) (Numeric, float64, error) {
	const typeName = "interval"
	low, kind, val := decodeExtractUnit(field)
	year := int64(v.Months / 12)
	mon := int64(v.Months % 12)
	mday := int64(v.Days)
	t := v.Micros
	hour := t / USecsPerHour
	t -= hour * USecsPerHour
	min := t / USecsPerMin
	t -= min * USecsPerMin
	sec := t / USecsPerSec
	fsec := t - sec*USecsPerSec
	iv := func(x int64) (Numeric, float64, error) { return NumericFromInt(x), float64(x), nil }
	switch {
	case kind == unitReserv && val == dtkEpoch:
		secs := int64(31557600)*(int64(v.Months)/12) + int64(2592000)*(int64(v.Months)%12) + 86400*int64(v.Days)
		n := Numeric{Int: new(big.Int).Add(new(big.Int).Mul(big.NewInt(secs), big.NewInt(USecsPerSec)), big.NewInt(v.Micros)), Scale: 6}
		// date_part's float, in interval_part_common's order of sums.
		f := float64(v.Micros) / 1000000.0
		f += 365.25 * 86400 * float64(v.Months/12)
		f += 30.0 * 86400 * float64(v.Months%12)
		f += 86400.0 * float64(v.Days)
		return n, f, nil
	case kind != unitUnits:
		return Numeric{}, 0, unitNotRecognized(low, typeName)
	}
	switch val {
	case dtkMicrosec:
		return NumericFromInt(sec*USecsPerSec + fsec), float64(sec)*1000000.0 + float64(fsec), nil
	case dtkMillisec:
		return Numeric{Int: big.NewInt(sec*USecsPerSec + fsec), Scale: 3}, float64(sec)*1000.0 + float64(fsec)/1000.0, nil
	case dtkSecond:
		return Numeric{Int: big.NewInt(sec*USecsPerSec + fsec), Scale: 6}, float64(sec) + float64(fsec)/1000000.0, nil
	case dtkMinute:
		return iv(min)
	case dtkHour:
		return iv(hour)
	case dtkDay:
		return iv(mday)
	case dtkMonth:
		return iv(mon)
	case dtkQuarter:
		return iv(mon/3 + 1)
	case dtkYear:
		return iv(year)
	case dtkDecade:
		return iv(year / 10)
	case dtkCentury:
		return iv(year / 100)
	case dtkMillennium:
		return iv(year / 1000)
	}
	return Numeric{}, 0, unitNotSupported(low, typeName)
}

// TruncUnit canonicalizes a date_trunc unit ("days" → "day").
func TruncUnit(u string) (string, bool) {
	switch strings.ToLower(u) {
	case "microseconds", "microsecond", "us", "usec", "usecs", "useconds", "usecond":
		return "microseconds", true
	case "milliseconds", "millisecond", "ms", "msec", "msecs", "mseconds", "msecond":
		return "milliseconds", true
	case "second", "seconds", "sec", "secs", "s":
		return "second", true
	case "minute", "minutes", "min", "mins", "m":
		return "minute", true
	case "hour", "hours", "hr", "hrs", "h":
		return "hour", true
	case "day", "days", "d":
		return "day", true
	case "week", "weeks", "w":
		return "week", true
	case "month", "months", "mon", "mons":
		return "month", true
	case "quarter", "qtr":
		return "quarter", true
	case "year", "years", "yr", "yrs", "y":
		return "year", true
	case "decade", "decades", "dec", "decs":
		return "decade", true
	case "century", "centuries", "cent", "c":
		return "century", true
	case "millennium", "millennia", "mil", "mils":
		return "millennium", true
	}
	return "", false
}

// IntervalTypmod applies interval's field restriction and precision
// (AdjustIntervalForTypmod).
func IntervalTypmod(iv Interval, typmod int32) Interval {
	if typmod < 0 {
		return iv
	}
	fields := int((typmod >> 16) & 0x7fff)
	prec := int(typmod & 0xffff)
	const (
		mMonth  = 1 << 1
		mYear   = 1 << 2
		mDay    = 1 << 3
		mHour   = 1 << 10
		mMinute = 1 << 11
		mSecond = 1 << 12
	)
	switch fields {
	case mYear:
		iv.Months = iv.Months / 12 * 12
		iv.Days, iv.Micros = 0, 0
	case mMonth, mYear | mMonth:
		iv.Days, iv.Micros = 0, 0
	case mDay:
		iv.Micros = 0
	case mHour, mDay | mHour:
		iv.Micros = iv.Micros / USecsPerHour * USecsPerHour
	case mMinute, mHour | mMinute, mDay | mHour | mMinute:
		iv.Micros = iv.Micros / USecsPerMin * USecsPerMin
	}
	if prec != 0xffff && prec < 6 && fields&mSecond != 0 || prec != 0xffff && prec < 6 && fields == 0x7fff {
		scale := int64(math.Pow10(6 - prec))
		off := scale / 2
		if iv.Micros >= 0 {
			iv.Micros = (iv.Micros + off) / scale * scale
		} else {
			iv.Micros = -((-iv.Micros + off) / scale * scale)
		}
	}
	return iv
}

// SeriesNumeric is generate_series over numerics.
func SeriesNumeric(start, stop, step Numeric) ([]Numeric, error) {
	if start.Special == NaN || stop.Special == NaN || step.Special == NaN {
		return nil, errf("22023", "start value cannot be NaN")
	}
	if start.Special != 0 || stop.Special != 0 {
		return nil, errf("22023", "start value cannot be infinity")
	}
	if step.Special != 0 {
		return nil, errf("22023", "step size cannot be infinity")
	}
	if step.Int.Sign() == 0 {
		return nil, errf("22023", "step size cannot equal zero")
	}
	var out []Numeric
	cur := start
	for (step.Int.Sign() > 0 && cur.Cmp(stop) <= 0) || (step.Int.Sign() < 0 && cur.Cmp(stop) >= 0) {
		out = append(out, cur)
		if len(out) > 10_000_000 {
			return nil, errf("54000", "generate_series would return more than 10000000 rows in Hotdata's cache engine")
		}
		cur = cur.Add(step)
	}
	return out, nil
}
