package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/workspace"
)

// Handlers for uploads (POST /v1/files) and datasets.

// datasetRoutes registers the uploads and datasets routes; uploads sit in
// a group without the JSON body limit (their own limit applies).
func (s *Server) datasetRoutes(e *echo.Echo, ws *echo.Group) {
	up := e.Group("/v1", s.authenticate, s.scopeWorkspace)
	up.POST("/files", s.uploadFile)
	ws.GET("/files", s.listUploads)
	ws.POST("/datasets", s.createDataset)
	ws.POST("/datasets/preview", s.previewDataset)
	ws.GET("/datasets", s.listDatasets)
	ws.GET("/datasets/:id", s.getDataset)
	ws.PUT("/datasets/:id", s.replaceDataset)
	ws.DELETE("/datasets/:id", s.deleteDataset)
	ws.GET("/datasets/:id/versions", s.datasetVersions)
}

type uploadJSON struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	SizeBytes   int64  `json:"size_bytes"`
	ContentType string `json:"content_type"`
	Filename    string `json:"filename,omitempty"`
	SHA256      string `json:"sha256"`
	CreatedAt   string `json:"created_at"`
}

func toUploadJSON(u metastore.Upload) uploadJSON {
	return uploadJSON{ID: u.ID, Status: u.Status, SizeBytes: u.SizeBytes, ContentType: u.ContentType, Filename: u.Filename,
		SHA256: u.SHA256, CreatedAt: rfc3339(u.CreatedAt)}
}

// uploadFile streams the raw body to disk. The file name comes from
// ?filename= or Content-Disposition.
func (s *Server) uploadFile(c echo.Context) error {
	q, err := queryParams(c, "filename")
	if err != nil {
		return err
	}
	name := q.Get("filename")
	if name == "" {
		if _, params, ok := strings.Cut(c.Request().Header.Get("Content-Disposition"), "filename="); ok {
			name = strings.Trim(strings.Split(params, ";")[0], `"`)
		}
	}
	u, err := s.svc.UploadFile(c.Request().Context(), principal(c), workspaceOf(c), c.Request().Body, c.Request().Header.Get("Content-Type"), name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toUploadJSON(u))
}

func (s *Server) listUploads(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	ups, more, err := s.svc.ListUploads(c.Request().Context(), principal(c), workspaceOf(c), limit, offset)
	if err != nil {
		return err
	}
	out := make([]uploadJSON, len(ups))
	for i, u := range ups {
		out[i] = toUploadJSON(u)
	}
	return c.JSON(http.StatusOK, listBody("files", out, len(out), limit, offset, more))
}

type datasetRequest struct {
	Label     string                   `json:"label"`
	TableName string                   `json:"table_name"`
	Source    *workspace.DatasetSource `json:"source"`
}

type datasetColumnJSON struct {
	Name     string `json:"name"`
	DataType string `json:"data_type"`
	Nullable bool   `json:"nullable"`
}

type datasetJSON struct {
	ID         string              `json:"id"`
	Label      string              `json:"label"`
	SchemaName string              `json:"schema_name"`
	TableName  string              `json:"table_name"`
	Status     string              `json:"status"`
	Version    int64               `json:"version,omitempty"`
	RowCount   int64               `json:"row_count"`
	Columns    []datasetColumnJSON `json:"columns,omitempty"`
	Source     any                 `json:"source,omitempty"`
	Error      string              `json:"error,omitempty"`
	Warning    string              `json:"warning,omitempty"`
	CreatedAt  string              `json:"created_at"`
	UpdatedAt  string              `json:"updated_at"`
}

func toDatasetJSON(d metastore.Dataset, snap *metastore.Snapshot) datasetJSON {
	out := datasetJSON{ID: d.ID, Label: d.Label, SchemaName: "main", TableName: d.TableName, Status: d.Status, Error: d.Error,
		CreatedAt: rfc3339(d.CreatedAt), UpdatedAt: rfc3339(d.UpdatedAt)}
	if len(d.Source) > 0 {
		out.Source = rawJSONValue(d.Source)
	}
	if snap != nil {
		out.Version, out.RowCount = snap.Version, snap.RowCount
		for _, c := range snap.Columns {
			out.Columns = append(out.Columns, datasetColumnJSON{Name: c.Name, DataType: c.DataType, Nullable: c.Nullable})
		}
	}
	return out
}

