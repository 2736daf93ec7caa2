package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/wxlogin/wxlogin/tenants"
)

// subcommand checks that args start with the only verb these commands have.
func subcommand(name string, args []string) ([]string, error) {
	if len(args) == 0 || args[0] != "create" {
		return nil, fmt.Errorf("usage: wxlogin %s create [flags]", name)
	}
	return args[1:], nil
}

func runTenant(ctx context.Context, env *environment, args []string) error {
	args, err := subcommand("tenant", args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	id := fs.String("id", "", "tenant ID (3-63 of a-z, 0-9, '-'); appears in URLs")
	name := fs.String("name", "", "display name")
	zone := fs.String("time-zone", tenants.DefaultTimeZone, "IANA time zone of the tenant's reports and console")
	return withApp(ctx, env, fs, args, func(a *app) error {
		t, err := a.tenants.CreateTenant(ctx, tenants.Tenant{ID: *id, Name: *name, TimeZone: *zone})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "tenant %s created\nissuer: %s\njwks:   %s/.well-known/jwks.json\n", t.ID, a.login.Issuer(t.ID), a.login.Issuer(t.ID))
		return nil
	})
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runAccount(ctx context.Context, env *environment, args []string) error {
	args, err := subcommand("account", args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("account create", flag.ContinueOnError)
	var redirects listFlag
	tenant := fs.String("tenant", "", "tenant ID")
	appID := fs.String("appid", "", "official account AppId")
	name := fs.String("name", "", "display name")
	mode := fs.String("mode", string(tenants.ModeSandbox), "sandbox or live")
	kind := fs.String("kind", string(tenants.KindOfficial), "official (an official account) or website (an Open Platform website app, scope snsapi_login)")
	scope := fs.String("scope", tenants.ScopeBase, "default scope: snsapi_base or snsapi_userinfo; snsapi_login of a website app")
	platform := fs.String("open-platform", "", "Open Platform account the official account is bound to (empty: not bound)")
	ttl := fs.Duration("token-ttl", tenants.DefaultTokenTTL, "JWT lifetime")
	fs.Var(&redirects, "redirect-uri", "allowed redirect URI (repeatable; exact match)")
	return withApp(ctx, env, fs, args, func(a *app) error {
		secret, err := readAppSecret(env)
		if err != nil {
			return err
		}
		acct, err := a.tenants.CreateAccount(ctx, tenants.Account{
			TenantID: *tenant, AppID: *appID, Name: *name, Kind: tenants.Kind(*kind), Mode: tenants.Mode(*mode), DefaultScope: *scope,
			RedirectURIs: redirects, TokenTTL: *ttl, OpenPlatformID: *platform,
		}, secret)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "account %s created (AppSecret version %d)\nhosted login URL: %s\n",
			acct.AppID, acct.SecretVersion, a.login.LoginURL(acct.TenantID, acct.AppID))
		return nil
	})
}

// readAppSecret takes the AppSecret from WXLOGIN_APP_SECRET or the first
// line of stdin: never from argv, where other users of the machine see it.
func readAppSecret(env *environment) (string, error) {
	if v, _ := env.lookupEnv("WXLOGIN_APP_SECRET"); v != "" {
		return v, nil
	}
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if line = strings.TrimSpace(line); line == "" {
		return "", errors.Join(errors.New("no AppSecret: set WXLOGIN_APP_SECRET or pipe it on stdin"), err)
	}
	return line, nil
}

func runAPIKey(ctx context.Context, env *environment, args []string) error {
	args, err := subcommand("apikey", args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "tenant ID (empty for an operator key)")
	name := fs.String("name", "", "what the key is for")
	role := fs.String("role", string(tenants.RoleAdmin), "operator, admin or viewer")
	ttl := fs.Duration("expires-in", 0, "expire after this long (0: never)")
	return withApp(ctx, env, fs, args, func(a *app) error {
		var expires *time.Time
		if *ttl > 0 {
			t := time.Now().UTC().Add(*ttl)
			expires = &t
		}
		k, value, err := a.tenants.CreateAPIKey(ctx, *tenant, *name, tenants.Role(*role), expires)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "api key %s (%s) created; it is shown once:\n", k.ID, k.Role)
		fmt.Fprintln(env.stdout, value)
		return nil
	})
}

func runClientSecret(ctx context.Context, env *environment, args []string) error {
	args, err := subcommand("client-secret", args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("client-secret create", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "tenant ID")
	appID := fs.String("appid", "", "official account AppId (the client_id)")
	return withApp(ctx, env, fs, args, func(a *app) error {
		cs, value, err := a.tenants.CreateClientSecret(ctx, *tenant, *appID)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "client secret %s for client_id %s created; it is shown once:\n", cs.ID, cs.AppID)
		fmt.Fprintln(env.stdout, value)
		return nil
	})
}
