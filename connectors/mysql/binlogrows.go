package mysql

import (
	"encoding/binary"
	"fmt"
	"reflect"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"
)

// Row events are decoded by go-mysql, with one correction: it builds a
// DATETIME(fsp) value of 1970 or later through time.Date, which rolls an
// invalid date (a zero month or day, or '2021-02-30' under
// ALLOW_INVALID_DATES) over to another day, where the server prints the
// date as stored (and the scan refuses it). decodeRows reads those
// values again from the event's bytes and prints their parts as stored.

// decodeRows is the syncer's RowsEventDecodeFunc.
func decodeRows(e *replication.RowsEvent, data []byte) error {
	pos, err := e.DecodeHeader(data)
	if err != nil {
		return err
	}
	if err := e.DecodeData(pos, data); err != nil {
		return err
	}
	return fixDatetimes(e, data[pos:])
}

// fixDatetimes prints the event's DATETIME2 values from their bytes.
func fixDatetimes(e *replication.RowsEvent, data []byte) error {
	tm := e.Table
	if tm == nil || e.Type() == replication.EnumRowsEventTypeUnknown {
		return nil // partial JSON updates: MySQL JSON, refused anyway
	}
	has := false
	for _, t := range tm.ColumnType {
		has = has || t == gomysql.MYSQL_TYPE_DATETIME2
	}
	if !has {
		return nil
	}
	if f := reflect.ValueOf(e).Elem().FieldByName("compressed"); f.IsValid() && f.Bool() {
		var err error
		if data, err = gomysql.DecompressMariadbData(data); err != nil {
			return err
		}
	}
	update := e.ColumnBitmap2 != nil
	pos := 0
	for r := range e.Rows {
		bitmap := e.ColumnBitmap1
		if update && r%2 == 1 {
			bitmap = e.ColumnBitmap2
		}
		n, err := walkImage(tm, bitmap, data[pos:], func(col int, raw []byte) {
			if tm.ColumnType[col] == gomysql.MYSQL_TYPE_DATETIME2 && e.Rows[r][col] != nil {
				e.Rows[r][col] = datetime2Text(raw, int(tm.ColumnMeta[col]))
			}
		})
		if err != nil {
			return fmt.Errorf("rows of %s.%s: %w", tm.Schema, tm.Table, err)
		}
		pos += n
	}
	return nil
}

// walkImage walks one row image, calling fn with each non-NULL value's
// bytes; it returns the image's length.
func walkImage(tm *replication.TableMapEvent, bitmap, data []byte, fn func(col int, raw []byte)) (int, error) {
	n := int(tm.ColumnCount)
	present := 0
	for i := 0; i < n; i++ {
		if bitSet(bitmap, i) {
			present++
		}
	}
	nulls := (present + 7) / 8
	if len(data) < nulls {
		return 0, fmt.Errorf("a row image shorter than its NULL bitmap")
	}
	nullBitmap, pos, idx := data[:nulls], nulls, 0
	for i := 0; i < n; i++ {
		if !bitSet(bitmap, i) {
			continue
		}
		isNull := bitSet(nullBitmap, idx)
		idx++
		if isNull {
			continue
		}
		size, err := valueSize(tm.ColumnType[i], tm.ColumnMeta[i], data[pos:])
		if err != nil {
			return 0, err
		}
		if pos+size > len(data) {
			return 0, fmt.Errorf("a value past the row image's end")
		}
		fn(i, data[pos:pos+size])
		pos += size
	}
	return pos, nil
}

func bitSet(bitmap []byte, i int) bool {
	return i>>3 < len(bitmap) && bitmap[i>>3]&(1<<(uint(i)&7)) != 0
}

