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
		for _, m := range deploymentMarkers {
			if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
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
