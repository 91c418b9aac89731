package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSaveIsPrivateAndEnvironmentWins(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "config.json")
	t.Setenv("HOTDATA_CONFIG", path)
	for _, k := range []string{"HOTDATA_URL", "HOTDATA_TOKEN", "HOTDATA_WORKSPACE", "HOTDATA_PG_ADDR", "HOTDATA_PROFILE"} {
		t.Setenv(k, "")
	}
	f, err := Load()
	if err != nil || len(f.Profiles) != 0 {
		t.Fatalf("a missing file: %v %v", f, err)
	}
	f.Profiles["prod"] = &Profile{URL: "https://hd.example.com", Token: "hd_secret", Workspace: "bi"}
	f.Current = "prod"
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v %v, want 0600", st.Mode(), err)
	}
	if d, _ := os.Stat(filepath.Dir(path)); d.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", d.Mode())
	}
	g, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if g.Loose() {
		t.Error("a 0600 file is not loose")
	}
	if p := g.Resolve(""); p.URL != "https://hd.example.com" || p.Token != "hd_secret" || p.Workspace != "bi" {
		t.Errorf("resolved %+v", p)
	}
	t.Setenv("HOTDATA_TOKEN", "hd_env")
	t.Setenv("HOTDATA_WORKSPACE", "other")
	if p := g.Resolve(""); p.Token != "hd_env" || p.Workspace != "other" || p.URL != "https://hd.example.com" {
		t.Errorf("environment over the profile: %+v", p)
	}
	if n := g.ActiveName("x"); n != "x" {
		t.Errorf("a named profile: %q", n)
	}
	t.Setenv("HOTDATA_PROFILE", "staging")
	if n := g.ActiveName(""); n != "staging" {
		t.Errorf("HOTDATA_PROFILE: %q", n)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if !g.Loose() {
		t.Error("a 0644 file holding tokens is loose")
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(); err == nil {
		t.Error("a broken file loads")
	}
}
