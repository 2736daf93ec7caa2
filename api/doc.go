// Package api is wxlogin's HTTP surface (gin): the hosted login pages, the
// token and JWKS endpoints, the WeChat sandbox mount, the admin API and
// its console (console.go; its sign-in with WeChat in console_wechat.go),
// and the middleware in front of them. errors.go holds the one mapping from domain errors to HTTP
// answers: pages for people, RFC 6749 JSON for tenants' backends.
package api
