package bigquery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"

	"github.com/hotdata-dev/hotdata/connectors"
)

// Discover lists the tables, views and materialized views of the
// configured datasets (every dataset of the project when none is named),
// with their columns, primary keys and foreign keys (BigQuery's
// unenforced constraints) and row counts.
func (c *Connector) Discover(ctx context.Context) ([]connectors.Table, error) {
	datasets := c.cfg.Datasets
	if len(datasets) == 0 {
		it := c.rest.Datasets(ctx)
		it.ProjectID = c.cfg.DataProject
		for {
			ds, err := it.Next()
			if errors.Is(err, iterator.Done) {
				break
			}
			if err != nil {
				return nil, c.wrap(ctx, err)
			}
			datasets = append(datasets, ds.DatasetID)
		}
		sort.Strings(datasets)
	}
	var out []connectors.Table
	for _, ds := range datasets {
		it := c.rest.DatasetInProject(c.cfg.DataProject, ds).Tables(ctx)
		for {
			t, err := it.Next()
			if errors.Is(err, iterator.Done) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("dataset %s: %w", ds, c.wrap(ctx, err))
			}
			md, err := t.Metadata(ctx)
			if isNotFound(err) {
				continue // dropped while listing
			}
			if err != nil {
				return nil, fmt.Errorf("table %s.%s: %w", ds, t.TableID, c.wrap(ctx, err))
			}
			if tab, ok := discovered(ds, t.TableID, md); ok {
				out = append(out, tab)
			}
		}
	}
	return out, nil
}

// discovered is a table as the catalog shows it; false for what cannot
// be read (models, snapshots).
func discovered(dataset, name string, md *bigquery.TableMetadata) (connectors.Table, bool) {
	switch md.Type {
	case bigquery.RegularTable, bigquery.ViewTable, bigquery.MaterializedView, bigquery.ExternalTable, "":
	default:
		return connectors.Table{}, false
	}
	t := connectors.Table{Schema: dataset, Name: name, RowEstimate: int64(md.NumRows)}
	for _, f := range md.Schema {
		oid, _ := servedType(f)
		t.Columns = append(t.Columns, connectors.Column{Name: f.Name, DataType: typeName(f), Nullable: !f.Required || f.Repeated, TypeOID: oid})
	}
	if tc := md.TableConstraints; tc != nil {
		if tc.PrimaryKey != nil {
			t.PrimaryKey = tc.PrimaryKey.Columns
		}
		for _, fk := range tc.ForeignKeys {
			if fk.ReferencedTable == nil {
				continue
			}
			k := connectors.ForeignKey{Name: fk.Name, RefSchema: fk.ReferencedTable.DatasetID, RefTable: fk.ReferencedTable.TableID,
				OnUpdate: "a", OnDelete: "a", Match: "s", NotValid: true}
			for _, cu := range fk.ColumnReferences {
				k.Columns = append(k.Columns, cu.ReferencingColumn)
				k.RefColumns = append(k.RefColumns, cu.ReferencedColumn)
			}
			t.ForeignKeys = append(t.ForeignKeys, k)
		}
	}
	return t, true
}

// isNotFound reports an API's 404.
func isNotFound(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusNotFound
}
