package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/internal/reports"
	"github.com/wxlogin/wxlogin/tenants"
)

func accountActivity(a reports.AccountActivity) gen.AccountActivity {
	out := gen.AccountActivity{Appid: a.AppID, Buckets: make([]gen.ActivityBucket, len(a.Buckets))}
	for i, b := range a.Buckets {
		out.Buckets[i] = gen.ActivityBucket{Start: b.Start, NewPersons: b.NewPersons, ActivePersons: b.ActivePersons, Logins: b.Logins}
	}
	return out
}

func (h *adminHandler) GetReportActivity(c *gin.Context, tenant gen.TenantPath, params gen.GetReportActivityParams) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	t, err := h.tenants.Store.GetTenant(c.Request.Context(), tenant)
	if err != nil {
		writeProblem(c, err)
		return
	}
	zone := t.TimeZone
	if params.TimeZone != nil {
		zone = *params.TimeZone
	}
	loc, err := tenants.LoadTimeZone(zone)
	if err != nil {
		writeProblem(c, err)
		return
	}
	q := reports.ActivityQuery{Window: reports.Window{From: params.From, To: params.To}, Interval: reports.Day, Location: loc}
	if params.Interval != nil {
		q.Interval = reports.Interval(*params.Interval)
	}
	if err := q.Validate(); err != nil {
		writeProblem(c, err)
		return
	}
	act, err := h.reports.Activity(c.Request.Context(), tenant, q)
	if err != nil {
		writeProblem(c, err)
		return
	}
	all := append([]reports.AccountActivity{act.Total}, act.Accounts...)
	if wantsCSV(c) {
		writeActivityCSV(c, all)
		return
	}
	out := gen.ReportActivity{Interval: gen.ReportActivityInterval(q.Interval), TimeZone: q.Location.String(), Total: accountActivity(act.Total),
		Accounts: make([]gen.AccountActivity, len(act.Accounts))}
	for i, a := range act.Accounts {
		out.Accounts[i] = accountActivity(a)
	}
	c.JSON(http.StatusOK, out)
}

func writeActivityCSV(c *gin.Context, all []reports.AccountActivity) {
	w := startCSV(c, "activity.csv", "appid", "start", "new_persons", "active_persons", "logins")
	for _, a := range all {
		for _, b := range a.Buckets {
			_ = w.Write([]string{a.AppID, b.Start.Format(time.RFC3339), strconv.FormatInt(b.NewPersons, 10),
				strconv.FormatInt(b.ActivePersons, 10), strconv.FormatInt(b.Logins, 10)})
		}
	}
	w.Flush()
}
