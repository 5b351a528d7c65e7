package sitter

/*
#include <stddef.h>

// ts_set_allocator lives in go-tree-sitter's C objects, linked into the same
// binary; declared weak so this package's own cgo link step, which sees
// only its own objects, does not need it.
extern void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *)) __attribute__((weak));

static int headroom_ts_default_allocator(void) {
	if (!ts_set_allocator) {
		return 0;
	}
	ts_set_allocator(NULL, NULL, NULL, NULL);
	return 1;
}
*/
import "C"

// go-tree-sitter v0.25.0 routes every allocation the C library makes
// through a Go callback that only calls C's malloc or free again: a
// C-to-Go crossing per allocation and free, a quarter of the time of
// parsing a settings module (tree-sitter/go-tree-sitter#32, fixed upstream
// after v0.25.0 by the same reset). Setting the allocator back to tree-sitter's
// defaults makes it call libc directly; memory allocated before the reset
// came from the same malloc, so freeing it later is still correct. A later
// call to tree_sitter.SetAllocator wins over this.
var directAllocator = C.headroom_ts_default_allocator() == 1
