package secretscan

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// minPattern is the length of the shortest byte string searched for, and
// of the prefix the index keys on: shorter ones would be found by chance.
const minPattern = 8

// pattern is one byte string that, found in an artifact, is a leak of
// secret: the secret in one of its forms, in one encoding.
type pattern struct {
	secret   int // index into the records
	form     string
	encoding string
	b        []byte
}

// form is one serialization of a secret.
type form struct {
	name string
	b    []byte
}

// forms are the byte strings a secret is written as. Most secrets are
// their value; a signing key is also its PKCS #8 DER, its SEC1 DER and
// PEM, and its private scalar (raw: base64url of it is the JWK "d"); the
// local store's key and a Vault unseal key are their raw bytes.
func forms(r Record) ([]form, error) {
	switch r.Kind {
	case SigningKey:
		return keyForms(r.Value)
	case LocalStoreKey, VaultUnsealKey:
		raw, err := base64.StdEncoding.DecodeString(r.Value)
		if err != nil {
			return nil, errors.New("not standard base64")
		}
		return []form{{"raw", raw}}, nil
	}
	return []form{{"value", []byte(r.Value)}}, nil
}

func keyForms(pemText string) ([]form, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM PKCS #8 block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("not valid PKCS #8")
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an ECDSA key")
	}
	sec1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		return nil, errors.New("no SEC1 form")
	}
	d, err := ec.ECDH()
	if err != nil {
		return nil, errors.New("no private scalar")
	}
	return []form{
		{"PEM", []byte(pemText)},
		{"PKCS #8 DER", block.Bytes},
		{"SEC1 DER", sec1},
		{"SEC1 PEM", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})},
		{"private scalar", d.Bytes()},
	}, nil
}

// encoding turns a form into the byte strings it may appear as.
type encoding struct {
	name string
	// text encodings apply to valid UTF-8 only.
	text   bool
	encode func([]byte) [][]byte
}

var encodings = []encoding{
	{"as is", false, func(b []byte) [][]byte { return [][]byte{b} }},
	{"URL-encoded", true, func(b []byte) [][]byte {
		return [][]byte{[]byte(url.QueryEscape(string(b))), []byte(url.PathEscape(string(b)))}
	}},
	{"JSON-escaped", true, jsonEscaped},
	{"base64", false, func(b []byte) [][]byte { return base64Cores(base64.StdEncoding, b) }},
	{"base64url", false, func(b []byte) [][]byte { return base64Cores(base64.URLEncoding, b) }},
	{"hex", false, func(b []byte) [][]byte {
		h := hex.EncodeToString(b)
		return [][]byte{[]byte(h), []byte(strings.ToUpper(h))}
	}},
}

// jsonEscaped is b as it is inside a JSON string, with and without the
// escaping of <, > and & that Go's encoder does by default.
func jsonEscaped(b []byte) [][]byte {
	var out [][]byte
	for _, html := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(string(b)) // a string always encodes
		out = append(out, bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(buf.Bytes()), []byte(`"`)), []byte(`"`)))
	}
	return out
}

// base64Cores are the parts of b's encoding that are the same wherever b
// starts inside a longer encoded text (in a Basic authorization header, a
// JWT, a blob): for each of the three alignments, the groups of four
// characters that encode b's bytes alone.
func base64Cores(enc *base64.Encoding, b []byte) [][]byte {
	var out [][]byte
	for lead := range 3 {
		shifted := append(make([]byte, lead), b...)
		s := enc.EncodeToString(shifted)
		start := 0
		if lead > 0 {
			start = 4 // the first group mixes in bytes before b
		}
		end := len(shifted) / 3 * 4 // the last, partial group mixes in bytes after b
		if end > start {
			out = append(out, []byte(s[start:end]))
		}
	}
	return out
}

// patterns are every form of every record in every encoding, each byte
// string once per record. A record none of whose forms is at least
// minPattern bytes long as it is cannot be searched for: that is an error.
func patterns(records []Record) ([]pattern, error) {
	var out []pattern
	for i, r := range records {
		fs, err := forms(r)
		if err != nil {
			return nil, fmt.Errorf("a %s recorded by %s: %w", r.Kind, r.Test, err)
		}
		seen := map[string]bool{}
		searchable := false
		for _, f := range fs {
			searchable = searchable || len(f.b) >= minPattern
			for _, e := range encodings {
				if e.text && !utf8.Valid(f.b) {
					continue
				}
				for _, b := range e.encode(f.b) {
					if len(b) < minPattern || seen[string(b)] {
						continue
					}
					seen[string(b)] = true
					out = append(out, pattern{secret: i, form: f.name, encoding: e.name, b: b})
				}
			}
		}
		if !searchable {
			return nil, fmt.Errorf("a %s recorded by %s is shorter than %d bytes: too short to search for", r.Kind, r.Test, minPattern)
		}
	}
	return out, nil
}
