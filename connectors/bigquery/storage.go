package bigquery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"cloud.google.com/go/bigquery"
	bqstorage "cloud.google.com/go/bigquery/storage/apiv1"
	"cloud.google.com/go/bigquery/storage/apiv1/storagepb"
	"cloud.google.com/go/civil"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/api/iterator"
)

// rowSource yields a read's rows as the client library decodes them
// (bigquery.RowIterator, or storageRows).
type rowSource interface {
	Next(dst any) error
}

// storageRows reads a table over the Storage Read API: one read session
// selecting the columns (in the order of fields), its streams read one
// after the other, each Arrow record batch decoded row by row.
type storageRows struct {
	ctx     context.Context
	client  *bqstorage.BigQueryReadClient
	streams []string
	next    int // the next stream to open
	rows    storagepb.BigQueryRead_ReadRowsClient
	// schema is the session's serialized Arrow schema; fields are the
	// columns as the caller wants them, index their place in a batch.
	schema []byte
	fields []*bigquery.FieldSchema
	index  []int
	rec    arrow.RecordBatch
	row    int
}

// openStorage creates a read session of the table's fields.
func (c *Connector) openStorage(ctx context.Context, dataset, table string, fields []*bigquery.FieldSchema) (*storageRows, error) {
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	req := &storagepb.CreateReadSessionRequest{
		Parent: "projects/" + c.cfg.ProjectID,
		ReadSession: &storagepb.ReadSession{
			Table:       fmt.Sprintf("projects/%s/datasets/%s/tables/%s", c.cfg.DataProject, dataset, table),
			DataFormat:  storagepb.DataFormat_ARROW,
			ReadOptions: &storagepb.ReadSession_TableReadOptions{SelectedFields: names},
		},
		// One stream reads the table in order; more would be read one
		// after the other anyway.
		MaxStreamCount: 1,
	}
	// The client retries a failing session until its context ends.
	sctx, cancel := context.WithTimeout(ctx, storageStart)
	defer cancel()
	session, err := c.storageRead.CreateReadSession(sctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("creating a read session: %w", err)
	}
	r := &storageRows{ctx: ctx, client: c.storageRead, fields: fields, schema: session.GetArrowSchema().GetSerializedSchema()}
	for _, st := range session.GetStreams() {
		r.streams = append(r.streams, st.GetName())
	}
	// Where each field is in a batch: BigQuery returns the selected
	// fields in the table's order.
	sch, err := ipc.NewReader(bytes.NewReader(r.schema), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return nil, fmt.Errorf("the read session's Arrow schema: %w", err)
	}
	defer sch.Release()
	at := map[string]int{}
	for i, f := range sch.Schema().Fields() {
		at[f.Name] = i
	}
	for _, f := range fields {
		i, ok := at[f.Name]
		if !ok {
			return nil, fmt.Errorf("the read session has no column %s", f.Name)
		}
		r.index = append(r.index, i)
	}
	return r, nil
}

// Next decodes the next row into dst (a *[]bigquery.Value, in the order
// of fields); iterator.Done after the last.
func (r *storageRows) Next(dst any) error {
	for r.rec == nil || r.row >= int(r.rec.NumRows()) {
		if err := r.nextBatch(); err != nil {
			return err
		}
	}
	row := make([]bigquery.Value, len(r.fields))
	for j, f := range r.fields {
		v, err := arrowValue(r.rec.Column(r.index[j]), r.row, f)
		if err != nil {
			return err
		}
		row[j] = v
	}
	r.row++
	*dst.(*[]bigquery.Value) = row
	return nil
}

// nextBatch reads the next record batch, opening the next stream when
// one ends.
func (r *storageRows) nextBatch() error {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	for {
		if r.rows == nil {
			if r.next >= len(r.streams) {
				return iterator.Done
			}
			rows, err := r.client.ReadRows(r.ctx, &storagepb.ReadRowsRequest{ReadStream: r.streams[r.next]})
			if err != nil {
				return fmt.Errorf("reading stream %d: %w", r.next, err)
			}
			r.rows, r.next = rows, r.next+1
		}
		resp, err := r.rows.Recv()
		if errors.Is(err, io.EOF) {
			r.rows = nil
			continue
		}
		if err != nil {
			if r.ctx.Err() != nil {
				return r.ctx.Err()
			}
			return fmt.Errorf("reading rows: %w", err)
		}
		batch := resp.GetArrowRecordBatch().GetSerializedRecordBatch()
		if len(batch) == 0 {
			continue
		}
		// BigQuery sends record batch messages alone, to be read after
		// the session's schema; an emulator sends whole IPC streams.
		rd, err := ipc.NewReader(bytes.NewReader(batch))
		if err != nil {
			rd, err = ipc.NewReader(io.MultiReader(bytes.NewReader(r.schema), bytes.NewReader(batch)))
		}
		if err != nil {
			return fmt.Errorf("decoding a record batch: %w", err)
		}
		if !rd.Next() {
			err := rd.Err()
			rd.Release()
			if err == nil {
				err = errors.New("empty message")
			}
			return fmt.Errorf("decoding a record batch: %w", err)
		}
		rec := rd.RecordBatch()
		rec.Retain()
		rd.Release()
		if n := resp.GetRowCount(); n != rec.NumRows() {
			rec.Release()
			return fmt.Errorf("a message of the read stream says it holds %d rows, its record batch has %d", n, rec.NumRows())
		}
		r.rec, r.row = rec, 0
		return nil
	}
}

