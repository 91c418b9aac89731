package wire

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hotdata-dev/hotdata/pgval"
)

// TextEncoder returns what appends the PostgreSQL text form of row i of
// column a (not NULL) of field f to dst: what a DataRow in text format
// carries and COPY writes (character(n) padded, as f's MetaPGType
// declares it), timestamptz values shown in loc (the session's TimeZone;
// nil is UTC). For other encoders of results, such as REST's CSV.
func TextEncoder(f arrow.Field, a arrow.Array, loc *time.Location) func(dst []byte, i int) []byte {
	st := pgval.DefaultStyle
	if loc != nil {
		st.Loc = loc
	}
	return textEncoderForType(a, fieldType(f), encodeOpts{style: st})
}

// AppendCSV appends a non-NULL value as COPY … CSV writes a field:
// quoted when empty (NULL is the empty field) or holding a comma, a
// quote or a line break.
func AppendCSV(dst, v []byte) []byte { return appendCSV(dst, v) }
