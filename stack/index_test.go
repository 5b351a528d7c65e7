package stack

import (
	"testing"

	"github.com/headroom-dev/headroom/internal/gen"
)

// The index New builds must answer exactly as the scans it replaces, on a
// monorepo with many compose services, PgBouncers and app servers.
func TestIndexMatchesScan(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Write(dir, gen.Options{Files: 200, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	s, errs := Load([]string{dir}, 0)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	scan := *s
	scan.idx = nil
	if m1, c1 := s.WebMode(); true {
		m2, c2 := scan.WebMode()
		if m1 != m2 || c1 != c2 {
			t.Errorf("WebMode: index %v %p, scan %v %p", m1, c1, m2, c2)
		}
	}
	hosts := []string{"", "db", "DB", "pgbouncer", "web", "redis", "nginx", "missing", "my-pgbouncer-host"}
	for _, f := range s.Files {
		if got, want := s.File(f.Doc.Path), scan.File(f.Doc.Path); got != want {
			t.Errorf("File(%s): index %p, scan %p", f.Doc.Path, got, want)
		}
		if f.Compose != nil {
			for _, svc := range f.Compose.Services {
				hosts = append(hosts, svc.Hostnames()...)
			}
		}
	}
	if s.File("no/such/file") != nil {
		t.Error("File of a missing path is not nil")
	}
	for _, h := range hosts {
		if got, want := s.IsPgBouncer(h), scan.IsPgBouncer(h); got != want {
			t.Errorf("IsPgBouncer(%q): index %v, scan %v", h, got, want)
		}
		if got, want := s.ServerFor(h), scan.ServerFor(h); got != want {
			t.Errorf("ServerFor(%q): index %p, scan %p", h, got, want)
		}
	}
	// One web command: ServerFor falls back to it for any host.
	one, _ := Load([]string{"../testdata/wingman"}, 0)
	oneScan := *one
	oneScan.idx = nil
	for _, h := range []string{"web", "daphne", "elsewhere"} {
		if got, want := one.ServerFor(h), oneScan.ServerFor(h); got != want {
			t.Errorf("wingman ServerFor(%q): index %p, scan %p", h, got, want)
		}
	}
}
