package api

import (
	"embed"
	"html/template"

	"github.com/gin-gonic/gin"
)

//go:embed pages/*.html
var pageFS embed.FS

var pageTemplate = template.Must(template.ParseFS(pageFS, "pages/page.html"))

// page is what a person sees when the hosted login cannot go on: a title and
// a sentence in Chinese and English, and a way forward.
type page struct {
	Title, TitleEN string
	Text, TextEN   string
	// Retry is a link that starts the login again.
	Retry string
	// Refresh reloads the given URL after a second.
	Refresh string
	// Scan is a link to open in WeChat, shown as a QR code to scan.
	Scan string
}

func renderPage(c *gin.Context, status int, p page) {
	data := struct {
		page
		QRCode template.HTML
	}{page: p}
	if p.Scan != "" {
		qr, err := qrSVG(p.Scan)
		if err != nil {
			_ = c.Error(err)
		}
		data.QRCode = qr
	}
	c.Header("Cache-Control", "no-store")
	if p.Refresh != "" {
		c.Header("Refresh", "1; url="+p.Refresh)
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := pageTemplate.Execute(c.Writer, data); err != nil {
		_ = c.Error(err)
	}
}
