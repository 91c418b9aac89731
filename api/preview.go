package api

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/workspace"
)

// previewSink keeps the first rows of a result as JSON values.
type previewSink struct {
	max       int
	columns   []string
	nullable  []bool
	rows      [][]any
	truncated bool
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

func (p *previewSink) Complete(string) error                { return nil }
func (p *previewSink) EmptyQuery() error                    { return nil }
func (p *previewSink) Notice(*pgerr.Error) error            { return nil }
func (p *previewSink) ParameterStatus(string, string) error { return nil }
