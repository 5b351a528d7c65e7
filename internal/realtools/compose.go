package realtools

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// Compose fails t unless compose-go, the loader of Docker Compose v2,
// accepts src: YAML, the Compose Specification's schema, interpolation
// and the consistency checks. It reads no other file: extends, include
// and env_file are not followed, so the check stays inside src.
func Compose(t testing.TB, name string, src []byte) {
	t.Helper()
	dir := t.TempDir()
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, filepath.Base(name)), Content: src}},
		Environment: types.Mapping{},
	}
	_, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("headroom-check", true)
		o.SkipExtends = true
		o.SkipInclude = true
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.ResourceLoaders = nil
	})
	if err != nil {
		t.Errorf("compose-go rejects %s after the fix: %v", name, err)
	}
}
