package secretscan

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Scan searches every file under dir but SecretsDir for records and
// returns what it searched and found.
func Scan(records []Record, dir string) (Report, error) {
	s, err := newScanner(records)
	if err != nil {
		return Report{}, err
	}
	return s.scanDir(dir)
}

// scanner searches byte strings for every pattern of a set of secrets at
// once: an index on each pattern's first minPattern bytes, with a bit set
// in front of it so that most positions cost one lookup.
type scanner struct {
	records  []Record
	patterns []pattern
	prefix   map[uint64][]int32
	bits     []uint64
}

const filterBits = 24 // a 2 MB bit set

func newScanner(records []Record) (*scanner, error) {
	ps, err := patterns(records)
	if err != nil {
		return nil, err
	}
	s := &scanner{records: records, patterns: ps, prefix: map[uint64][]int32{}, bits: make([]uint64, 1<<filterBits/64)}
	for i, p := range ps {
		k := binary.LittleEndian.Uint64(p.b)
		s.prefix[k] = append(s.prefix[k], int32(i))
		h := filterHash(k)
		s.bits[h/64] |= 1 << (h % 64)
	}
	return s, nil
}

func filterHash(k uint64) uint64 { return (k * 0x9e3779b97f4a7c15) >> (64 - filterBits) }

// Hit is a secret found in an artifact: what it is, who recorded it, how
// it was written and where. It never holds the secret.
type Hit struct {
	Kind     Kind
	Test     string
	Form     string
	Encoding string
	File     string
	Offset   int
	// Count is how many times this secret, so written, is in File.
	Count int
}

// find returns the hits in data, one per secret and way of writing it,
// with file as their File.
func (s *scanner) find(file string, data []byte) []Hit {
	var hits []Hit
	at := map[int32]int{} // pattern → index in hits
	for i := 0; i+minPattern <= len(data); i++ {
		k := binary.LittleEndian.Uint64(data[i:])
		if h := filterHash(k); s.bits[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		for _, pi := range s.prefix[k] {
			p := s.patterns[pi]
			if !bytes.HasPrefix(data[i:], p.b) {
				continue
			}
			if j, ok := at[pi]; ok {
				hits[j].Count++
				continue
			}
			r := s.records[p.secret]
			at[pi] = len(hits)
			hits = append(hits, Hit{Kind: r.Kind, Test: r.Test, Form: p.form, Encoding: p.encoding, File: file, Offset: i, Count: 1})
		}
	}
	return hits
}

func (s *scanner) scanDir(dir string) (Report, error) {
	rep := Report{Secrets: map[Kind]int{}, Patterns: len(s.patterns), Classes: map[string]*Class{}}
	for _, r := range s.records {
		rep.Secrets[r.Kind]++
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() && rel == SecretsDir {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		class := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		c := rep.Classes[class]
		if c == nil {
			c = &Class{}
			rep.Classes[class] = c
		}
		c.Files++
		c.Bytes += int64(len(data))
		rep.Hits = append(rep.Hits, s.find(rel, data)...)
		return nil
	})
	return rep, err
}