// valueSize is how many bytes a value of a binlog column type takes
// (see go-mysql's RowsEvent.decodeValue, MySQL's log_event_print_value).
func valueSize(tp byte, meta uint16, data []byte) (int, error) {
	length := 0
	if tp == gomysql.MYSQL_TYPE_STRING {
		if meta >= 256 {
			b0, b1 := uint8(meta>>8), uint8(meta&0xff)
			if b0&0x30 != 0x30 {
				length = int(uint16(b1) | uint16((b0&0x30)^0x30)<<4)
				tp = b0 | 0x30
			} else {
				length = int(meta & 0xff)
				tp = b0
			}
		} else {
			length = int(meta)
		}
	}
	prefixed := func(bytes int) (int, error) {
		if len(data) < bytes {
			return 0, fmt.Errorf("a value shorter than its length")
		}
		var l int
		switch bytes {
		case 1:
			l = int(data[0])
		case 2:
			l = int(binary.LittleEndian.Uint16(data))
		case 3:
			l = int(data[0]) | int(data[1])<<8 | int(data[2])<<16
		case 4:
			l = int(binary.LittleEndian.Uint32(data))
		default:
			return 0, fmt.Errorf("a length of %d bytes", bytes)
		}
		return bytes + l, nil
	}
	frac := int(meta+1) / 2
	switch tp {
	case gomysql.MYSQL_TYPE_NULL:
		return 0, nil
	case gomysql.MYSQL_TYPE_TINY, gomysql.MYSQL_TYPE_YEAR:
		return 1, nil
	case gomysql.MYSQL_TYPE_SHORT:
		return 2, nil
	case gomysql.MYSQL_TYPE_INT24, gomysql.MYSQL_TYPE_DATE, gomysql.MYSQL_TYPE_TIME:
		return 3, nil
	case gomysql.MYSQL_TYPE_LONG, gomysql.MYSQL_TYPE_FLOAT, gomysql.MYSQL_TYPE_TIMESTAMP:
		return 4, nil
	case gomysql.MYSQL_TYPE_LONGLONG, gomysql.MYSQL_TYPE_DOUBLE, gomysql.MYSQL_TYPE_DATETIME:
		return 8, nil
	case gomysql.MYSQL_TYPE_TIMESTAMP2:
		return 4 + frac, nil
	case gomysql.MYSQL_TYPE_DATETIME2:
		return 5 + frac, nil
	case gomysql.MYSQL_TYPE_TIME2:
		return 3 + frac, nil
	case gomysql.MYSQL_TYPE_NEWDECIMAL:
		return decimalSize(int(meta>>8), int(meta&0xff)), nil
	case gomysql.MYSQL_TYPE_BIT:
		return (int(meta>>8)*8 + int(meta&0xff) + 7) / 8, nil
	case gomysql.MYSQL_TYPE_ENUM, gomysql.MYSQL_TYPE_SET:
		return int(meta & 0xff), nil
	case gomysql.MYSQL_TYPE_BLOB, gomysql.MYSQL_TYPE_GEOMETRY, gomysql.MYSQL_TYPE_JSON, gomysql.MYSQL_TYPE_VECTOR:
		return prefixed(int(meta))
	case gomysql.MYSQL_TYPE_VARCHAR, gomysql.MYSQL_TYPE_VAR_STRING:
		if meta < 256 {
			return prefixed(1)
		}
		return prefixed(2)
	case gomysql.MYSQL_TYPE_STRING:
		if length < 256 {
			return prefixed(1)
		}
		return prefixed(2)
	}
	return 0, fmt.Errorf("binlog column type %d", tp)
}

// decimalSize is the bytes of a binary DECIMAL(precision, scale).
func decimalSize(precision, scale int) int {
	compressed := [...]int{0, 1, 1, 2, 2, 3, 3, 4, 4, 4}
	integral := precision - scale
	return integral/9*4 + compressed[integral%9] + scale/9*4 + compressed[scale%9]
}

// datetime2Text prints a DATETIME2 value's parts as stored.
func datetime2Text(raw []byte, dec int) string {
	intPart := int64(bigEndian(raw[:5])) - 0x8000000000
	var frac int64
	switch dec {
	case 1, 2:
		frac = int64(raw[5]) * 10000
	case 3, 4:
		frac = int64(binary.BigEndian.Uint16(raw[5:7])) * 100
	case 5, 6:
		frac = int64(bigEndian(raw[5:8]))
	}
	tmp := intPart<<24 + frac
	if tmp < 0 {
		tmp = -tmp
	}
	ymdhms := tmp >> 24
	ymd, hms := ymdhms>>17, ymdhms%(1<<17)
	ym := ymd >> 5
	s := fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", ym/13, ym%13, ymd%(1<<5), hms>>12, (hms>>6)%(1<<6), hms%(1<<6))
	if dec > 0 {
		s += fmt.Sprintf(".%06d", frac)[:1+dec]
	}
	return s
}

func bigEndian(b []byte) uint64 {
	var n uint64
	for _, c := range b {
		n = n<<8 | uint64(c)
	}
	return n
}
