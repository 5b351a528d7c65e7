package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Copies writes n copies of the stack under src (every file, as is) into
// dir/stack-0001 ... dir/stack-n: a monorepo shaped like a real one, with
// the models, views, serializers and Celery app a real project has, where
// Write's generated services are light on Python. It returns the number of
// files and bytes written.
func Copies(dir, src string, n int) (files int, bytes int64, err error) {
	stack, err := readStack(src)
	if err != nil {
		return 0, 0, err
	}
	width := len(fmt.Sprint(n))
	for i := 1; i <= n; i++ {
		base := filepath.Join(dir, fmt.Sprintf("stack-%0*d", width, i))
		for _, f := range stack {
			p := filepath.Join(base, f.rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return files, bytes, err
			}
			if err := os.WriteFile(p, f.data, 0o644); err != nil {
				return files, bytes, err
			}
			files++
			bytes += int64(len(f.data))
		}
	}
	return files, bytes, nil
}

// CopiesTree returns a folder of n copies of the stack under src (see
// Copies), written once into a cache folder under the system temp folder
// named by a hash of src's content, so a changed stack gets a new tree.
func CopiesTree(tb testing.TB, src string, n int) string {
	tb.Helper()
	treeMu.Lock()
	defer treeMu.Unlock()
	stack, err := readStack(src)
	if err != nil {
		tb.Fatal(err)
	}
	h := sha256.New()
	for _, f := range stack {
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(f.rel), len(f.data))
		h.Write(f.data)
	}
	dir := filepath.Join(os.TempDir(), "headroom-bench", fmt.Sprintf("copies-%s-%d", hex.EncodeToString(h.Sum(nil))[:12], n))
	stamp := filepath.Join(dir, ".complete")
	if _, err := os.Stat(stamp); err == nil {
		return filepath.Join(dir, "repo")
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if _, _, err := Copies(filepath.Join(dir, "repo"), src, n); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(stamp, nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, "repo")
}

type stackFile struct {
	rel  string
	data []byte
}

// readStack reads every file under src, in lexical order.
func readStack(src string) ([]stackFile, error) {
	var stack []stackFile
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		stack = append(stack, stackFile{rel, data})
		return nil
	})
	return stack, err
}
