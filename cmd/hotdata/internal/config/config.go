package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Profile is one server and how to use it.
type Profile struct {
	URL       string `json:"url"`
	Token     string `json:"token,omitempty"`
	Workspace string `json:"workspace,omitempty"`
	// PGAddr is host:port of the server's PostgreSQL endpoint; "": the
	// URL's host and port 5433.
	PGAddr string `json:"pg_addr,omitempty"`
}

// File is the config file's content.
type File struct {
	Current  string              `json:"current_profile,omitempty"`
	Profiles map[string]*Profile `json:"profiles"`

	path string
}

// DefaultProfile is the profile used when none is chosen.
const DefaultProfile = "default"

// Path is the config file: $HOTDATA_CONFIG, else
// $XDG_CONFIG_HOME/hotdata/config.json, else ~/.config/hotdata/config.json.
func Path() (string, error) {
	if p := os.Getenv("HOTDATA_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config folder (set HOTDATA_CONFIG): %w", err)
	}
	return filepath.Join(dir, "hotdata", "config.json"), nil
}

// Load reads the config file; a missing file is an empty config.
func Load() (*File, error) {
	path, err := Path()
	if err != nil {
		return nil, err
	}
	f := &File{Profiles: map[string]*Profile{}, path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(b, f); err != nil {
		return nil, fmt.Errorf("reading %s: %w (fix or delete the file, then run `hotdata login`)", path, err)
	}
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	for name, p := range f.Profiles {
		if p == nil {
			delete(f.Profiles, name)
		}
	}
	return f, nil
}

// Loose reports whether the file can be read by others than its owner.
func (f *File) Loose() bool {
	st, err := os.Stat(f.path)
	return err == nil && st.Mode().Perm()&0o077 != 0
}

// FilePath is where the file is.
func (f *File) FilePath() string { return f.path }

// Save writes the file atomically with mode 0600 (its folder 0700).
func (f *File) Save() error {
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("making the config folder: %w", err)
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".config-*.json")
	if err != nil {
		return fmt.Errorf("writing the config: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the config: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the config: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the config: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("writing the config: %w", err)
	}
	return nil
}

// Names lists the profiles, sorted.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ActiveName is the profile in use: name if given, else
// $HOTDATA_PROFILE, else the current profile, else "default".
func (f *File) ActiveName(name string) string {
	switch {
	case name != "":
		return name
	case os.Getenv("HOTDATA_PROFILE") != "":
		return os.Getenv("HOTDATA_PROFILE")
	case f.Current != "":
		return f.Current
	}
	return DefaultProfile
}

// Resolve is the profile name with the environment applied over it: the
// settings a command uses. The profile need not exist when the
// environment gives a URL and a token.
func (f *File) Resolve(name string) Profile {
	var p Profile
	if stored := f.Profiles[f.ActiveName(name)]; stored != nil {
		p = *stored
	}
	if v := os.Getenv("HOTDATA_URL"); v != "" {
		p.URL = v
	}
	if v := strings.TrimSpace(os.Getenv("HOTDATA_TOKEN")); v != "" {
		p.Token = v
	}
	if v := os.Getenv("HOTDATA_WORKSPACE"); v != "" {
		p.Workspace = v
	}
	if v := os.Getenv("HOTDATA_PG_ADDR"); v != "" {
		p.PGAddr = v
	}
	return p
}
