package api

import (
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// wantsCSV reports whether the client asked for a report as CSV.
func wantsCSV(c *gin.Context) bool { return strings.Contains(c.GetHeader("Accept"), "text/csv") }

// startCSV answers 200 with a CSV attachment named filename and its header
// row, and returns the writer for the rest (a streamWriter: rows may go on
// for longer than a request's deadline); the caller flushes it.
func startCSV(c *gin.Context, filename string, header ...string) *csv.Writer {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Status(http.StatusOK)
	w := csv.NewWriter(streamWriter(c))
	_ = w.Write(header)
	return w
}
