package secrets

import (
	"fmt"
	"strings"
)

// maxPathLen bounds a path so that a prefixed Vault path stays well inside
// URL limits.
const maxPathLen = 512

// ValidatePath reports whether path may name a secret: non-empty, at most
// 512 bytes, relative (no leading "/"), with no empty, "." or ".." segment
// and no control characters. The error wraps ErrInvalidPath.
func ValidatePath(path string) error {
	switch {
	case path == "":
		return fmt.Errorf("%w: empty", ErrInvalidPath)
	case len(path) > maxPathLen:
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidPath, maxPathLen)
	case strings.ContainsFunc(path, isControl):
		return fmt.Errorf("%w: control character in %q", ErrInvalidPath, path)
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: %q must be relative with no empty, \".\" or \"..\" segment", ErrInvalidPath, path)
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
