package pgfunc

import (
	"errors"
	"fmt"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// Functions returns every engine function and macro the planner's SQL
// may call.
func Functions() *engine.Functions {
	var fs []engine.ScalarFunc
	fs = append(fs, numericFuncs()...)
	fs = append(fs, degreeFuncs()...)
	fs = append(fs, timeFuncs()...)
	fs = append(fs, textFuncs()...)
	fs = append(fs, regexFuncs()...)
	fs = append(fs, jsonFuncs()...)
	fs = append(fs, ioFuncs()...)
	fs = append(fs, aggFuncs()...)
	fs = append(fs, toFmtFuncs()...)
	fs = append(fs, byteaFuncs()...)
	fs = append(fs, netTypeFuncs()...)
	return &engine.Functions{Scalars: fs, Macros: append(append([]string(nil), macros...), lateMacros...)}
}

func fn(name string, args []string, ret string, row func(a []any) (any, error)) engine.ScalarFunc {
	return engine.ScalarFunc{Name: name, Args: args, Returns: ret, Row: row}
}

// fail reports a PostgreSQL error through the engine: "HD" + SQLSTATE +
// ":" + message, then detail and hint after \x1f.
func fail(err error) error {
	if err == nil {
		return nil
	}
	e := pgerr.As(err)
	if e == nil {
		return fmt.Errorf("HDXX000:%v", err)
	}
	msg := "HD" + e.Code + ":" + e.Message
	if e.Detail != "" || e.Hint != "" {
		msg += "\x1f" + e.Detail + "\x1f" + e.Hint
	}
	return errors.New(msg)
}

func failf(code, format string, args ...any) error {
	return fail(pgerr.New(code, format, args...))
}

// style decodes the session style argument.
func style(v any) pgval.Style {
	s, _ := v.(string)
	return pgval.DecodeStyle(s)
}

func str(v any) string { s, _ := v.(string); return s }

func i64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

func f64(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}

func ivl(v any) pgval.Interval {
	iv := v.(engine.Interval)
	return pgval.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros}
}

func toEngineIV(iv pgval.Interval) engine.Interval {
	return engine.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros}
}
