package mysql

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Binlog values.
//
// go-mysql decodes a row event's values by their binlog type: integers
// as signed Go integers of the column's width, BIT, ENUM and SET as
// int64 (bits, a 1-based label index, a label bit mask), decimals,
// dates and times as MySQL prints them, strings and blobs in the
// column's own character set, TIMESTAMP in UTC. A valueConv turns each
// into the text protocol's form of the value, which the column's scan
// decoder (decode.go) reads: a change and a scan of the same row give
// the same cached value.

// valueConv turns a column's binlog values into their text form.
type valueConv struct {
	k        kind
	dataType string
	held     bool // the column is cached as MySQL's text of its values
	width    uint // integers: bits
	unsigned bool
	labels   []string // ENUM and SET
	latin1   bool     // strings in latin1 (MySQL's cp1252)
	padTo    int      // BINARY(n): n
	fsp      int      // TIME, DATETIME, TIMESTAMP: fractional digits
}

func newValueConv(c column, held bool) valueConv {
	v := valueConv{k: kindOf(c), dataType: c.dataType, held: held, unsigned: strings.Contains(strings.ToLower(c.colType), "unsigned")}
	switch c.dataType {
	case "tinyint", "bool", "boolean":
		v.width = 8
	case "smallint":
		v.width = 16
	case "mediumint":
		v.width = 24
	case "int", "integer":
		v.width = 32
	case "bigint":
		v.width = 64
	case "enum", "set":
		v.labels = typeLabels(c.colType)
	case "binary":
		v.padTo = typeLength(c.colType)
	case "time", "datetime", "timestamp":
		v.fsp = typeLength(c.colType)
	}
	v.latin1 = c.charset == "latin1"
	return v
}

// text is the value's text form.
func (v *valueConv) text(x any) ([]byte, error) {
	switch n := x.(type) {
	case int8:
		return v.integer(int64(n)), nil
	case int16:
		return v.integer(int64(n)), nil
	case int32:
		return v.integer(int64(n)), nil
	case int:
		return strconv.AppendInt(nil, int64(n), 10), nil // YEAR
	case int64:
		switch v.dataType {
		case "enum":
			if n == 0 {
				return []byte{}, nil // the error value ''
			}
			if n < 0 || int(n) > len(v.labels) {
				return nil, fmt.Errorf("%w: ENUM index %d of %d labels", errSyntax, n, len(v.labels))
			}
			return []byte(v.labels[n-1]), nil
		case "set":
			var parts []string
			for i, l := range v.labels {
				if n&(1<<i) != 0 {
					parts = append(parts, l)
				}
			}
			return []byte(strings.Join(parts, ",")), nil
		case "bit":
			if v.held {
				return strconv.AppendUint(nil, uint64(n), 10), nil
			}
			return binary.BigEndian.AppendUint64(nil, uint64(n)), nil
		}
		return v.integer(n), nil
	case float32:
		return v.float(float64(n)), nil
	case float64:
		return v.float(n), nil
	case string:
		if v.fsp > 0 {
			return withFraction([]byte(n), v.fsp), nil
		}
		return v.str([]byte(n)), nil
	case []byte:
		return v.str(n), nil
	}
	return nil, fmt.Errorf("%w: a binlog value of Go type %T", errSyntax, x)
}

// integer prints a signed binlog integer, reinterpreted as unsigned for
// unsigned columns.
func (v *valueConv) integer(n int64) []byte {
	if v.unsigned {
		u := uint64(n)
		if v.width < 64 {
			u &= 1<<v.width - 1
		}
		return strconv.AppendUint(nil, u, 10)
	}
	return strconv.AppendInt(nil, n, 10)
}

// float prints a float as the scan's text does: the driver parses the
// server's text into a float64 that database/sql prints back with
// strconv's shortest form (float32 values widened exactly).
func (v *valueConv) float(f float64) []byte {
	return strconv.AppendFloat(nil, f, 'g', -1, 64)
}

// withFraction gives a time value the fractional digits its column
// prints (go-mysql leaves them out of a zero fraction).
func withFraction(b []byte, fsp int) []byte {
	if fsp <= 0 {
		return b
	}
	dot := strings.LastIndexByte(string(b), '.')
	if dot < 0 {
		b = append(b, '.')
		dot = len(b) - 1
	}
	for len(b)-dot-1 < fsp {
		b = append(b, '0')
	}
	return b[:dot+1+fsp]
}

