package metastore

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// Id prefixes, as in the /v1 API.
const (
	PrefixOrganization = "org"
	PrefixMember       = "mem"
	PrefixWorkspace    = "ws"
	PrefixToken        = "tok"
	PrefixSecret       = "secr"
	PrefixConnection   = "conn"
	PrefixTable        = "tbl"
	PrefixSnapshot     = "snap"
	PrefixDataset      = "ds"
	PrefixUpload       = "upl"
	PrefixQueryRun     = "qrun"
	PrefixResult       = "res"
	PrefixSavedQuery   = "sq"
	PrefixJob          = "job"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns prefix + "_" + 26 random lowercase base32 characters (128 bits).
func NewID(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// HasPrefix reports whether id has the given prefix.
func HasPrefix(id, prefix string) bool { return strings.HasPrefix(id, prefix+"_") }