// close releases the current batch.
func (r *storageRows) close() {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
}

// arrowValue is a cell of a Storage Read API batch as the client
// library would decode it from REST (int64, float64, *big.Rat, string,
// []byte, bool, civil.Date, civil.DateTime, civil.Time, time.Time,
// []Value), so that one decoder serves both paths. An Arrow type the
// field's BigQuery type does not have is an error, never a guess.
func arrowValue(a arrow.Array, i int, f *bigquery.FieldSchema) (bigquery.Value, error) {
	if a.IsNull(i) {
		return nil, nil
	}
	bad := func() (bigquery.Value, error) {
		return nil, fmt.Errorf("column %s (%s) arrived as Arrow %s", f.Name, typeName(f), a.DataType())
	}
	if f.Repeated {
		l, ok := a.(*array.List)
		if !ok {
			return bad()
		}
		elem := *f
		elem.Repeated = false
		start, end := l.ValueOffsets(i)
		out := make([]bigquery.Value, 0, end-start)
		for k := start; k < end; k++ {
			v, err := arrowValue(l.ListValues(), int(k), &elem)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	switch f.Type {
	case bigquery.IntegerFieldType:
		if x, ok := a.(*array.Int64); ok {
			return x.Value(i), nil
		}
	case bigquery.FloatFieldType:
		if x, ok := a.(*array.Float64); ok {
			return x.Value(i), nil
		}
	case bigquery.BooleanFieldType:
		if x, ok := a.(*array.Boolean); ok {
			return x.Value(i), nil
		}
	case bigquery.BytesFieldType:
		if x, ok := a.(*array.Binary); ok {
			return append([]byte(nil), x.Value(i)...), nil
		}
	case bigquery.DateFieldType:
		if x, ok := a.(*array.Date32); ok {
			return civil.DateOf(x.Value(i).ToTime()), nil
		}
	case bigquery.TimeFieldType:
		if x, ok := a.(*array.Time64); ok && x.DataType().(*arrow.Time64Type).Unit == arrow.Microsecond {
			us := int64(x.Value(i))
			return civil.Time{Hour: int(us / 3_600_000_000), Minute: int(us / 60_000_000 % 60), Second: int(us / 1_000_000 % 60),
				Nanosecond: int(us%1_000_000) * 1000}, nil
		}
	case bigquery.DateTimeFieldType:
		if x, ok := a.(*array.Timestamp); ok && x.DataType().(*arrow.TimestampType).TimeZone == "" {
			return civil.DateTimeOf(x.Value(i).ToTime(x.DataType().(*arrow.TimestampType).Unit)), nil
		}
	case bigquery.TimestampFieldType:
		if x, ok := a.(*array.Timestamp); ok {
			return x.Value(i).ToTime(x.DataType().(*arrow.TimestampType).Unit).In(time.UTC), nil
		}
	case bigquery.NumericFieldType, bigquery.BigNumericFieldType:
		switch x := a.(type) {
		case *array.Decimal128:
			scale := x.DataType().(*arrow.Decimal128Type).Scale
			return new(big.Rat).SetFrac(x.Value(i).BigInt(), pow10(scale)), nil
		case *array.Decimal256:
			scale := x.DataType().(*arrow.Decimal256Type).Scale
			return new(big.Rat).SetFrac(x.Value(i).BigInt(), pow10(scale)), nil
		}
	case bigquery.RecordFieldType:
		if x, ok := a.(*array.Struct); ok && x.NumField() == len(f.Schema) {
			out := make([]bigquery.Value, len(f.Schema))
			for k, sub := range f.Schema {
				v, err := arrowValue(x.Field(k), i, sub)
				if err != nil {
					return nil, err
				}
				out[k] = v
			}
			return out, nil
		}
	case bigquery.RangeFieldType:
		if x, ok := a.(*array.Struct); ok && x.NumField() == 2 && f.RangeElementType != nil {
			elem := &bigquery.FieldSchema{Name: f.Name, Type: f.RangeElementType.Type}
			start, err := arrowValue(x.Field(0), i, elem)
			if err != nil {
				return nil, err
			}
			end, err := arrowValue(x.Field(1), i, elem)
			if err != nil {
				return nil, err
			}
			return &bigquery.RangeValue{Start: start, End: end}, nil
		}
	default: // STRING, JSON, GEOGRAPHY, INTERVAL: text
		switch x := a.(type) {
		case *array.String:
			return x.Value(i), nil
		case array.ExtensionArray:
			if s, ok := x.Storage().(*array.String); ok {
				return s.Value(i), nil
			}
		}
	}
	return bad()
}

// pow10 is 10^n.
func pow10(n int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
