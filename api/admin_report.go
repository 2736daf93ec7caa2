package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/reports"
)

func reportCounts(a reports.AccountSummary) gen.ReportCounts {
	return gen.ReportCounts{
		Appid: a.AppID, Identities: a.Identities, WithUnionid: a.WithUnionID, WithoutUnionid: a.WithoutUnionID,
		Persons: a.Persons, Logins: a.Logins, ActivePersons: a.ActivePersons,
	}
}

func (h *adminHandler) GetReportSummary(c *gin.Context, tenant gen.TenantPath, params gen.GetReportSummaryParams) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	w := reports.Window{From: params.From, To: params.To}
	if err := w.Validate(); err != nil {
		writeProblem(c, err)
		return
	}
	sum, err := h.reports.Summary(c.Request.Context(), tenant, w)
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.ReportSummary{From: params.From, To: params.To, Total: reportCounts(sum.Total), Accounts: make([]gen.ReportCounts, len(sum.Accounts))}
	for i, a := range sum.Accounts {
		out.Accounts[i] = reportCounts(a)
	}
	c.JSON(http.StatusOK, out)
}

func (h *adminHandler) GetReportOverlap(c *gin.Context, tenant gen.TenantPath) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	o, err := h.reports.Overlap(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, gen.ReportOverlap{Appids: nonNil(o.AppIDs), Both: nonNil(o.Both), OnlyOne: nonNil(o.OnlyOne)})
}

func (h *adminHandler) GetAccountsWithoutUnionID(c *gin.Context, tenant gen.TenantPath) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	ids, err := h.reports.AccountsWithoutUnionID(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, gen.AccountsWithoutUnionID{Appids: nonNil(ids)})
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
