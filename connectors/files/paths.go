package files

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// globChars are the characters DuckDB's readers expand as a glob: a path
// holding one could name several files, so it is refused.
const globChars = "*?[]{}"

// cleanPath checks a configured path without touching the file system:
// relative, inside the root once cleaned, and read by DuckDB as exactly
// one file.
func cleanPath(p string) (string, error) {
	if p == "" {
		return "", errors.New("path is required")
	}
	if filepath.IsAbs(p) {
		return "", fmt.Errorf("path %q is absolute: give it relative to the root folder", p)
	}
	clean := filepath.Clean(p)
	if !filepath.IsLocal(clean) {
		return "", fmt.Errorf("path %q leaves the root folder", p)
	}
	if strings.ContainsAny(clean, globChars) {
		return "", fmt.Errorf("path %q holds a glob character (one of %s)", p, globChars)
	}
	for _, r := range clean {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "", fmt.Errorf("path %q holds a control character or a backslash", p)
		}
	}
	return clean, nil
}

// errOutside marks a file whose real location is outside the root.
var errOutside = errors.New("the file resolves to a location outside the root folder")

// resolve returns the real absolute path of a configured file (symlinks
// resolved) after checking that it is inside root, itself a real path,
// and a regular file. DuckDB is given this path, so a symlink swapped in
// after the check cannot redirect it (short of a directory being swapped
// during the call).
func resolve(root, rel string) (string, error) {
	real, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", errors.New("file not found")
		}
		return "", pathProblem(err)
	}
	if !inside(root, real) {
		return "", errOutside
	}
	info, err := os.Stat(real)
	if err != nil {
		return "", pathProblem(err)
	}
	if !info.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	return real, nil
}

// inside reports whether path is root or below it; both are clean.
func inside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && filepath.IsLocal(rel)
}

// pathProblem says what went wrong with a file without the host path
// that the error text of the os package holds.
func pathProblem(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
