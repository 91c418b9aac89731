package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The deparser quotes identifiers only where PostgreSQL needs it; the
// engine (DuckDB) reserves more words, so a column named "by" or "at"
// must stay quoted. Such identifiers are marked before deparsing (the
// mark makes the deparser quote them) and the mark is removed after.
const quoteMark = "\x01"

// engineKeywords are DuckDB's keywords that are not "unreserved"
// (SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category <>
// 'unreserved', DuckDB 1.5).
var engineKeywords = wordSet(`between bigint bit boolean char character coalesce dec decimal exists extract float grouping
	grouping_id inout int integer interval national nchar none nullif numeric out overlay position precision real row setof
	smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest
	xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable all analyse analyze and any array as asc asymmetric both case
	cast check collate column constraint create default deferrable desc describe distinct do else end except false fetch for
	foreign from group having in initially intersect into lambda lateral leading limit not null offset on only or order pivot
	pivot_longer pivot_wider placing primary qualify references returning select show some summarize symmetric table then to
	trailing true union unique unpivot using variadic when where window with anti asof at authorization binary by collation
	columns concurrently cross freeze full generated glob ilike inner is isnull join left like map natural notnull outer
	overlaps positional right semi similar struct tablesample try_cast unpack verbose`)

func markIdent(s string) string {
	if engineKeywords[s] {
		return quoteMark + s
	}
	return s
}

// markKeywords marks every identifier of the tree that the engine would
// read as a keyword: column references, aliases, relation and CTE names.
// Function and type names are left alone (substring(), varchar).
func markKeywords(n *pg.Node) {
	markString := func(node *pg.Node) {
		if s := node.GetString_(); s != nil {
			s.Sval = markIdent(s.Sval)
		}
	}
	walk(n, func(m protoreflect.Message) bool {
		switch v := m.Interface().(type) {
		case *pg.ColumnRef:
			for _, f := range v.Fields {
				markString(f)
			}
		case *pg.ResTarget:
			v.Name = markIdent(v.Name)
		case *pg.RangeVar:
			v.Catalogname, v.Schemaname, v.Relname = markIdent(v.Catalogname), markIdent(v.Schemaname), markIdent(v.Relname)
		case *pg.Alias:
			v.Aliasname = markIdent(v.Aliasname)
			for _, c := range v.Colnames {
				markString(c)
			}
		case *pg.CommonTableExpr:
			v.Ctename = markIdent(v.Ctename)
			for _, c := range v.Aliascolnames {
				markString(c)
			}
		}
		return true
	})
}

// unmark removes the marks from deparsed SQL.
func unmark(sql string) string {
	if !strings.Contains(sql, quoteMark) {
		return sql
	}
	return strings.ReplaceAll(sql, quoteMark, "")
}
