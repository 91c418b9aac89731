package cache

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Layout resolves paths inside the data directory.
type Layout struct {
	DataDir string
}

// Workspace returns a workspace's folder.
func (l Layout) Workspace(wsID string) string {
	return filepath.Join(l.DataDir, "workspaces", wsID)
}

// Tmp returns a workspace's folder for in-progress writes.
func (l Layout) Tmp(wsID string) string { return filepath.Join(l.Workspace(wsID), "tmp") }

// Resume returns the folder of a table's unfinished read in parts (see
// parts.go); ResumeRoot the folder of a workspace's.
func (l Layout) Resume(wsID, tableID string) string {
	return filepath.Join(l.ResumeRoot(wsID), escapeName(tableID))
}

// ResumeRoot returns the folder of a workspace's unfinished reads.
func (l Layout) ResumeRoot(wsID string) string { return filepath.Join(l.Workspace(wsID), "resume") }

// TableDir returns the relative folder of a table's snapshots.
func TableDir(connID, schema, table string) string {
	return filepath.Join("tables", connID, escapeName(schema), escapeName(table))
}

// Abs turns a path relative to the workspace folder into an absolute one.
func (l Layout) Abs(wsID, rel string) string { return filepath.Join(l.Workspace(wsID), rel) }

// escapeName makes an upstream identifier safe as one path element: bytes
// other than ASCII letters, digits, '_' and '-' become %XX, so that ".",
// "..", "/" and case-folding file systems cannot alias two names.
func escapeName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() == 0 {
		return "%"
	}
	return b.String()
}

// Scrub hides the data directory in a text bound for a user (an error
// that quotes a file's path): paths name the host's layout and where
// other organizations' files live.
func (l Layout) Scrub(text string) string {
	if len(l.DataDir) > 1 {
		text = strings.ReplaceAll(text, l.DataDir, "<data>")
	}
	return text
}
