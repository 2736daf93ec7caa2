package testenv

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
)

// Proxy forwards TCP connections from a loopback port to a target, and can
// cut them: tests put it between wxlogin and PostgreSQL or Vault to take a
// real dependency away and bring it back.
type Proxy struct {
	target string
	ln     net.Listener
	// record, when set, gets what went each way on a connection once it
	// has ended.
	record func(toServer, toClient []byte)
	// serving counts the accept loop and the connections being served.
	serving sync.WaitGroup

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
}

// NewProxy listens on a free loopback port and forwards to target
// (host:port). It stops when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	return newProxy(t, target, nil)
}

func newProxy(t testing.TB, target string, record func(toServer, toClient []byte)) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{target: target, ln: ln, record: record, conns: map[net.Conn]struct{}{}}
	p.serving.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.SetDown(true)
		p.serving.Wait()
	})
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetDown cuts every open connection and refuses new ones while down is true.
func (p *Proxy) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			_ = c.Close()
		}
		clear(p.conns)
	}
}

func (p *Proxy) accept() {
	defer p.serving.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.serving.Add(1)
		go func() { defer p.serving.Done(); p.serve(c) }()
	}
}

func (p *Proxy) serve(c net.Conn) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		_ = c.Close()
		return
	}
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = c.Close()
		return
	}
	if !p.track(c, u) {
		return
	}
	var toServer, toClient bytes.Buffer
	var fromClient, fromServer io.Reader = c, u
	if p.record != nil {
		fromClient, fromServer = io.TeeReader(c, &toServer), io.TeeReader(u, &toClient)
	}
	sent := make(chan struct{})
	go func() { _, _ = io.Copy(u, fromClient); _ = u.Close(); close(sent) }()
	_, _ = io.Copy(c, fromServer)
	_ = c.Close()
	<-sent
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, u)
	p.mu.Unlock()
	if p.record != nil {
		p.record(toServer.Bytes(), toClient.Bytes())
	}
}

// track registers both ends unless the proxy went down meanwhile.
func (p *Proxy) track(c, u net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		_ = c.Close()
		_ = u.Close()
		return false
	}
	p.conns[c], p.conns[u] = struct{}{}, struct{}{}
	return true
}
