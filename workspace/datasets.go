package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/connectors/files"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/wire"
)

// uploadsDir is the folder of a workspace's uploads (the only folder the
// files reader may read).
func (s *Service) uploadsDir(wsID string) string { return s.layout.Abs(wsID, "uploads") }

// ErrTooLarge marks an upload over the size limit (413).
var ErrTooLarge = errors.New("upload too large")

// UploadFile streams body into the workspace's uploads folder, hashing it
// as it goes; past maxBytes it stops and nothing stays.
func (s *Service) UploadFile(ctx context.Context, p metastore.Principal, ws metastore.Workspace, body io.Reader, contentType, filename string) (metastore.Upload, error) {
	if err := requireRole(p, metastore.RoleMember, "uploading files"); err != nil {
		return metastore.Upload{}, err
	}
	return s.storeUpload(ctx, ws, body, contentType, filename)
}

func (s *Service) storeUpload(ctx context.Context, ws metastore.Workspace, body io.Reader, contentType, filename string) (metastore.Upload, error) {
	id := metastore.NewID(metastore.PrefixUpload)
	name := safeFilename(filename, contentType)
	rel := filepath.Join("uploads", id, name)
	final := s.layout.Abs(ws.ID, rel)
	tmpRoot := s.layout.Tmp(ws.ID)
	if err := os.MkdirAll(tmpRoot, 0o700); err != nil {
		return metastore.Upload{}, fmt.Errorf("upload: %w", err)
	}
	tmp, err := os.CreateTemp(tmpRoot, id+"-*")
	if err != nil {
		return metastore.Upload{}, fmt.Errorf("upload: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	limit := s.cfg.MaxUploadBytes
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(body, limit+1))
	if err == nil && n > limit {
		err = newError(KindTooLarge, "PAYLOAD_TOO_LARGE", "the file is larger than the upload limit of %d bytes (HOTDATA_MAX_UPLOAD_BYTES)", limit)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if AsError(err) != nil {
			return metastore.Upload{}, err
		}
		return metastore.Upload{}, fmt.Errorf("upload: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return metastore.Upload{}, fmt.Errorf("upload: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return metastore.Upload{}, fmt.Errorf("upload: %w", err)
	}
	u, err := s.store.CreateUpload(ctx, metastore.Upload{ID: id, WorkspaceID: ws.ID, SizeBytes: n, ContentType: contentType,
		Filename: filename, SHA256: hex.EncodeToString(h.Sum(nil)), Path: rel})
	if err != nil {
		os.RemoveAll(filepath.Dir(final))
		return u, err
	}
	return u, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeFilename keeps a client's file name readable but harmless, with an
// extension the reader can go by.
func safeFilename(name, contentType string) string {
	name = unsafeChars.ReplaceAllString(filepath.Base(name), "_")
	name = strings.TrimLeft(name, ".")
	if name == "" || name == "_" {
		name = "data"
	}
	if filepath.Ext(name) == "" {
		switch strings.TrimSpace(strings.Split(contentType, ";")[0]) {
		case "text/csv":
			name += ".csv"
		case "application/json":
			name += ".json"
		case "application/x-ndjson", "application/jsonl":
			name += ".ndjson"
		case "application/vnd.apache.parquet", "application/x-parquet":
			name += ".parquet"
		case "text/tab-separated-values":
			name += ".tsv"
		}
	}
	return name
}

// ListUploads lists a workspace's uploads, newest first.
func (s *Service) ListUploads(ctx context.Context, p metastore.Principal, ws metastore.Workspace, limit, offset int) ([]metastore.Upload, bool, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing uploads"); err != nil {
		return nil, false, err
	}
	ups, err := s.store.ListUploads(ctx, ws.ID, limit+1, offset)
	if err != nil {
		return nil, false, err
	}
	more := len(ups) > limit
	if more {
		ups = ups[:limit]
	}
	return ups, more, nil
}

// DatasetSource is where a dataset's rows come from: exactly one of an
// upload, inline content, a SQL query or a saved query.
type DatasetSource struct {
	UploadID string `json:"upload_id,omitempty"`
	// Format, Columns, Delimiter, Header and SkipBadRows read an upload
	// or inline content (csv, parquet, json, ndjson).
	Format      string             `json:"format,omitempty"`
	Columns     []files.ColumnType `json:"columns,omitempty"`
	Delimiter   string             `json:"delimiter,omitempty"`
	Header      *bool              `json:"header,omitempty"`
	SkipBadRows bool               `json:"skip_bad_rows,omitempty"`
	Inline      *InlineSource      `json:"inline,omitempty"`
	SQLQuery    string             `json:"sql_query,omitempty"`
	SavedQuery  string             `json:"saved_query_id,omitempty"`
}

// InlineSource is data given in the request.
type InlineSource struct {
	Content string             `json:"content"`
	Format  string             `json:"format"`
	Columns []files.ColumnType `json:"columns,omitempty"`
}

func (src DatasetSource) kinds() int {
	n := 0
	for _, set := range []bool{src.UploadID != "", src.Inline != nil, src.SQLQuery != "", src.SavedQuery != ""} {
		if set {
			n++
		}
	}
	return n
}

// DatasetInfo is a dataset with its current version.
type DatasetInfo struct {
	Dataset  metastore.Dataset
	Snapshot *metastore.Snapshot
	Warnings []string
}

var slugChars = regexp.MustCompile(`[^a-z0-9_]+`)

// tableNameFor makes a table name from a label: "Q3 Sales (EU)" → q3_sales_eu.
func tableNameFor(label string) string {
	n := strings.Trim(slugChars.ReplaceAllString(strings.ToLower(label), "_"), "_")
	if n == "" || n[0] >= '0' && n[0] <= '9' {
		n = "t_" + n
	}
	if len(n) > 63 {
		n = n[:63]
	}
	return n
}

// CreateDataset makes a queryable table, datasets.main.<table_name>, from
// its source, and answers once it is ready (or the load failed: then no
// dataset is left behind and the error says why, naming the bad line of
// a CSV).
func (s *Service) CreateDataset(ctx context.Context, p metastore.Principal, ws metastore.Workspace, label, tableName string, src DatasetSource) (DatasetInfo, error) {
	if err := requireRole(p, metastore.RoleMember, "creating datasets"); err != nil {
		return DatasetInfo{}, err
	}
	if strings.TrimSpace(label) == "" {
		return DatasetInfo{}, invalid("label must not be empty")
	}
	if tableName == "" {
		tableName = tableNameFor(label)
	}
	if !namePattern.MatchString(tableName) {
		return DatasetInfo{}, invalid("table_name %q is not valid: use 1 to 63 lower-case letters, digits and underscores, not starting with a digit", tableName)
	}
	if err := s.checkSource(ctx, ws, src); err != nil {
		return DatasetInfo{}, err
	}
	raw, _ := json.Marshal(src)
	ds, err := s.store.CreateDataset(ctx, ws.ID, label, tableName, metastore.DatasetLoading, raw)
	if errors.Is(err, metastore.ErrConflict) {
		return DatasetInfo{}, conflict("a dataset with table_name %q already exists: replace its data with PUT /v1/datasets/%s", tableName, tableName)
	}
	if err != nil {
		return DatasetInfo{}, err
	}
	info, err := s.loadDataset(ctx, p, ws, ds, src, raw)
	if err != nil {
		_ = s.store.DeleteDataset(context.WithoutCancel(ctx), ws.ID, ds.ID)
		return DatasetInfo{}, err
	}
	return info, nil
}

// ReplaceDataset loads new data into a dataset: a new version; queries
// read the previous one until it is ready.
func (s *Service) ReplaceDataset(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref, label string, src DatasetSource) (DatasetInfo, error) {
	if err := requireRole(p, metastore.RoleMember, "replacing a dataset's data"); err != nil {
		return DatasetInfo{}, err
	}
	ds, err := s.store.GetDataset(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return DatasetInfo{}, notFound("dataset", ref)
	}
	if err != nil {
		return DatasetInfo{}, err
	}
	if err := s.checkSource(ctx, ws, src); err != nil {
		return DatasetInfo{}, err
	}
	if label != "" && label != ds.Label {
		// The label is not versioned; record it with the next load.
		ds.Label = label
	}
	raw, _ := json.Marshal(src)
	return s.loadDataset(ctx, p, ws, ds, src, raw)
}

func (s *Service) checkSource(ctx context.Context, ws metastore.Workspace, src DatasetSource) error {
	switch src.kinds() {
	case 0:
		return invalid("source needs one of upload_id, inline, sql_query or saved_query_id")
	case 1:
	default:
		return invalid("source takes one of upload_id, inline, sql_query or saved_query_id, not several")
	}
	if src.UploadID != "" {
		if _, err := s.store.GetUpload(ctx, ws.ID, src.UploadID); errors.Is(err, metastore.ErrNotFound) {
			return notFound("upload", src.UploadID)
		} else if err != nil {
			return err
		}
	}
	if src.Inline != nil && src.Inline.Format == "" {
		return invalid("inline.format is required: csv, json or ndjson")
	}
	if src.SavedQuery != "" {
		if _, err := s.store.GetSavedQuery(ctx, ws.ID, src.SavedQuery); errors.Is(err, metastore.ErrNotFound) {
			return notFound("saved query", src.SavedQuery)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// loadDataset reads a source into a new version of ds.
func (s *Service) loadDataset(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ds metastore.Dataset, src DatasetSource, raw json.RawMessage) (DatasetInfo, error) {
	var snap metastore.Snapshot
	var warnings []string
	var err error
	switch {
	case src.SQLQuery != "" || src.SavedQuery != "":
		sql := src.SQLQuery
		if src.SavedQuery != "" {
			q, qerr := s.store.GetSavedQuery(ctx, ws.ID, src.SavedQuery)
			if qerr != nil {
				return DatasetInfo{}, qerr
			}
			sql = q.SQL
		}
		snap, warnings, err = s.datasetFromQuery(ctx, p, ws, ds, sql, raw)
	default:
		upload := src.UploadID
		format, columns := src.Format, src.Columns
		if src.Inline != nil {
			u, uerr := s.storeUpload(ctx, ws, strings.NewReader(src.Inline.Content), "", "inline."+src.Inline.Format)
			if uerr != nil {
				return DatasetInfo{}, uerr
			}
			upload, format, columns = u.ID, src.Inline.Format, src.Inline.Columns
		}
		snap, warnings, err = s.datasetFromUpload(ctx, ws, ds, upload, files.File{Format: format, Columns: columns,
			Delimiter: src.Delimiter, Header: src.Header, SkipBadRows: src.SkipBadRows}, raw)
	}
	if err != nil {
		return DatasetInfo{}, err
	}
	s.invalidateCatalog(ws.ID)
	d, err := s.store.GetDataset(ctx, ws.ID, ds.ID)
	if err != nil {
		return DatasetInfo{}, err
	}
	return DatasetInfo{Dataset: d, Snapshot: &snap, Warnings: warnings}, nil
}

func (s *Service) datasetFromUpload(ctx context.Context, ws metastore.Workspace, ds metastore.Dataset, uploadID string, f files.File, raw json.RawMessage) (metastore.Snapshot, []string, error) {
	f.Table = ds.TableName
	conn, err := s.openUpload(ctx, ws, uploadID, f)
	if err != nil {
		return metastore.Snapshot{}, nil, err
	}
	defer conn.Close()
	scan, err := conn.Scan(ctx, connectors.ScanRequest{Schema: "main", Table: ds.TableName})
	if err != nil {
		return metastore.Snapshot{}, nil, loadError(err)
	}
	defer scan.Release()
	snap, err := s.syncer.WriteDataset(ctx, ds, scan, raw)
	if err != nil {
		return snap, nil, loadError(err)
	}
	return snap, scan.Warnings(), nil
}

// loadError reports a file that cannot be read as the client's problem
// (422), with the reader's message (file, line, problem).
func loadError(err error) error {
	var fe *files.FileError
	if errors.As(err, &fe) || errors.Is(err, connectors.ErrInvalidConfig) {
		return &Error{Kind: KindUnprocessable, Code: "INVALID_FILE", Message: err.Error(), Err: err}
	}
	return err
}

// datasetFromQuery runs sql (recorded as a query run) and makes its
// stored result the dataset's new version.
func (s *Service) datasetFromQuery(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ds metastore.Dataset, sql string, raw json.RawMessage) (metastore.Snapshot, []string, error) {
	out, err := s.Query(ctx, p, ws, sql, discardRows{})
	if err != nil {
		if e, ok := err.(*pgerr.Error); ok {
			return metastore.Snapshot{}, nil, &Error{Kind: KindUnprocessable, Code: "QUERY_FAILED", Message: "the dataset's query failed: " + e.Error(), Err: err}
		}
		return metastore.Snapshot{}, nil, err
	}
	if out.Result.Status != metastore.StatusSucceeded || out.Result.Path == "" {
		return metastore.Snapshot{}, nil, newError(KindUnprocessable, "QUERY_FAILED", "the dataset's query result could not be stored: %s", out.Result.ErrorMessage)
	}
	snap, err := s.syncer.ImportDataset(ctx, ds, s.layout.Abs(ws.ID, out.Result.Path), raw)
	return snap, out.Warnings, err
}

// discardRows is a REST preview that keeps nothing: the rows go to the
// stored result only.
type discardRows struct{}

func (discardRows) Describe(*arrow.Schema) error                       { return nil }
func (discardRows) Write(arrow.RecordBatch) error                      { return nil }
func (discardRows) DescribeFields([]pgproto3.FieldDescription) error   { return nil }
func (discardRows) WriteRow([][]byte) error                            { return nil }
func (discardRows) ResultFormats() []int16                             { return nil }
func (discardRows) CopyOut(wire.CopyFormat, bool, *arrow.Schema) error { return nil }
func (discardRows) Complete(string) error                              { return nil }
func (discardRows) EmptyQuery() error                                  { return nil }
func (discardRows) Notice(*pgerr.Error) error                          { return nil }
func (discardRows) ParameterStatus(string, string) error               { return nil }

// ListDatasets lists a workspace's datasets.
func (s *Service) ListDatasets(ctx context.Context, p metastore.Principal, ws metastore.Workspace) ([]metastore.Dataset, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing datasets"); err != nil {
		return nil, err
	}
	return s.store.ListDatasets(ctx, ws.ID)
}

// CurrentSnapshots returns the current version of each of ds (a page of
// ListDatasets), by snapshot id; a dataset still loading has none.
func (s *Service) CurrentSnapshots(ctx context.Context, p metastore.Principal, ds []metastore.Dataset) (map[string]metastore.Snapshot, error) {
	if err := requireRole(p, metastore.RoleViewer, "listing datasets"); err != nil {
		return nil, err
	}
	out := map[string]metastore.Snapshot{}
	for _, d := range ds {
		if d.CurrentSnapshotID == "" {
			continue
		}
		sn, err := s.store.GetSnapshot(ctx, d.CurrentSnapshotID)
		if errors.Is(err, metastore.ErrNotFound) {
			continue // retired between the two reads
		}
		if err != nil {
			return nil, fmt.Errorf("reading dataset %s's version: %w", d.TableName, err)
		}
		out[sn.ID] = sn
	}
	return out, nil
}

// GetDataset returns a dataset with its versions, newest first.
func (s *Service) GetDataset(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string) (metastore.Dataset, []metastore.Snapshot, error) {
	if err := requireRole(p, metastore.RoleViewer, "reading datasets"); err != nil {
		return metastore.Dataset{}, nil, err
	}
	ds, err := s.store.GetDataset(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return ds, nil, notFound("dataset", ref)
	}
	if err != nil {
		return ds, nil, err
	}
	versions, err := s.store.ListDatasetSnapshots(ctx, ds.ID)
	return ds, versions, err
}

// DeleteDataset removes a dataset; its files go once no query reads them.
func (s *Service) DeleteDataset(ctx context.Context, p metastore.Principal, ws metastore.Workspace, ref string) (metastore.Dataset, error) {
	if err := requireRole(p, metastore.RoleMember, "deleting datasets"); err != nil {
		return metastore.Dataset{}, err
	}
	ds, err := s.store.GetDataset(ctx, ws.ID, ref)
	if errors.Is(err, metastore.ErrNotFound) {
		return ds, notFound("dataset", ref)
	}
	if err != nil {
		return ds, err
	}
	if err := s.store.DeleteDataset(ctx, ws.ID, ds.ID); err != nil {
		return ds, err
	}
	s.invalidateCatalog(ws.ID)
	return ds, nil
}

// DatasetPreview is what a dataset made from an upload would hold: its
// columns (with the types the reader infers) and its first rows.
type DatasetPreview struct {
	Columns []connectors.Column
	// Rows is the first batch of at most maxRows rows (nil when the file
	// has none); the caller releases it.
	Rows arrow.RecordBatch
}

// PreviewUpload reads an upload as CreateDataset would (src's format,
// columns, delimiter, header) and returns its columns and first maxRows
// rows, storing nothing: the console shows them before the dataset is
// made.
func (s *Service) PreviewUpload(ctx context.Context, p metastore.Principal, ws metastore.Workspace, src DatasetSource, maxRows int) (DatasetPreview, error) {
	if err := requireRole(p, metastore.RoleMember, "previewing datasets"); err != nil {
		return DatasetPreview{}, err
	}
	if src.UploadID == "" {
		return DatasetPreview{}, invalid("upload_id is required: upload the file with POST /v1/files first")
	}
	const table = "preview"
	conn, err := s.openUpload(ctx, ws, src.UploadID, files.File{Table: table, Format: src.Format,
		Columns: src.Columns, Delimiter: src.Delimiter, Header: src.Header, SkipBadRows: src.SkipBadRows})
	if err != nil {
		return DatasetPreview{}, err
	}
	defer conn.Close()
	tables, err := conn.Discover(ctx)
	if err != nil {
		return DatasetPreview{}, loadError(err)
	}
	if len(tables) != 1 {
		return DatasetPreview{}, fmt.Errorf("preview: the reader found %d tables in one file", len(tables))
	}
	scan, err := conn.Scan(ctx, connectors.ScanRequest{Schema: "main", Table: table, BatchRows: maxRows})
	if err != nil {
		return DatasetPreview{}, loadError(err)
	}
	defer scan.Release()
	out := DatasetPreview{Columns: tables[0].Columns}
	if scan.Next() {
		out.Rows = scan.RecordBatch()
		out.Rows.Retain()
	} else if err := scan.Err(); err != nil {
		return DatasetPreview{}, loadError(err)
	}
	return out, nil
}

// openUpload opens an upload as one table, f, of a files connector.
func (s *Service) openUpload(ctx context.Context, ws metastore.Workspace, uploadID string, f files.File) (connectors.Connector, error) {
	u, err := s.store.GetUpload(ctx, ws.ID, uploadID)
	if errors.Is(err, metastore.ErrNotFound) {
		return nil, notFound("upload", uploadID)
	}
	if err != nil {
		return nil, err
	}
	if f.Path, err = filepath.Rel("uploads", u.Path); err != nil {
		return nil, err
	}
	conn, err := files.Open(ctx, files.Config{Root: s.uploadsDir(ws.ID), Files: []files.File{f}})
	if err != nil {
		return nil, loadError(err)
	}
	return conn, nil
}
