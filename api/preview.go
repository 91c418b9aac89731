package api

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/wire"
	"github.com/hotdata-dev/hotdata/workspace"
)

// previewSink keeps the first rows of a result as JSON values.
type previewSink struct {
	max       int
	columns   []string
	nullable  []bool
	rows      [][]any
	truncated bool
	oids      []uint32
}

var _ workspace.Sink = (*previewSink)(nil)

func newPreviewSink(max int) *previewSink { return &previewSink{max: max} }

func (p *previewSink) Describe(schema *arrow.Schema) error {
	p.columns = make([]string, schema.NumFields())
	p.nullable = make([]bool, schema.NumFields())
	for i, f := range schema.Fields() {
		p.columns[i], p.nullable[i] = f.Name, f.Nullable
	}
	p.rows = [][]any{}
	return nil
}

func (p *previewSink) Write(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	room := p.max - len(p.rows)
	if n > room {
		p.truncated = true
		n = room
	}
	if n <= 0 {
		return nil
	}
	conv := make([]jsonValue, rec.NumCols())
	for i := range conv {
		conv[i] = jsonValueFor(rec.Column(i))
	}
	for r := 0; r < n; r++ {
		row := make([]any, len(conv))
		for c, f := range conv {
			if rec.Column(c).IsNull(r) {
				continue
			}
			row[c] = f(r)
		}
		p.rows = append(p.rows, row)
	}
	return nil
}

// DescribeFields and WriteRow take rows of a live query, as PostgreSQL
// text values: numbers and booleans become JSON numbers and booleans.
func (p *previewSink) DescribeFields(fields []pgproto3.FieldDescription) error {
	p.columns = make([]string, len(fields))
	p.nullable = make([]bool, len(fields))
	p.oids = make([]uint32, len(fields))
	for i, f := range fields {
		p.columns[i], p.nullable[i], p.oids[i] = string(f.Name), true, f.DataTypeOID
	}
	p.rows = [][]any{}
	return nil
}

func (p *previewSink) WriteRow(values [][]byte) error {
	if len(p.rows) >= p.max {
		p.truncated = true
		return nil
	}
	row := make([]any, len(values))
	for i, v := range values {
		if v != nil {
			row[i] = textJSON(p.oids[i], string(v))
		}
	}
	p.rows = append(p.rows, row)
	return nil
}

func (p *previewSink) ResultFormats() []int16 { return nil }

func (p *previewSink) CopyOut(wire.CopyFormat, bool, *arrow.Schema) error {
	return pgerr.New(pgerr.FeatureNotSupported, "COPY TO STDOUT needs the PostgreSQL protocol: run it with psql or a driver")
}

func (p *previewSink) Complete(string) error                { return nil }
func (p *previewSink) EmptyQuery() error                    { return nil }
func (p *previewSink) Notice(*pgerr.Error) error            { return nil }
func (p *previewSink) ParameterStatus(string, string) error { return nil }
