package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/reports"
)

func personJSON(p reports.Person) gen.Person {
	out := gen.Person{Unionid: p.UnionID, FirstAppid: p.FirstAppID, FirstLoginAt: p.FirstLoginAt, LastLoginAt: p.LastLoginAt, Logins: p.Logins}
	out.Accounts = make([]struct {
		Appid  gen.AppID  `json:"appid"`
		Openid gen.OpenID `json:"openid"`
	}, len(p.Accounts))
	for i, a := range p.Accounts {
		out.Accounts[i].Appid, out.Accounts[i].Openid = a.AppID, a.OpenID
	}
	return out
}

func (h *adminHandler) ListPersons(c *gin.Context, tenant gen.TenantPath, params gen.ListPersonsParams) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	f := reports.PersonFilter{}
	if params.Appid != nil {
		f.AppID = *params.Appid
	}
	if wantsCSV(c) {
		h.exportPersons(c, tenant, f)
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	f.Page = p
	persons, err := h.reports.Persons(c.Request.Context(), tenant, f)
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.PersonList{Items: make([]gen.Person, len(persons))}
	for i, person := range persons {
		out.Items[i] = personJSON(person)
	}
	if len(persons) > 0 {
		out.NextCursor = nextCursor(p, len(persons), persons[len(persons)-1].UnionID)
	}
	c.JSON(http.StatusOK, out)
}

// exportPersons streams every person as CSV: rows go out as the database
// yields them, so a million persons never sit in memory.
func (h *adminHandler) exportPersons(c *gin.Context, tenant string, f reports.PersonFilter) {
	w := startCSV(c, "persons.csv", "unionid", "first_appid", "first_login_at", "last_login_at", "logins", "accounts")
	err := h.reports.EachPerson(streamContext(c), tenant, f, func(p reports.Person) error {
		accounts := make([]string, len(p.Accounts))
		for i, a := range p.Accounts {
			accounts[i] = a.AppID + ":" + a.OpenID
		}
		return w.Write([]string{p.UnionID, p.FirstAppID, p.FirstLoginAt.UTC().Format(time.RFC3339), p.LastLoginAt.UTC().Format(time.RFC3339),
			strconv.FormatInt(p.Logins, 10), strings.Join(accounts, ";")})
	})
	w.Flush()
	if err != nil {
		// The status is sent; all that is left is to cut the export short,
		// which the client sees as a truncated body.
		h.logger.Error("export persons", "tenant", tenant, "error", err.Error())
		panic(http.ErrAbortHandler)
	}
}

func (h *adminHandler) GetPerson(c *gin.Context, tenant gen.TenantPath, unionid gen.UnionID) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	p, err := h.reports.Person(c.Request.Context(), tenant, unionid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, personJSON(p))
}
