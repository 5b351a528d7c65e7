//go:build !unix

package driver

import "os"

// keepOwner has nothing to keep where files have no Unix owner.
func keepOwner(tmp *os.File, orig os.FileInfo) error { return nil }

// links is 1 where hard links are not counted.
func links(info os.FileInfo) uint64 { return 1 }

// device is 0 where file systems are not told apart: every journal folder
// is at the root of its tree.
func device(path string) (uint64, error) {
	_, err := os.Stat(path)
	return 0, err
}

// alive cannot tell here; a journal folder is taken as abandoned.
func alive(pid int) bool { return false }
