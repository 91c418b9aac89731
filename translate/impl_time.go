package translate

import "github.com/hotdata-dev/hotdata/pgval"

// Date and time functions. The session's TimeZone reaches them as the
// $tz marker; the engine's own time zone is always UTC.

// dateTrunc renders date_trunc(unit, x) for a timestamp (local) or a
// timestamptz (in a zone).
func dateTrunc(withZone, explicitZone bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		unit, ok := c.ConstArg(0)
		var u string
		if ok {
			typ := "timestamp without time zone"
			if withZone {
				typ = "timestamp with time zone"
			}
			var err error
			if u, err = pgval.TruncUnitName(unit, typ); err != nil {
				return "", err
			}
		}
		unitSQL := sqlString(u)
		if !ok {
			unitSQL = "lower(" + c.Args[0] + ")"
		}
		if !withZone {
			return "hd_date_trunc(" + unitSQL + ", " + c.Args[1] + ")", nil
		}
		tz := Marker("timezone")
		if explicitZone {
			// timestamptz_trunc_zone reads the zone as AT TIME ZONE does:
			// abbreviations first, then zone names.
			tz = "hd_at_zone(" + c.Args[2] + ")"
		}
		return "hd_date_trunc_tstz(" + unitSQL + ", " + c.Args[1] + ", " + tz + ")", nil
	}}
}

// extract renders extract(field FROM x) (numeric) or date_part (float8).
func extractImpl(kind string, float bool) *Impl {
	return &Impl{Build: func(c *Call) (string, error) {
		fn := "hd_extract"
		if float {
			fn = "hd_date_part"
		}
		arg := c.Args[1]
		switch kind {
		case "timestamptz":
			return fn + "_tstz(lower(" + c.Args[0] + "), " + arg + ", " + Marker("timezone") + ")", nil
		default:
			return fn + "_" + kind + "(lower(" + c.Args[0] + "), " + arg + ")", nil
		}
	}}
}

