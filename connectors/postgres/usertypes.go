package postgres

import (
	"context"
	"fmt"
	"sort"

	"github.com/hotdata-dev/hotdata/connectors"
)

// firstNormalOID is PostgreSQL's FirstNormalObjectId: OIDs from here on
// are the database's own objects (no built-in type has one).
const firstNormalOID = 16384

// userTypesSQL describes the types of $1: each type's pg_type row, an
// enum's labels in their sort order, a domain's base type and
// constraints, a composite type's fields.
const userTypesSQL = `
SELECT t.oid, n.nspname, t.typname, t.typtype::text, t.typcategory::text, t.typelem, t.typarray, t.typlen,
       t.typbasetype, t.typtypmod, CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE '' END,
       t.typnotnull,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname),
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
       ARRAY(SELECT a.atttypid FROM pg_catalog.pg_attribute a
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid = ANY($1::oid[])`

// discoverUserTypes records on each table the upstream's own types its
// columns have, and the types those are made of (a domain's base, a
// composite's fields, an array's element).
func (c *Connector) discoverUserTypes(ctx context.Context, tables []connectors.Table) error {
	types := map[uint32]*connectors.UserType{}
	// elems maps an array type of a user type to its element.
	elems := map[uint32]uint32{}
	// deps are the user types each type is made of.
	deps := map[uint32][]uint32{}
	var pending []uint32
	seen := map[uint32]bool{}
	want := func(oid uint32) {
		if oid >= firstNormalOID && !seen[oid] {
			seen[oid] = true
			pending = append(pending, oid)
		}
	}
	for _, t := range tables {
		for _, col := range t.Columns {
			want(col.TypeOID)
		}
	}
	for len(pending) > 0 {
		batch := pending
		pending = nil
		rows, err := c.pool.Query(ctx, userTypesSQL, batch)
		if err != nil {
			return fmt.Errorf("discover types: %w", err)
		}
		for rows.Next() {
			var u connectors.UserType
			var category string
			var elem uint32
			var fieldNames, fieldTypes []string
			var fieldOIDs []uint32
			if err := rows.Scan(&u.OID, &u.Schema, &u.Name, &u.Kind, &category, &elem, &u.ArrayOID, &u.Typlen,
				&u.BaseOID, &u.BaseTypmod, &u.BaseType, &u.NotNull, &u.Labels, &u.Checks, &fieldNames, &fieldTypes, &fieldOIDs); err != nil {
				rows.Close()
				return fmt.Errorf("discover types: %w", err)
			}
			if category == "A" && elem != 0 {
				// An array of a user type: its element describes it.
				elems[u.OID] = elem
				deps[u.OID] = []uint32{elem}
				want(elem)
				continue
			}
			if u.Kind != "d" {
				u.BaseOID, u.BaseTypmod, u.BaseType = 0, 0, ""
			} else {
				want(u.BaseOID)
				deps[u.OID] = append(deps[u.OID], u.BaseOID)
			}
			for i := range fieldNames {
				u.Fields = append(u.Fields, connectors.Column{Name: fieldNames[i], DataType: fieldTypes[i], TypeOID: fieldOIDs[i], Nullable: true})
				want(fieldOIDs[i])
				deps[u.OID] = append(deps[u.OID], fieldOIDs[i])
			}
			if len(u.Labels) == 0 {
				u.Labels = nil
			}
			if len(u.Checks) == 0 {
				u.Checks = nil
			}
			types[u.OID] = &u
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("discover types: %w", err)
		}
	}
	for i := range tables {
		used := map[uint32]bool{}
		var visit func(oid uint32)
		visit = func(oid uint32) {
			if oid < firstNormalOID || used[oid] {
				return
			}
			used[oid] = true
			for _, d := range deps[oid] {
				visit(d)
			}
		}
		for _, col := range tables[i].Columns {
			visit(col.TypeOID)
		}
		var list []connectors.UserType
		for oid := range used {
			if u := types[oid]; u != nil {
				list = append(list, *u)
			}
		}
		sort.Slice(list, func(a, b int) bool { return list[a].OID < list[b].OID })
		tables[i].UserTypes = list
	}
	return nil
}
