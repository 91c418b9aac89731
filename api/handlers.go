package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/workspace"
)

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type columnJSON struct {
	Name     string `json:"name"`
	DataType string `json:"data_type"`
	Nullable bool   `json:"nullable"`
}

type tableJSON struct {
	ConnectionID string       `json:"connection_id"`
	Connection   string       `json:"connection"`
	Schema       string       `json:"schema"`
	Table        string       `json:"table"`
	Synced       bool         `json:"synced"`
	LastSync     *string      `json:"last_sync"`
	Columns      []columnJSON `json:"columns,omitempty"`
}

// Paging defaults of list endpoints.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// paging reads limit and offset (or an opaque cursor that encodes one).
func paging(c echo.Context) (limit, offset int, err error) {
	limit = defaultLimit
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return 0, 0, errBadRequest("INVALID_ARGUMENT", "limit must be a whole number from 1 to 1000")
		}
		limit = n
	}
	if v := c.QueryParam("cursor"); v != "" {
		raw, err := base64.RawURLEncoding.DecodeString(v)
		n, aerr := strconv.Atoi(string(raw))
		if err != nil || aerr != nil || n < 0 {
			return 0, 0, errBadRequest("INVALID_ARGUMENT", "cursor is not valid: pass the next_cursor of the previous page unchanged")
		}
		offset = n
	} else if v := c.QueryParam("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, errBadRequest("INVALID_ARGUMENT", "offset must be a whole number, 0 or more")
		}
		offset = n
	}
	return limit, offset, nil
}

func nextCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

// pageOf cuts one page out of a list held in memory (short lists:
// members, tokens, secrets, connections).
func pageOf[T any](items []T, limit, offset int) (page []T, hasMore bool) {
	if offset >= len(items) {
		return items[:0], false
	}
	end := min(offset+limit, len(items))
	return items[offset:end], end < len(items)
}

// listBody is a page of a list in the shape every list answers with.
func listBody(key string, items any, count, limit, offset int, hasMore bool) map[string]any {
	resp := map[string]any{"ok": true, key: items, "count": count, "limit": limit, "has_more": hasMore, "next_cursor": nil}
	if hasMore {
		resp["next_cursor"] = nextCursor(offset + count)
	}
	return resp
}

// listPage reads a list endpoint's paging parameters (and no others).
func listPage(c echo.Context) (limit, offset int, err error) {
	if _, err := queryParams(c, "limit", "offset", "cursor"); err != nil {
		return 0, 0, err
	}
	return paging(c)
}

func timePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

func (s *Server) informationSchema(c echo.Context) error {
	q, err := queryParams(c, "connection_id", "schema", "table", "include_columns", "limit", "offset", "cursor")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	includeColumns := false
	if v := q.Get("include_columns"); v != "" {
		if includeColumns, err = strconv.ParseBool(v); err != nil {
			return errBadRequest("INVALID_ARGUMENT", "include_columns must be true or false")
		}
	}
	tables, hasMore, err := s.svc.InformationSchema(c.Request().Context(), principal(c), workspaceOf(c), workspace.InfoFilter{
		Connection: q.Get("connection_id"), Schema: q.Get("schema"), Table: q.Get("table"), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	out := make([]tableJSON, len(tables))
	for i, t := range tables {
		tj := tableJSON{ConnectionID: t.ConnectionID, Connection: t.Connection, Schema: t.Schema, Table: t.Table, Synced: t.Synced}
		if t.LastSync != nil {
			ls := rfc3339(*t.LastSync)
			tj.LastSync = &ls
		}
		if includeColumns {
			tj.Columns = make([]columnJSON, len(t.Columns))
			for j, col := range t.Columns {
				tj.Columns[j] = columnJSON{Name: col.Name, DataType: col.DataType, Nullable: col.Nullable}
			}
		}
		out[i] = tj
	}
	resp := map[string]any{"tables": out, "count": len(out), "limit": limit, "has_more": hasMore, "next_cursor": nil}
	if hasMore {
		resp["next_cursor"] = nextCursor(offset + len(out))
	}
	return c.JSON(http.StatusOK, resp)
}