func init() {
	m := map[string]*Impl{}
	add := func(key string, impl *Impl) { m[key] = impl }
	s := func(key, sql string) { m[key] = &Impl{SQL: sql} }
	now := "CAST(" + SessionMarker("now") + " AS TIMESTAMPTZ)"
	add("now()", &Impl{SQL: now, Volatile: true})
	add("transaction_timestamp()", &Impl{SQL: now, Volatile: true})
	add("statement_timestamp()", &Impl{SQL: "CAST(" + SessionMarker("statement_now") + " AS TIMESTAMPTZ)", Volatile: true})
	add("clock_timestamp()", &Impl{SQL: "CAST(" + SessionMarker("statement_now") + " AS TIMESTAMPTZ)", Volatile: true})
	add("date_trunc(text,timestamp)", dateTrunc(false, false))
	add("date_trunc(text,timestamptz)", dateTrunc(true, false))
	add("date_trunc(text,timestamptz,text)", dateTrunc(true, true))
	s("date_trunc(text,interval)", "hd_date_trunc_interval(lower($1), $2)")
	for _, k := range []string{"date", "time", "timestamp", "timestamptz", "interval"} {
		add("date_part(text,"+k+")", extractImpl(k, true))
	}
	add("extract(text,date)", &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		return "hd_extract_date(lower(" + c.Args[0] + "), " + c.Args[1] + ")", nil
	}})
	for _, k := range []string{"time", "timestamp", "interval"} {
		k := k
		add("extract(text,"+k+")", &Impl{Build: func(c *Call) (string, error) {
			c.num = numText
			return "hd_extract_" + k + "(lower(" + c.Args[0] + "), " + c.Args[1] + ")", nil
		}})
	}
	add("extract(text,timestamptz)", &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		return "hd_extract_tstz(lower(" + c.Args[0] + "), " + c.Args[1] + ", " + Marker("timezone") + ")", nil
	}})
	s("age(timestamp,timestamp)", "hd_age($1, $2)")
	s("age(timestamptz,timestamptz)", "hd_age_tstz($1, $2, $tz)")
	add("age(timestamp)", &Impl{SQL: "hd_age(CAST(timezone($tz, CAST(" + SessionMarker("now") + " AS TIMESTAMPTZ)) AS DATE), $1)", Volatile: true})
	add("age(timestamptz)", &Impl{SQL: "hd_age_tstz(hd_local_to_tstz(CAST(CAST(hd_tstz_to_local(CAST(" + SessionMarker("now") + " AS TIMESTAMPTZ), $tz) AS DATE) AS TIMESTAMP), $tz), $1, $tz)", Volatile: true})
	s("make_date(int4,int4,int4)", "hd_make_date($1, $2, $3)")
	s("make_time(int4,int4,float8)", "hd_make_time($1, $2, $3)")
	s("make_timestamp(int4,int4,int4,int4,int4,float8)", "hd_make_timestamp($1, $2, $3, $4, $5, $6)")
	s("make_timestamptz(int4,int4,int4,int4,int4,float8)", "hd_local_to_tstz(hd_make_timestamp($1, $2, $3, $4, $5, $6), $tz)")
	// make_timestamptz reads its zone as parse_sane_timezone does: a
	// numeric zone is ISO-signed there ('+05' is five hours east).
	s("make_timestamptz(int4,int4,int4,int4,int4,float8,text)", "hd_local_to_tstz(hd_make_timestamp($1, $2, $3, $4, $5, $6), hd_sane_zone($7))")
	s("make_interval(int4,int4,int4,int4,int4,int4,float8)", "hd_make_interval($1, $2, $3, $4, $5, $6, $7)")
	s("justify_days(interval)", "hd_justify_days($1)")
	s("justify_hours(interval)", "hd_justify_hours($1)")
	s("justify_interval(interval)", "hd_justify_interval($1)")
	s("isfinite(date)", "isfinite($1)")
	s("isfinite(timestamp)", "isfinite($1)")
	s("isfinite(timestamptz)", "isfinite($1)")
	s("isfinite(interval)", "($1 IS NOT NULL OR NULL)")
	s("timezone(text,timestamp)", "hd_local_to_tstz($2, hd_at_zone($1))")
	s("timezone(text,timestamptz)", "hd_tstz_to_local($2, hd_at_zone($1))")
	s("timezone(interval,timestamp)", "hd_local_to_tstz($2, hd_interval_zone($1))")
	s("timezone(interval,timestamptz)", "hd_tstz_to_local($2, hd_interval_zone($1))")
	s("to_timestamp(float8)", "hd_to_timestamp($1)")
	s("to_char(timestamp,text)", "hd_to_char_ts($1, $2)")
	s("to_char(timestamptz,text)", "hd_to_char_tstz($1, $2, $tz)")
	s("to_char(interval,text)", "hd_to_char_interval($1, $2)")
	s("to_char(int4,text)", "hd_to_char_int(CAST($1 AS BIGINT), $2, 32)")
	s("to_char(int8,text)", "hd_to_char_int(CAST($1 AS BIGINT), $2, 64)")
	s("to_char(float4,text)", "hd_to_char_float($1, $2, 32)")
	s("to_char(float8,text)", "hd_to_char_float($1, $2, 64)")
	add("to_char(numeric,text)", &Impl{Build: func(c *Call) (string, error) {
		return "hd_to_char_num(" + textNum(c.args[0]) + ", " + c.Args[1] + ")", nil
	}})
	s("to_date(text,text)", "hd_to_date($1, $2)")
	s("to_timestamp(text,text)", "hd_to_timestamp_fmt($1, $2, $tz)")
	add("to_number(text,text)", &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		return "hd_to_number(" + c.Args[0] + ", " + c.Args[1] + ")", nil
	}})
	s("date_bin(interval,timestamp,timestamp)", "hd_date_bin($1, $2, $3)")
	s("date_bin(interval,timestamptz,timestamptz)", "hd_date_bin_tstz($1, $2, $3)")
	// generate_series.
	srf := func(key, list string) {
		add(key, &Impl{Build: func(c *Call) (string, error) {
			c.srfList = expand(list, c.Args)
			return "unnest(" + c.srfList + ")", nil
		}})
	}
	srf("generate_series(int4,int4)", "hd_series_int4($1, $2, 1)")
	srf("generate_series(int4,int4,int4)", "hd_series_int4($1, $2, $3)")
	srf("generate_series(int8,int8)", "hd_series_int8($1, $2, 1)")
	srf("generate_series(int8,int8,int8)", "hd_series_int8($1, $2, $3)")
	srf("generate_series(timestamp,timestamp,interval)", "hd_series_ts($1, $2, $3)")
	srf("generate_series(timestamptz,timestamptz,interval)", "hd_series_tstz($1, $2, $3, $tz)")
	add("generate_series(numeric,numeric)", &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		c.srfList = "hd_series_num(" + textNum(c.args[0]) + ", " + textNum(c.args[1]) + ", '1')"
		return "unnest(" + c.srfList + ")", nil
	}})
	add("generate_series(numeric,numeric,numeric)", &Impl{Build: func(c *Call) (string, error) {
		c.num = numText
		c.srfList = "hd_series_num(" + textNum(c.args[0]) + ", " + textNum(c.args[1]) + ", " + textNum(c.args[2]) + ")"
		return "unnest(" + c.srfList + ")", nil
	}})
	register(m)
}
