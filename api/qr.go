package api

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/skip2/go-qrcode"
)

// qrLevel is the error correction of the QR codes on wxlogin's pages.
const qrLevel = qrcode.Medium

// qrSVG draws text as a QR code in an inline SVG: one unit square per dark
// module of the library's bitmap (which has the four-module quiet zone),
// drawn by wxlogin itself, so no outside service ever sees the URL.
func qrSVG(text string) (template.HTML, error) {
	code, err := qrcode.New(text, qrLevel)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bitmap := code.Bitmap()
	n := len(bitmap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="qr" viewBox="0 0 %d %d" width="240" height="240" shape-rendering="crispEdges" role="img" aria-label="QR code">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bitmap {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil // only numbers were written into it
}
