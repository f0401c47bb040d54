package console

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
)

// hashAssets hashes each static file: pages link them with ?v=<hash>, so
// a browser may keep them for a year and still never use a stale one.
func hashAssets(files fs.FS) (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[name] = hex.EncodeToString(sum[:8])
		return nil
	})
	return out, err
}

// asset is the URL of a static file, with its content hash.
func (c *Console) asset(name string) string {
	return Prefix + "static/" + name + "?v=" + c.assets[name]
}

// cacheStatic lets the browser keep a static file asked for by its
// current hash; any other request revalidates.
func (c *Console) cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		if v := r.URL.Query().Get("v"); v != "" && v == c.assets[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		next.ServeHTTP(w, r)
	})
}
