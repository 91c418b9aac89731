package workspace

import (
	"hash/fnv"
	"sort"

	"github.com/hotdata-dev/hotdata/metastore"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/planner"
)

// typeKey names one upstream type: its connection and upstream OID.
type typeKey struct {
	conn string
	oid  uint32
}

// clientTypeOIDs gives each upstream type the tables' columns have (and
// its array type) the OID clients see it by: the upstream's own, unless
// a type of another connection already has it (two upstreams number
// their types independently); then one derived from its identity.
func clientTypeOIDs(tables []metastore.Table) map[typeKey]uint32 {
	var keys []typeKey
	seen := map[typeKey]bool{}
	for _, t := range tables {
		for _, u := range t.UserTypes {
			for _, oid := range []uint32{u.OID, u.ArrayOID} {
				k := typeKey{t.ConnectionName, oid}
				if oid != 0 && !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].conn != keys[j].conn {
			return keys[i].conn < keys[j].conn
		}
		return keys[i].oid < keys[j].oid
	})
	used := map[uint32]bool{}
	out := make(map[typeKey]uint32, len(keys))
	var clashes []typeKey
	for _, k := range keys {
		if used[k.oid] {
			clashes = append(clashes, k)
			continue
		}
		used[k.oid] = true
		out[k] = k.oid
	}
	for _, k := range clashes {
		h := fnv.New32a()
		h.Write([]byte(k.conn))
		h.Write([]byte{0, byte(k.oid >> 24), byte(k.oid >> 16), byte(k.oid >> 8), byte(k.oid)})
		v := 16384 + h.Sum32()%(1<<31-16384)
		for used[v] {
			v++
		}
		used[v] = true
		out[k] = v
	}
	return out
}

// plannerUserTypes are the types of table t as the planner takes them.
func plannerUserTypes(t metastore.Table, oids map[typeKey]uint32) []planner.UserType {
	var out []planner.UserType
	for _, u := range t.UserTypes {
		out = append(out, planner.UserType{OID: oids[typeKey{t.ConnectionName, u.OID}], ArrayOID: oids[typeKey{t.ConnectionName, u.ArrayOID}],
			UpstreamOID: u.OID, UpstreamArrayOID: u.ArrayOID, Schema: u.Schema, Name: u.Name, Kind: u.Kind, Typlen: u.Typlen,
			Labels: u.Labels, BaseOID: u.BaseOID, BaseTypmod: u.BaseTypmod, BaseType: u.BaseType, NotNull: u.NotNull, HasChecks: len(u.Checks) > 0})
	}
	return out
}

// pgUserTypes are the types the emulated catalog lists (pg_type,
// pg_enum), each once.
func pgUserTypes(tables []metastore.Table, oids map[typeKey]uint32) []pgcatalog.UserType {
	var out []pgcatalog.UserType
	seen := map[typeKey]bool{}
	for _, t := range tables {
		for _, u := range t.UserTypes {
			k := typeKey{t.ConnectionName, u.OID}
			if seen[k] {
				continue
			}
			seen[k] = true
			pu := pgcatalog.UserType{OID: oids[k], ArrayOID: oids[typeKey{t.ConnectionName, u.ArrayOID}],
				Schema: pgcatalog.SchemaName(t.ConnectionName, u.Schema), Name: u.Name, Kind: u.Kind, Typlen: u.Typlen,
				Labels: u.Labels, BaseTypmod: u.BaseTypmod, NotNull: u.NotNull, Checks: u.Checks}
			if u.BaseOID != 0 {
				pu.BaseOID = u.BaseOID
				if u.BaseOID >= 16384 {
					pu.BaseOID = oids[typeKey{t.ConnectionName, u.BaseOID}]
				}
			}
			out = append(out, pu)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}
