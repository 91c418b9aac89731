package pgval

import (
	"time"
)

// The input functions of date, time, timestamp and timestamptz (date_in,
// time_in, timestamp_in, timestamptz_in) on top of the port of
// ParseDateTime and DecodeDateTime in dtparse.go.

// Clock is what the special words now, today, … read.
type Clock func() time.Time

// noClock is the error for now, today, … where no clock is given.
func noClock(word string) error {
	return errf("0A000", "\"%s\" is not supported here", word)
}

// decodeInput runs ParseDateTime and DecodeDateTime (or DecodeTimeOnly).
func decodeInput(s string, buflen int, st Style, now Clock, timeOnly bool, typeName string) (int, *dtTM, error) {
	loc := st.Loc
	if loc == nil {
		loc = time.UTC
	}
	ctx := &dtContext{order: st.DateOrder, loc: loc, now: now}
	fields, ftypes, dterr := parseDateTime(s, buflen)
	tm := &dtTM{isdst: -1}
	var dtype int
	if dterr == 0 {
		if timeOnly {
			dtype, dterr = decodeTimeOnly(fields, ftypes, ctx, tm)
		} else {
			dtype, dterr = decodeDateTime(fields, ftypes, ctx, tm)
		}
	}
	if ctx.noNow != "" {
		return 0, nil, noClock(ctx.noNow)
	}
	if dterr != 0 {
		return 0, nil, dateTimeParseError(dterr, s, typeName, tm)
	}
	return dtype, tm, nil
}

// ParseDate is date_in: days since 1970-01-01 (DateInfinity and
// DateNegInfinity for the infinities).
func ParseDate(s string, st Style, now Clock) (int64, error) {
	dtype, tm, err := decodeInput(s, bufDate, st, now, false, "date")
	if err != nil {
		return 0, err
	}
	switch dtype {
	case dtkDate:
	case dtkEpoch:
		return 0, nil
	case dtkLate:
		return DateInfinity, nil
	case dtkEarly:
		return DateNegInfinity, nil
	default:
		return 0, dateTimeParseError(dterrBadFormat, s, "date", nil)
	}
	if !isValidJulian(tm.year, tm.mon, tm.mday) {
		return 0, errf("22008", "date out of range: \"%s\"", s)
	}
	d := jdate(tm.year, tm.mon, tm.mday) - postgresEpochJDate
	if d < -postgresEpochJDate || d >= dateEndJulian-postgresEpochJDate {
		return 0, errf("22008", "date out of range: \"%s\"", s)
	}
	return d + postgresEpochJDate - unixEpochJDate, nil
}

// ParseTimestamp is timestamp_in: microseconds since 1970-01-01 (a zone
// in the input is read and ignored, as PostgreSQL does).
func ParseTimestamp(s string, st Style, now Clock) (int64, error) {
	return parseTS(s, st, now, false)
}

// ParseTimestamptz is timestamptz_in: the instant, in microseconds
// since 1970-01-01 UTC; a time without a zone is in the session's zone.
func ParseTimestamptz(s string, st Style, now Clock) (int64, error) {
	return parseTS(s, st, now, true)
}

func parseTS(s string, st Style, now Clock, withZone bool) (int64, error) {
	typeName := "timestamp"
	if withZone {
		typeName = "timestamp with time zone"
	}
	dtype, tm, err := decodeInput(s, bufTimestamp, st, now, false, typeName)
	if err != nil {
		return 0, err
	}
	switch dtype {
	case dtkDate:
		var tz *int
		if withZone {
			tz = &tm.tz
		}
		us, ok, err := tm2timestamp(tm, tz)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, errf("22008", "timestamp out of range: \"%s\"", s)
		}
		return us, nil
	case dtkEpoch:
		return 0, nil
	case dtkLate:
		return TSInfinity, nil
	case dtkEarly:
		return TSNegInfinity, nil
	}
	return 0, dateTimeParseError(dterrBadFormat, s, typeName, nil)
}

// ParseTime is time_in: microseconds since midnight. 'now' is refused.
func ParseTime(s string) (int64, error) {
	return ParseTimeIn(s, DefaultStyle, nil)
}

// ParseTimeIn is time_in in a session (DateStyle for a date in the
// input, the clock for 'now').
func ParseTimeIn(s string, st Style, now Clock) (int64, error) {
	_, tm, err := decodeInput(s, bufDate, st, now, true, "time")
	if err != nil {
		return 0, err
	}
	return ((tm.hour*60+tm.min)*60+tm.sec)*USecsPerSec + tm.fsec, nil
}

// localToUTC converts a wall-clock time in loc to an instant as
// PostgreSQL's DetermineTimeZoneOffset does: a time that a transition
// skips (spring forward) takes the offset before it, one it repeats
// (fall back) the offset after it.
func localToUTC(local int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return local
	}
	secs, us := floorDivMod(local, USecsPerSec)
	off, _ := localSecsOffset(secs, loc)
	return (secs-int64(off))*USecsPerSec + us
}