// str is a string's text form: CHAR without trailing spaces (as MySQL
// sends it), BINARY(n) padded to n bytes, latin1 as UTF-8.
func (v *valueConv) str(b []byte) []byte {
	if v.k == kindChar {
		b = []byte(strings.TrimRight(string(b), " "))
	}
	if v.latin1 {
		return latin1ToUTF8(b)
	}
	out := append([]byte(nil), b...)
	for len(out) < v.padTo {
		out = append(out, 0)
	}
	return out
}

// cp1252High maps bytes 0x80 to 0x9F of MySQL's latin1 (Windows-1252,
// with its five unassigned bytes kept as the C1 controls).
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range b {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, cp1252High[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}

// typeLabels reads the labels of "enum('a','b')" or "set(…)".
func typeLabels(colType string) []string {
	open := strings.IndexByte(colType, '(')
	if open < 0 {
		return nil
	}
	s := colType[open+1:]
	var out []string
	for {
		s = strings.TrimLeft(s, ", ")
		if !strings.HasPrefix(s, "'") {
			return out
		}
		var sb strings.Builder
		i := 1
		for i < len(s) {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					sb.WriteByte('\'')
					i += 2
					continue
				}
				break
			}
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			sb.WriteByte(s[i])
			i++
		}
		out = append(out, sb.String())
		if i >= len(s) {
			return out
		}
		s = s[i+1:]
	}
}

// typeLength reads n of "binary(n)" or "time(n)" (0 without one).
func typeLength(colType string) int {
	open, end := strings.IndexByte(colType, '('), strings.IndexByte(colType, ')')
	if open < 0 || end < open {
		return 0
	}
	n, _ := strconv.Atoi(colType[open+1 : end])
	return n
}

// realType is a table map column's type, with the real type of the
// STRING columns that hold ENUM and SET.
func realType(tp byte, meta uint16) byte {
	if tp == gomysql.MYSQL_TYPE_STRING && meta >= 256 {
		b0 := byte(meta >> 8)
		if b0&0x30 != 0x30 {
			return b0 | 0x30
		}
		return b0
	}
	return tp
}

// binlogTypeFits reports whether a table map's column type is what the
// upstream column's definition is logged as.
func binlogTypeFits(c column, tp byte, meta uint16) bool {
	rt := realType(tp, meta)
	is := func(ts ...byte) bool {
		for _, t := range ts {
			if rt == t {
				return true
			}
		}
		return false
	}
	switch c.dataType {
	case "tinyint", "bool", "boolean":
		return is(gomysql.MYSQL_TYPE_TINY)
	case "smallint":
		return is(gomysql.MYSQL_TYPE_SHORT)
	case "mediumint":
		return is(gomysql.MYSQL_TYPE_INT24)
	case "int", "integer":
		return is(gomysql.MYSQL_TYPE_LONG)
	case "bigint":
		return is(gomysql.MYSQL_TYPE_LONGLONG)
	case "decimal", "numeric":
		return is(gomysql.MYSQL_TYPE_NEWDECIMAL) && int64(meta>>8) == c.precision && int64(meta&0xff) == max(c.scale, 0)
	case "float":
		return is(gomysql.MYSQL_TYPE_FLOAT)
	case "double", "real", "double precision":
		return is(gomysql.MYSQL_TYPE_DOUBLE)
	case "bit":
		return is(gomysql.MYSQL_TYPE_BIT)
	case "year":
		return is(gomysql.MYSQL_TYPE_YEAR)
	case "date":
		return is(gomysql.MYSQL_TYPE_DATE, gomysql.MYSQL_TYPE_NEWDATE)
	case "datetime":
		return is(gomysql.MYSQL_TYPE_DATETIME, gomysql.MYSQL_TYPE_DATETIME2)
	case "timestamp":
		return is(gomysql.MYSQL_TYPE_TIMESTAMP, gomysql.MYSQL_TYPE_TIMESTAMP2)
	case "time":
		return is(gomysql.MYSQL_TYPE_TIME, gomysql.MYSQL_TYPE_TIME2)
	case "char", "binary":
		return is(gomysql.MYSQL_TYPE_STRING)
	case "enum":
		return is(gomysql.MYSQL_TYPE_ENUM)
	case "set":
		return is(gomysql.MYSQL_TYPE_SET)
	case "varchar", "varbinary":
		return is(gomysql.MYSQL_TYPE_VARCHAR, gomysql.MYSQL_TYPE_VAR_STRING)
	case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob":
		return is(gomysql.MYSQL_TYPE_BLOB)
	}
	return false
}

// streamCharsets are the character sets whose strings a stream turns
// into the text the scan reads (the connection's utf8mb4).
var streamCharsets = map[string]bool{"": true, "utf8mb4": true, "utf8mb3": true, "utf8": true, "ascii": true, "latin1": true, "binary": true}

