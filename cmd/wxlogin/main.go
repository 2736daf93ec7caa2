// Command wxlogin is the wxlogin server and its operator commands.
//
//	wxlogin serve                      run the server (settings from WXLOGIN_* variables)
//	wxlogin demo                       run on the embedded defaults with a demo tenant
//	wxlogin migrate up|down|status     apply, roll back or list database migrations
//	wxlogin tenant create …            create a tenant (and its first signing key)
//	wxlogin account create …           register an official account
//	wxlogin apikey create …            make an API key
//	wxlogin client-secret create …     make a client secret for an account
//	wxlogin wechat-sandbox …           run the WeChat emulator on its own
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // reports name IANA time zones; the image has no zoneinfo
)

// command is one subcommand: it parses its own flags from args.
type command struct {
	name, usage string
	run         func(ctx context.Context, env *environment, args []string) error
}

// environment is what a command may touch of the process.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookupEnv      func(string) (string, bool)
}

func commands() []command {
	return []command{
		{"serve", "run the server", runServe},
		{"demo", "run on the embedded defaults with a demo tenant and sandbox accounts", runDemo},
		{"migrate", "up|down|status: manage database migrations", runMigrate},
		{"tenant", "create: create a tenant", runTenant},
		{"account", "create: register an official account (AppSecret from stdin or WXLOGIN_APP_SECRET)", runAccount},
		{"apikey", "create: make an API key (shown once)", runAPIKey},
		{"client-secret", "create: make a client secret for an account (shown once)", runClientSecret},
		{"wechat-sandbox", "run the WeChat emulator standalone", runSandbox},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // a second signal ends wxlogin at once
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, lookupEnv: os.LookupEnv}
	if err := run(ctx, env, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "wxlogin:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintln(env.stderr, "usage: wxlogin COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(env.stderr, "  %-15s %s\n", c.name, c.usage)
	}
	return fmt.Errorf("unknown command %q: %w", args[0], flag.ErrHelp)
}
