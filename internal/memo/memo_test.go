package memo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wxlogin/wxlogin/internal/memo"
)

func TestLoadCancelledByLeaderIsRetriedByWaiter(t *testing.T) {
	c := memo.New[string, int](time.Minute, time.Now)
	leaderCtx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	leaderDone := make(chan error)
	go func() {
		_, err := c.Get(leaderCtx, "k", func(ctx context.Context) (int, error) {
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		})
		leaderDone <- err
	}()
	<-started
	waiterDone := make(chan int)
	go func() {
		v, err := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 42, nil })
		if err != nil {
			t.Errorf("waiter: %v", err)
		}
		waiterDone <- v
	}()
	time.Sleep(10 * time.Millisecond) // let the waiter join the leader's load
	cancel()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Errorf("leader error = %v, want context.Canceled", err)
	}
	if v := <-waiterDone; v != 42 {
		t.Errorf("waiter got %d, want 42 from its own load", v)
	}
}

func TestPanickingLoadReleasesWaiters(t *testing.T) {
	c := memo.New[string, int](time.Minute, time.Now)
	func() {
		defer func() { _ = recover() }()
		_, _ = c.Get(context.Background(), "k", func(context.Context) (int, error) { panic("boom") })
	}()
	v, err := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Errorf("Get after a panicked load = %d, %v; want a fresh load", v, err)
	}
}

func TestForgetDuringLoadDiscardsResult(t *testing.T) {
	c := memo.New[string, int](time.Minute, time.Now)
	v, _ := c.Get(context.Background(), "k", func(context.Context) (int, error) {
		c.Forget("k") // a write landed while the old value was being read
		return 1, nil
	})
	if v != 1 {
		t.Fatalf("first Get = %d", v)
	}
	v, _ = c.Get(context.Background(), "k", func(context.Context) (int, error) { return 2, nil })
	if v != 2 {
		t.Errorf("Get after Forget = %d, want 2 from a new load", v)
	}
}

func TestWaiterGivesUpWithItsContext(t *testing.T) {
	c := memo.New[string, int](time.Minute, time.Now)
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go func() {
		_, _ = c.Get(context.Background(), "k", func(context.Context) (int, error) {
			close(started)
			<-release
			return 1, nil
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, "k", func(context.Context) (int, error) { return 2, nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter error = %v, want its own deadline", err)
	}
}
