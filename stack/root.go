package stack

import (
	"path"
	"strings"
)

// Root is the folder that holds every file of the stack ("" when it has
// none).
func (s *Stack) Root() string {
	root := ""
	for i, f := range s.Files {
		dir := path.Dir(f.Doc.Path)
		if i == 0 {
			root = dir
			continue
		}
		for root != "." && root != "/" && dir != root && !strings.HasPrefix(dir, root+"/") {
			root = path.Dir(root)
		}
	}
	return root
}
