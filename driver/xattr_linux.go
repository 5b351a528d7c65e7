package driver

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// keepXattrs copies the extended attributes of the file at path to the
// temporary file. A file system without them has none to copy; one the
// user may not set is an error, so the file is not written without it.
func keepXattrs(tmp *os.File, path string) error {
	names, err := xattrNames(path)
	if err != nil {
		if errors.Is(err, unix.ENOTSUP) {
			return nil
		}
		return fmt.Errorf("cannot read its extended attributes: %v", err)
	}
	for _, name := range names {
		val, err := xattrValue(path, name)
		if err != nil {
			return fmt.Errorf("cannot read its extended attribute %s: %v", name, err)
		}
		if cur, err := xattrValueFd(int(tmp.Fd()), name); err == nil && string(cur) == string(val) {
			continue // set already, as security.selinux by the file system
		}
		if err := unix.Fsetxattr(int(tmp.Fd()), name, val, 0); err != nil {
			return fmt.Errorf("cannot keep its extended attribute %s: %v", name, err)
		}
	}
	return nil
}

func xattrNames(path string) ([]string, error) {
	for size := 256; ; size *= 4 {
		buf := make([]byte, size)
		n, err := unix.Llistxattr(path, buf)
		if errors.Is(err, unix.ERANGE) && size < 1<<20 {
			continue
		}
		if err != nil {
			return nil, err
		}
		var names []string
		for _, s := range strings.Split(string(buf[:n]), "\x00") {
			if s != "" {
				names = append(names, s)
			}
		}
		return names, nil
	}
}

func xattrValue(path, name string) ([]byte, error) {
	for size := 256; ; size *= 4 {
		buf := make([]byte, size)
		n, err := unix.Lgetxattr(path, name, buf)
		if errors.Is(err, unix.ERANGE) && size < 1<<20 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}

func xattrValueFd(fd int, name string) ([]byte, error) {
	for size := 256; ; size *= 4 {
		buf := make([]byte, size)
		n, err := unix.Fgetxattr(fd, name, buf)
		if errors.Is(err, unix.ERANGE) && size < 1<<20 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}
