package cache

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// An incremental sync's lookback reads again the rows a little below its
// watermark, for rows committed late with a lower value (a transaction
// that took a sequence value early and committed after a later one, an
// updated_at set before a slow commit). Their keys merge: rows read again
// replace themselves.

// CheckLookback validates a lookback for a column of the upstream type
// dataType: a duration ("10m", "1d") for date and time columns, a
// non-negative number for numeric ones.
func CheckLookback(dataType, lookback string) error {
	dt := strings.ToLower(dataType)
	switch {
	case strings.Contains(dt, "time") || strings.Contains(dt, "date"):
		if _, err := parseDuration(lookback); err != nil {
			return fmt.Errorf("%q: a %s column takes a duration such as 10m or 1d", lookback, dataType)
		}
		return nil
	case isNumericType(dt):
		r, ok := new(big.Rat).SetString(lookback)
		if !ok || r.Sign() < 0 {
			return fmt.Errorf("%q: a %s column takes a non-negative number such as 1000", lookback, dataType)
		}
		return nil
	}
	return fmt.Errorf("a %s column has no distance to look back by: use a number, date or timestamp column", dataType)
}

func isNumericType(dt string) bool {
	for _, p := range []string{"int", "serial", "numeric", "decimal", "float", "double", "real"} {
		if strings.Contains(dt, p) {
			return true
		}
	}
	return false
}

// lookbackFilter is the value an incremental sync reads past: the
// watermark's value less the lookback.
func lookbackFilter(watermark, lookback string) (any, error) {
	v, err := watermarkValue(watermark)
	if err != nil || lookback == "" {
		return v, err
	}
	switch x := v.(type) {
	case int64:
		n, err := strconv.ParseInt(lookback, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(lookback, 64)
			if ferr != nil {
				return nil, fmt.Errorf("lookback %q: %w", lookback, err)
			}
			n = int64(f)
		}
		return x - n, nil
	case float64:
		f, err := strconv.ParseFloat(lookback, 64)
		if err != nil {
			return nil, fmt.Errorf("lookback %q: %w", lookback, err)
		}
		return x - f, nil
	case time.Time:
		d, err := parseDuration(lookback)
		if err != nil {
			return nil, fmt.Errorf("lookback %q: %w", lookback, err)
		}
		return x.Add(-d), nil
	case string:
		tag, _, _ := strings.Cut(watermark, ":")
		if tag != "d" && tag != "u" {
			return nil, fmt.Errorf("lookback %q: the incremental column has no distance to look back by", lookback)
		}
		a, ok1 := new(big.Rat).SetString(x)
		b, ok2 := new(big.Rat).SetString(lookback)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("lookback %q on %q: not numbers", lookback, x)
		}
		return a.Sub(a, b).FloatString(decimals(x)), nil
	}
	return v, nil
}

// decimals counts the digits after a decimal text's point.
func decimals(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}