// streamColumns reads a table's columns and says why its changes
// cannot be streamed: not an InnoDB base table (the first read would
// not be consistent with a log position), or columns whose binlog form
// the stream does not read.
func (c *Connector) streamColumns(ctx context.Context, schema, table string) ([]column, error) {
	var tableType, engine sql.NullString
	err := c.db.QueryRowContext(ctx, `SELECT TABLE_TYPE, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, schema, table).Scan(&tableType, &engine)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("cdc: %s.%s no longer exists upstream", schema, table)
	}
	if err != nil {
		return nil, fmt.Errorf("cdc: %s.%s: %w", schema, table, err)
	}
	unsupported := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s.%s %s; keep it fresh with every or ttl", connectors.ErrCDCUnsupported, schema, table, fmt.Sprintf(format, args...))
	}
	switch {
	case tableType.String != "BASE TABLE":
		return nil, unsupported("is a %s, not a base table", strings.ToLower(tableType.String))
	case !strings.EqualFold(engine.String, "InnoDB"):
		return nil, unsupported("uses the %s engine: a first read consistent with a binlog position needs InnoDB", engine.String)
	}
	// The server applies a foreign key's cascading actions (ON DELETE
	// CASCADE, SET NULL, …) inside the storage engine and leaves them out
	// of the binary log: the child table's rows would change unseen.
	var cascading sql.NullString
	err = c.db.QueryRowContext(ctx, `SELECT MIN(CONSTRAINT_NAME) FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND (DELETE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT') OR UPDATE_RULE IN ('CASCADE', 'SET NULL', 'SET DEFAULT'))`, schema, table).Scan(&cascading)
	if err != nil {
		return nil, fmt.Errorf("cdc: %s.%s: %w", schema, table, err)
	}
	if cascading.Valid {
		return nil, unsupported("has the foreign key %s with a cascading action (ON DELETE/UPDATE CASCADE or SET NULL), whose changes the server leaves out of the binary log", cascading.String)
	}
	mariadb, err := isMariaDB(ctx, c.db)
	if err != nil {
		return nil, fmt.Errorf("cdc: %w", err)
	}
	all, err := readColumns(ctx, c.db, mariadb, []string{schema}, table)
	if err != nil {
		return nil, fmt.Errorf("cdc: columns of %s.%s: %w", schema, table, err)
	}
	cols := all[tableKey{schema, table}]
	if len(cols) == 0 {
		return nil, fmt.Errorf("cdc: %s.%s no longer exists upstream", schema, table)
	}
	for _, col := range cols {
		k := kindOf(col)
		switch {
		case strings.Contains(col.extra, "virtual"):
			return nil, unsupported("has the VIRTUAL generated column %s, which the binary log's rows leave out", col.name)
		case k == kindSpatial:
			return nil, unsupported("has the spatial column %s, which the change stream cannot read", col.name)
		case col.dataType == "json" && !mariadb:
			return nil, unsupported("has the JSON column %s, whose binary log form the change stream does not print as MySQL does", col.name)
		case k == kindOther || !binlogTypeKnown(col):
			return nil, unsupported("has column %s of type %s, which the change stream cannot read", col.name, col.colType)
		case !streamCharsets[col.charset]:
			return nil, unsupported("has column %s in character set %s (the change stream reads utf8mb4, utf8mb3, ascii and latin1)", col.name, col.charset)
		}
	}
	return cols, nil
}

// binlogTypeKnown reports whether binlogTypeFits knows the column's type.
func binlogTypeKnown(c column) bool {
	switch c.dataType {
	case "tinyint", "bool", "boolean", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric",
		"float", "double", "real", "double precision", "bit", "year", "date", "datetime", "timestamp", "time",
		"char", "binary", "enum", "set", "varchar", "varbinary",
		"tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob":
		return true
	}
	return false
}

// bytesBehind is how many bytes of binary log the server has written
// past p, and the server's end position.
func (c *Connector) bytesBehind(ctx context.Context, p binlogPos) (int64, binlogPos, error) {
	logs, err := c.binaryLogs(ctx)
	if err != nil {
		return -1, binlogPos{}, err
	}
	var lag int64
	var end binlogPos
	pi, _ := p.index()
	for _, l := range logs {
		end = binlogPos{file: l.file, pos: uint32(min(l.size, math.MaxUint32))}
		switch fi, _ := end.index(); {
		case fi == pi:
			lag += max(l.size-int64(p.pos), 0)
		case fi > pi:
			lag += l.size
		}
	}
	return lag, end, nil
}
