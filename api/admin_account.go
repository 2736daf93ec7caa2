package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/wxlogin/wxlogin/api/gen"
	"github.com/wxlogin/wxlogin/tenants"
)

func secretStatus(a tenants.Account) gen.SecretStatus {
	s := gen.SecretStatus{Set: a.SecretVersion > 0, Version: a.SecretVersion}
	if s.Set {
		s.UpdatedAt = &a.SecretUpdatedAt
	}
	return s
}

func (h *adminHandler) accountJSON(a tenants.Account) gen.Account {
	return gen.Account{
		Appid: a.AppID, Name: a.Name, Kind: gen.Kind(a.Kind), Mode: gen.Mode(a.Mode), DefaultScope: gen.Scope(a.DefaultScope),
		RedirectUris: a.RedirectURIs, TokenTTLSeconds: int(a.TokenTTL / time.Second), OpenPlatformID: a.OpenPlatformID,
		Secret: secretStatus(a), LoginURL: h.login.LoginURL(a.TenantID, a.AppID), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

func (h *adminHandler) ListAccounts(c *gin.Context, tenant gen.TenantPath, params gen.ListAccountsParams) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	p, ok := pageOf(c, params.Limit, params.Cursor)
	if !ok {
		return
	}
	accts, err := h.tenants.Store.ListAccounts(c.Request.Context(), tenant, p)
	if err != nil {
		writeProblem(c, err)
		return
	}
	out := gen.AccountList{Items: make([]gen.Account, len(accts))}
	for i, a := range accts {
		out.Items[i] = h.accountJSON(a)
	}
	if len(accts) > 0 {
		out.NextCursor = nextCursor(p, len(accts), accts[len(accts)-1].AppID)
	}
	c.JSON(http.StatusOK, out)
}

func (h *adminHandler) CreateAccount(c *gin.Context, tenant gen.TenantPath, _ gen.CreateAccountParams) {
	var body gen.AccountCreate
	key, ok := h.authorizeBody(c, tenant, write, &body)
	if !ok {
		return
	}
	a := tenants.Account{
		TenantID: tenant, AppID: body.Appid, Name: body.Name, Mode: tenants.Mode(body.Mode),
		DefaultScope: string(body.DefaultScope), RedirectURIs: body.RedirectUris,
	}
	if body.TokenTTLSeconds != nil {
		a.TokenTTL = time.Duration(*body.TokenTTLSeconds) * time.Second
	}
	if body.Kind != nil {
		a.Kind = tenants.Kind(*body.Kind)
	}
	if body.OpenPlatformID != nil {
		a.OpenPlatformID = *body.OpenPlatformID
	}
	a, err := h.tenants.CreateAccount(c.Request.Context(), a, "")
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "account.create", "account:"+a.AppID)
	c.Header("ETag", etag(a.UpdatedAt))
	c.Header("Location", "/v1/tenants/"+tenant+"/accounts/"+a.AppID)
	c.JSON(http.StatusCreated, h.accountJSON(a))
}

func (h *adminHandler) GetAccount(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	a, err := h.tenants.Store.GetAccount(c.Request.Context(), tenant, appid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.Header("ETag", etag(a.UpdatedAt))
	c.JSON(http.StatusOK, h.accountJSON(a))
}

func (h *adminHandler) UpdateAccount(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath, params gen.UpdateAccountParams) {
	var body gen.AccountUpdate
	key, ok := h.authorizeBody(c, tenant, write, &body)
	if !ok {
		return
	}
	// If-Match is checked against the account as it is when the update
	// applies, with the account locked: of two updates sent with one
	// ETag, one wins and the other gets 412.
	a, err := h.tenants.UpdateAccount(c.Request.Context(), tenant, appid, func(a *tenants.Account) error {
		if err := precondition(params.IfMatch, a.UpdatedAt); err != nil {
			return err
		}
		applyAccountUpdate(a, body)
		return nil
	})
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "account.update", "account:"+a.AppID)
	c.Header("ETag", etag(a.UpdatedAt))
	c.JSON(http.StatusOK, h.accountJSON(a))
}

func applyAccountUpdate(a *tenants.Account, u gen.AccountUpdate) {
	if u.Name != nil {
		a.Name = *u.Name
	}
	if u.Mode != nil {
		a.Mode = tenants.Mode(*u.Mode)
	}
	if u.DefaultScope != nil {
		a.DefaultScope = string(*u.DefaultScope)
	}
	if u.RedirectUris != nil {
		a.RedirectURIs = *u.RedirectUris
	}
	if u.TokenTTLSeconds != nil {
		a.TokenTTL = time.Duration(*u.TokenTTLSeconds) * time.Second
	}
	if u.OpenPlatformID != nil {
		a.OpenPlatformID = *u.OpenPlatformID
	}
}

func accountDeletionJSON(d tenants.AccountDeletion) gen.AccountDeletion {
	return gen.AccountDeletion{ID: d.ID, Appid: d.AppID, RequestedAt: d.RequestedAt, FinishedAt: d.FinishedAt,
		IdentitiesDeleted: d.Identities, LoginEventsDeleted: d.LoginEvents}
}

// DeleteAccount deletes the account at once and answers 202: its rows go
// in the background, and Location follows that.
func (h *adminHandler) DeleteAccount(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath) {
	key, ok := h.authorize(c, tenant, write)
	if !ok {
		return
	}
	d, err := h.tenants.DeleteAccount(c.Request.Context(), tenant, appid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "account.delete", "account:"+appid)
	c.Header("Location", "/v1/tenants/"+tenant+"/account-deletions/"+d.ID)
	c.JSON(http.StatusAccepted, accountDeletionJSON(d))
}

func (h *adminHandler) GetAccountDeletion(c *gin.Context, tenant gen.TenantPath, id gen.DeletionID) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	d, err := h.tenants.Store.AccountDeletion(c.Request.Context(), tenant, id)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, accountDeletionJSON(d))
}

func (h *adminHandler) GetAppSecretStatus(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath) {
	if _, ok := h.authorize(c, tenant, read); !ok {
		return
	}
	a, err := h.tenants.Store.GetAccount(c.Request.Context(), tenant, appid)
	if err != nil {
		writeProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, secretStatus(a))
}

// PutAppSecret stores a new AppSecret version. The value goes to the
// secret store only: not to the audit log, the answer or any log line.
func (h *adminHandler) PutAppSecret(c *gin.Context, tenant gen.TenantPath, appid gen.AppIDPath) {
	var body gen.AppSecretWrite
	key, ok := h.authorizeBody(c, tenant, write, &body)
	if !ok {
		return
	}
	value := ""
	if body.AppSecret != nil {
		value = *body.AppSecret
	}
	a, err := h.tenants.SetAppSecret(c.Request.Context(), tenant, appid, value)
	if err != nil {
		writeProblem(c, err)
		return
	}
	h.audit(c, key, tenant, "app_secret.put", "account:"+appid)
	c.JSON(http.StatusOK, secretStatus(a))
}
