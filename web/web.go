package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// dist is the built console (npm run build). Its index.html is
// committed so that the package builds from a clean clone; .ci/run
// builds it again and fails when the committed build is stale.
//
//go:embed all:dist
var dist embed.FS

// apiPrefixes are the paths the REST API serves; everything else is the
// console.
var apiPrefixes = []string{"/v1/", "/v1", "/healthz", "/readyz", "/metrics"}

// securityHeaders are set on every console response: the app loads only
// its own scripts and styles, talks only to this origin, and is never
// framed (clickjacking), and its token never leaks in a Referer.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
	"X-Frame-Options":        "DENY",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
}

// Handler serves the REST API's paths with apiHandler and the console
// at every other path: a file of the build when one has that path, else
// index.html (the app routes with the URL's hash).
func Handler(apiHandler http.Handler) http.Handler {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range apiPrefixes {
			if r.URL.Path == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(r.URL.Path, p)) {
				apiHandler.ServeHTTP(w, r)
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		for k, v := range securityHeaders {
			w.Header().Set(k, v)
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && !exists(root, name) && (strings.HasPrefix(name, "assets/") || path.Ext(name) != "") {
			// A file the build does not have (an old build's asset): a
			// plain 404, not the app served as a script.
			http.NotFound(w, r)
			return
		}
		if name == "" || !exists(root, name) {
			// The app's own routes are in the hash; any other path is
			// the app too (a bookmark of an old layout, say).
			w.Header().Set("Cache-Control", "no-cache")
			serveIndex(w, r, root)
			return
		}
		if strings.HasPrefix(name, "assets/") {
			// Vite names built assets by their content's hash.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
}

func exists(root fs.FS, name string) bool {
	st, err := fs.Stat(root, name)
	return err == nil && !st.IsDir()
}

func serveIndex(w http.ResponseWriter, r *http.Request, root fs.FS) {
	b, err := fs.ReadFile(root, "index.html")
	if err != nil {
		http.Error(w, "the console is not built: run `npm --prefix web ci && npm --prefix web run build`", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b)
}
