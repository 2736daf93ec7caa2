package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wxlogin/wxlogin/internal/wechatsim"
)

// runSandbox runs the WeChat emulator on its own, for tenants' integration
// tests and for pointing live accounts of a staging install at it
// (WXLOGIN_WECHAT_API_URL / WXLOGIN_WECHAT_OPEN_URL).
func runSandbox(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("wechat-sandbox", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	addr := fs.String("addr", "127.0.0.1:9080", "listen address")
	apps := fs.String("apps", "", "JSON file listing the apps (appid, secret, open_platform_id, domains)")
	contentType := fs.String("content-type", "text/plain", "Content-Type of /sns/* answers")
	control := fs.Bool("control", false, "expose /__sim/faults for fault injection")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *apps == "" {
		return errors.New("wechat-sandbox: -apps is required")
	}
	reg, err := wechatsim.LoadRegistry(*apps)
	if err != nil {
		return err
	}
	sim := wechatsim.New(wechatsim.Config{ContentType: *contentType, Control: *control})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wechat sandbox listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: sim.Handler(reg), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
