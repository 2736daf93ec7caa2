package secretscan

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Report is what a scan searched for, what it searched and what it found.
type Report struct {
	Secrets  map[Kind]int
	Patterns int
	// Classes are the artifacts by the top directory they are in.
	Classes map[string]*Class
	Hits    []Hit
}

// Class counts the artifacts of one kind.
type Class struct {
	Files int
	Bytes int64
}

// Files and Bytes are the totals over all classes.
func (r Report) Files() (files int, bytes int64) {
	for _, c := range r.Classes {
		files += c.Files
		bytes += c.Bytes
	}
	return files, bytes
}

// String is the summary: secrets by kind, artifacts by class, and each hit.
func (r Report) String() string {
	var b strings.Builder
	total := 0
	var kinds []string
	for _, k := range slices.Sorted(maps.Keys(r.Secrets)) {
		total += r.Secrets[k]
		kinds = append(kinds, fmt.Sprintf("%s %d", k, r.Secrets[k]))
	}
	fmt.Fprintf(&b, "secret scan: %d secrets (%s), searched as %d byte strings\n", total, strings.Join(kinds, ", "), r.Patterns)
	files, bytes := r.Files()
	var classes []string
	for _, name := range slices.Sorted(maps.Keys(r.Classes)) {
		c := r.Classes[name]
		classes = append(classes, fmt.Sprintf("%s %d files %s", name, c.Files, size(c.Bytes)))
	}
	fmt.Fprintf(&b, "searched %d files, %s: %s\n", files, size(bytes), strings.Join(classes, "; "))
	fmt.Fprintf(&b, "hits: %d\n", len(r.Hits))
	for _, h := range r.Hits {
		fmt.Fprintf(&b, "  %s\n", h)
	}
	return b.String()
}

// String names the secret by kind and recording test, never by value.
func (h Hit) String() string {
	form := ""
	if h.Form != "value" {
		form = " (" + h.Form + ")"
	}
	return fmt.Sprintf("%s%s of %s, %s, in %s at byte %d (%d times)", h.Kind, form, h.Test, h.Encoding, h.File, h.Offset, h.Count)
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
