package config

import (
	"os"
	"path/filepath"
	"strings"
)

// deploymentMarkers are the files whose folder is a deployment's root: the
// project's configuration and the compose files. A repository's root
// (.git) ends the walk up too.
var deploymentMarkers = append(append([]string{}, Names...), "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")

// DeploymentRoot is the folder of the deployment file p belongs to, as a
// path relative to the current folder where p is relative: the nearest
// folder above it with a .headroom.yaml or a compose file, else the root of
// its repository; else the current folder when p lies below it; else ""
// (the file alone).
func DeploymentRoot(p string) string {
	abs := absOr(p)
	cwd, _ := os.Getwd()
	for dir := filepath.Dir(abs); ; {
		for i, m := range deploymentMarkers {
			if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
				if i >= len(Names) {
					// A compose file's folder; the repository's other
					// files join it where it is the only deployment
					// (stack.Deployments), so the repository is read.
					if top := repositoryTop(cwd, dir); top != "" && loneDeployment(top, dir) {
						return relTo(cwd, top, p)
					}
				}
				return relTo(cwd, dir, p)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return relTo(cwd, dir, p)
		}
		up := filepath.Dir(dir)
		if up == dir {
			break
		}
		dir = up
	}
	if cwd != "" && within(cwd, abs) {
		return relTo(cwd, cwd, p)
	}
	return ""
}

// relTo names dir as p is named: relative to cwd when p is relative.
func relTo(cwd, dir, p string) string {
	if filepath.IsAbs(p) || cwd == "" {
		return dir
	}
	if rel, err := filepath.Rel(cwd, dir); err == nil {
		return rel
	}
	return dir
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// repositoryTop is the folder above dir that ends a walk up: the nearest
// with a .headroom.yaml or .git, or cwd where dir lies below it; "" when
// none.
func repositoryTop(cwd, dir string) string {
	for d := filepath.Dir(dir); ; {
		for _, m := range append(append([]string{}, Names...), ".git") {
			if _, err := os.Stat(filepath.Join(d, m)); err == nil {
				return d
			}
		}
		if cwd != "" && d == cwd {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

// loneDeployment says no compose file or Dockerfile lies under top outside
// dir: the deployment of dir is the repository's only one, and the files
// beneath no compose file belong to it. The walk reads names only and
// gives up (false) past a few thousand entries.
func loneDeployment(top, dir string) bool {
	seen, lone := 0, true
	filepath.WalkDir(top, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		seen++
		if seen > 5000 {
			lone = false
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() {
			if p == dir || p != top && (strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, "Dockerfile") || strings.HasSuffix(name, ".Dockerfile") {
			lone = false
			return filepath.SkipAll
		}
		for _, m := range deploymentMarkers[len(Names):] {
			if name == m {
				lone = false
				return filepath.SkipAll
			}
		}
		return nil
	})
	return lone
}
