package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Snapshots kept fresh by change data capture.
//
// Such a snapshot's folder holds base files (a full read of the table,
// any name) and delta files (DeltaPrefix*.parquet), each a batch of
// changes: the table's columns, then the operation ("I", "U", "D"), a
// sequence number ordering a key's changes, and a mask of the columns an
// update left unchanged (their values are NULL there, and the previous
// value stands). The view merges them on read: a key's newest change
// decides whether the row exists and, column by column, its values.

// DeltaPrefix starts the names of delta files.
const DeltaPrefix = "delta-"

// Change columns of delta files.
const (
	deltaOp        = "_hd_op"
	deltaSeq       = "_hd_seq"
	deltaUnchanged = "_hd_unchanged"
)

// SnapshotFiles splits a snapshot folder's Parquet files into base and
// delta files, each sorted.
func SnapshotFiles(dir string) (base, deltas []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".parquet") {
			continue
		}
		if strings.HasPrefix(name, DeltaPrefix) {
			deltas = append(deltas, filepath.Join(dir, name))
		} else {
			base = append(base, filepath.Join(dir, name))
		}
	}
	sort.Strings(base)
	sort.Strings(deltas)
	return base, deltas, nil
}

// HasDeltas reports whether a snapshot folder holds delta files.
func HasDeltas(dir string) bool {
	_, deltas, err := SnapshotFiles(dir)
	return err == nil && len(deltas) > 0
}

func fileList(files []string) string {
	q := make([]string, len(files))
	for i, f := range files {
		q[i] = quoteString(f)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// MergedSelect is the query that merges base and delta files into the
// table's current rows, with columns cols (in the base files' order) and
// key the key columns. With no delta files it reads the base files.
func MergedSelect(base, deltas []string, cols, key []string) (string, error) {
	if len(base) == 0 {
		return "", fmt.Errorf("engine: a snapshot without base files")
	}
	baseRead := "read_parquet(" + fileList(base) + ")"
	if len(deltas) == 0 {
		return "SELECT * FROM " + baseRead, nil
	}
	with, keys, err := mergedChanges(baseRead, deltas, cols, key)
	if err != nil {
		return "", err
	}
	return with + "SELECT hd_b.* FROM " + baseRead + " hd_b ANTI JOIN hd_k USING (" + keys + ") " +
		"UNION ALL BY NAME SELECT * EXCLUDE (" + deltaOp + ") FROM hd_m WHERE " + deltaOp + " <> 'D'", nil
}

// mergedChanges is the WITH clause whose hd_m holds, for each key the
// delta files change, its merged row and last operation (the newest
// change per key decides; a column an update left unchanged keeps its
// previous value, from baseRead — a table expression of the rows before
// the deltas — or an earlier change); hd_k holds those keys. It returns
// the key columns as a USING list too.
func mergedChanges(baseRead string, deltas, cols, key []string) (with, keys string, err error) {
	if len(key) == 0 {
		return "", "", fmt.Errorf("engine: delta files need the table's key")
	}
	qk := make([]string, len(key))
	isKey := map[string]bool{}
	for i, k := range key {
		qk[i] = QuoteIdent(k)
		isKey[k] = true
	}
	keys = strings.Join(qk, ", ")
	agg := []string{keys, "arg_max(" + deltaOp + ", " + deltaSeq + ") AS " + deltaOp}
	for i, c := range cols {
		if isKey[c] {
			continue
		}
		q := QuoteIdent(c)
		agg = append(agg, fmt.Sprintf("arg_max_null(%s, %s) FILTER (WHERE %s IS NULL OR substr(%s, %d, 1) = '0') AS %s",
			q, deltaSeq, deltaUnchanged, deltaUnchanged, i+1, q))
	}
	return "WITH hd_d AS (SELECT * FROM read_parquet(" + fileList(deltas) + ")), " +
		"hd_k AS (SELECT DISTINCT " + keys + " FROM hd_d), " +
		"hd_h AS (SELECT hd_b.*, 'I' AS " + deltaOp + ", CAST(0 AS BIGINT) AS " + deltaSeq + ", CAST(NULL AS VARCHAR) AS " + deltaUnchanged +
		" FROM " + baseRead + " hd_b SEMI JOIN hd_k USING (" + keys + ") UNION ALL BY NAME SELECT * FROM hd_d), " +
		"hd_m AS (SELECT " + strings.Join(agg, ", ") + " FROM hd_h GROUP BY " + keys + ") ", keys, nil
}
