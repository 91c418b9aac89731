package pgcatalog

import (
	"hash/fnv"
	"sort"
)

// Built-in OIDs, as in PostgreSQL.
const (
	OIDPgCatalog         = 11
	OIDInformationSchema = 13002 // varies by PostgreSQL build; stable here
	OIDOwner             = 10    // the bootstrap superuser: owns every object
	oidPgClass           = 1259  // pg_class's own OID: classoid of relations
	oidPgNamespace       = 2615
	oidPgConstraint      = 2606
	oidPgType            = 1247
	oidPgProc            = 1255
	oidHeap              = 2     // pg_am heap
	oidBtree             = 403   // pg_am btree
	firstNormalOID       = 16384 // PostgreSQL's FirstNormalObjectId
)

// oids gives workspace objects OIDs derived from their identity, so that
// the same object has the same OID in every process and after a restart.
// Collisions within a workspace are resolved by probing in key order, so
// the outcome depends only on the set of keys.
type oids struct {
	byKey map[string]uint32
}

func assignOIDs(keys []string) *oids {
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)
	o := &oids{byKey: make(map[string]uint32, len(keys))}
	used := map[uint32]bool{}
	for _, k := range sorted {
		if _, dup := o.byKey[k]; dup {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(k))
		v := firstNormalOID + h.Sum32()%(1<<31-firstNormalOID)
		for used[v] {
			v++
			if v >= 1<<31 {
				v = firstNormalOID
			}
		}
		used[v] = true
		o.byKey[k] = v
	}
	return o
}

func (o *oids) get(key string) uint32 { return o.byKey[key] }

// systemRelationOIDs are PostgreSQL's fixed OIDs of the catalogs that
// clients name in 'pg_catalog.pg_class'::regclass and obj_description.
var systemRelationOIDs = map[string]uint32{
	"pg_type": 1247, "pg_attribute": 1249, "pg_proc": 1255, "pg_class": 1259, "pg_authid": 1260, "pg_database": 1262,
	"pg_tablespace": 1213, "pg_am": 2601, "pg_attrdef": 2604, "pg_cast": 2605, "pg_constraint": 2606, "pg_conversion": 2607,
	"pg_depend": 2608, "pg_description": 2609, "pg_index": 2610, "pg_inherits": 2611, "pg_language": 2612, "pg_largeobject": 2613,
	"pg_namespace": 2615, "pg_opclass": 2616, "pg_operator": 2617, "pg_rewrite": 2618, "pg_statistic": 2619, "pg_trigger": 2620,
	"pg_opfamily": 2753, "pg_extension": 3079, "pg_foreign_table": 3118, "pg_policy": 3256, "pg_statistic_ext": 3381,
	"pg_collation": 3456, "pg_enum": 3501, "pg_event_trigger": 3466, "pg_range": 3541, "pg_sequence": 2224,
	"pg_publication": 6104, "pg_publication_rel": 6106, "pg_shdescription": 2396, "pg_partitioned_table": 3350,
	"pg_foreign_server": 1417, "pg_foreign_data_wrapper": 2328, "pg_aggregate": 2600, "pg_auth_members": 1261,
}

// RelationOID is the OID of an emulated pg_catalog relation, for
// 'pg_catalog.pg_class'::regclass; ok is false for the ones PostgreSQL
// has no fixed OID for (views).
func RelationOID(name string) (uint32, bool) {
	oid, ok := systemRelationOIDs[name]
	return oid, ok
}

// TableOIDs returns the OID of each table of ws by Table.ID, the same
// that Fill puts in pg_class.
func TableOIDs(ws Workspace) map[string]uint32 {
	b := newBuilder(ws)
	out := make(map[string]uint32, len(ws.Tables))
	for _, t := range ws.Tables {
		out[t.ID] = b.oids.get("table\x00" + t.ID)
	}
	return out
}
