package bigquery

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/bigquery"

	"github.com/hotdata-dev/hotdata/connectors"
)

// whereClause renders predicates as " WHERE …" with named query
// parameters typed as their columns (values never enter the SQL text).
func whereClause(preds []connectors.Predicate, byName map[string]*bigquery.FieldSchema) (string, []bigquery.QueryParameter, error) {
	if len(preds) == 0 {
		return "", nil, nil
	}
	var terms []string
	var params []bigquery.QueryParameter
	for i, p := range preds {
		f := byName[p.Column]
		if f == nil {
			return "", nil, fmt.Errorf("bigquery: filter on column %s, which the table does not have", p.Column)
		}
		if !connectors.ValidOp(p.Op) {
			return "", nil, fmt.Errorf("bigquery: filter operator %q", p.Op)
		}
		if f.Repeated || f.Type == bigquery.RecordFieldType || f.Type == bigquery.JSONFieldType || kindOf(f) == kindOther {
			return "", nil, fmt.Errorf("bigquery: column %s of type %s cannot be compared", p.Column, typeName(f))
		}
		v, err := paramValue(f, p.Value)
		if err != nil {
			return "", nil, fmt.Errorf("bigquery: filter on %s: %w", p.Column, err)
		}
		name := "p" + strconv.Itoa(i)
		params = append(params, bigquery.QueryParameter{Name: name, Value: v})
		op := p.Op
		if op == "<>" {
			op = "!="
		}
		terms = append(terms, quoteIdent(f.Name)+" "+op+" @"+name)
	}
	return " WHERE " + strings.Join(terms, " AND "), params, nil
}

// paramValue is v as a parameter of f's type, in BigQuery's canonical
// text for that type.
func paramValue(f *bigquery.FieldSchema, v any) (*bigquery.QueryParameterValue, error) {
	typ := string(f.Type)
	switch f.Type {
	case bigquery.IntegerFieldType:
		typ = "INT64"
	case bigquery.FloatFieldType:
		typ = "FLOAT64"
	case bigquery.BooleanFieldType:
		typ = "BOOL"
	}
	out := &bigquery.QueryParameterValue{Type: bigquery.StandardSQLDataType{TypeKind: typ}}
	var text string
	switch kindOf(f) {
	case kindTimestamp, kindDatetime, kindDate, kindTime:
		t, ok := v.(time.Time)
		if !ok {
			s, err := connectors.ValueText(v)
			if err != nil {
				return nil, err
			}
			text = s
			break
		}
		switch kindOf(f) {
		case kindTimestamp:
			text = t.UTC().Format("2006-01-02 15:04:05.999999+00:00")
		case kindDatetime:
			text = t.UTC().Format("2006-01-02 15:04:05.999999")
		case kindTime:
			text = t.UTC().Format("15:04:05.999999")
		default:
			u := t.UTC()
			if u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
				// Cutting it to its date would change <, <= and >=.
				return nil, fmt.Errorf("DATE column compared with a time of day (%s)", u.Format(time.RFC3339Nano))
			}
			text = u.Format("2006-01-02")
		}
	case kindNumeric, kindBigNum:
		s, err := connectors.ValueText(v)
		if err != nil {
			return nil, err
		}
		if _, ok := new(big.Rat).SetString(s); !ok {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		text = s
	default:
		s, err := connectors.ValueText(v)
		if err != nil {
			return nil, err
		}
		text = s
	}
	out.Value = text
	return out, nil
}