func (s *Server) createDataset(c echo.Context) error {
	var req datasetRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := required("label", req.Label); err != nil {
		return err
	}
	if req.Source == nil {
		return errBadRequest("MISSING_FIELD", `field "source" is required: {upload_id} | {inline: {content, format}} | {sql_query} | {saved_query_id}`)
	}
	info, err := s.svc.CreateDataset(c.Request().Context(), principal(c), workspaceOf(c), req.Label, req.TableName, *req.Source)
	if err != nil {
		return err
	}
	out := toDatasetJSON(info.Dataset, info.Snapshot)
	out.Warning = strings.Join(info.Warnings, "; ")
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) replaceDataset(c echo.Context) error {
	var req datasetRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Source == nil {
		return errBadRequest("MISSING_FIELD", `field "source" is required: {upload_id} | {inline: {content, format}} | {sql_query} | {saved_query_id}`)
	}
	if req.TableName != "" {
		return errBadRequest("INVALID_ARGUMENT", "table_name cannot change: create a new dataset instead")
	}
	info, err := s.svc.ReplaceDataset(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"), req.Label, *req.Source)
	if err != nil {
		return err
	}
	out := toDatasetJSON(info.Dataset, info.Snapshot)
	out.Warning = strings.Join(info.Warnings, "; ")
	return c.JSON(http.StatusOK, out)
}

func (s *Server) listDatasets(c echo.Context) error {
	limit, offset, err := listPage(c)
	if err != nil {
		return err
	}
	all, err := s.svc.ListDatasets(c.Request().Context(), principal(c), workspaceOf(c))
	if err != nil {
		return err
	}
	page, more := pageOf(all, limit, offset)
	current, err := s.svc.CurrentSnapshots(c.Request().Context(), principal(c), page)
	if err != nil {
		return err
	}
	out := make([]datasetJSON, len(page))
	for i, d := range page {
		var snap *metastore.Snapshot
		if sn, ok := current[d.CurrentSnapshotID]; ok {
			snap = &sn
		}
		out[i] = toDatasetJSON(d, snap)
	}
	return c.JSON(http.StatusOK, listBody("datasets", out, len(out), limit, offset, more))
}

func (s *Server) getDataset(c echo.Context) error {
	d, versions, err := s.svc.GetDataset(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	var cur *metastore.Snapshot
	for i := range versions {
		if versions[i].ID == d.CurrentSnapshotID {
			cur = &versions[i]
		}
	}
	return c.JSON(http.StatusOK, toDatasetJSON(d, cur))
}

type datasetVersionJSON struct {
	Version   int64   `json:"version"`
	Status    string  `json:"status"`
	RowCount  int64   `json:"row_count"`
	SizeBytes int64   `json:"size_bytes"`
	Current   bool    `json:"current"`
	CreatedAt string  `json:"created_at"`
	RetiredAt *string `json:"retired_at"`
}

func (s *Server) datasetVersions(c echo.Context) error {
	d, versions, err := s.svc.GetDataset(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := make([]datasetVersionJSON, len(versions))
	for i, v := range versions {
		out[i] = datasetVersionJSON{Version: v.Version, Status: v.Status, RowCount: v.RowCount, SizeBytes: v.SizeBytes,
			Current: v.ID == d.CurrentSnapshotID, CreatedAt: rfc3339(v.CreatedAt)}
		if v.RetiredAt != nil {
			t := rfc3339(*v.RetiredAt)
			out[i].RetiredAt = &t
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "dataset_id": d.ID, "versions": out, "count": len(out)})
}

func (s *Server) deleteDataset(c echo.Context) error {
	d, err := s.svc.DeleteDataset(c.Request().Context(), principal(c), workspaceOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true, "id": d.ID, "table_name": d.TableName})
}

// previewRows is how many rows a dataset preview shows.
const previewRows = 20

type datasetPreviewJSON struct {
	Columns []datasetColumnJSON `json:"columns"`
	Rows    [][]any             `json:"rows"`
}

// previewDataset reads an upload as POST /v1/datasets would and answers
// its columns and first rows, storing nothing.
func (s *Server) previewDataset(c echo.Context) error {
	var src workspace.DatasetSource
	if err := decodeJSON(c, &src); err != nil {
		return err
	}
	p, err := s.svc.PreviewUpload(c.Request().Context(), principal(c), workspaceOf(c), src, previewRows)
	if err != nil {
		return err
	}
	out := datasetPreviewJSON{Columns: []datasetColumnJSON{}, Rows: [][]any{}}
	for _, col := range p.Columns {
		out.Columns = append(out.Columns, datasetColumnJSON{Name: col.Name, DataType: col.DataType, Nullable: col.Nullable})
	}
	if p.Rows != nil {
		defer p.Rows.Release()
		sink := newPreviewSink(previewRows)
		if err := sink.Write(p.Rows); err != nil {
			return err
		}
		out.Rows = sink.rows
	}
	return c.JSON(http.StatusOK, out)
}
