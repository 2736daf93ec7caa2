package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// takeScript is Limit.take run atomically in Redis on the bucket KEYS[1]:
// ARGV[1] is the interval in microseconds, ARGV[2] the burst, ARGV[3] the
// time in microseconds, or empty for Redis's own clock. The bucket holds
// its tat, in microseconds, and expires when it is full again. It returns
// zero, or the wait in microseconds.
var takeScript = redis.NewScript(`
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local nxt = tat + interval
local wait = nxt - burst * interval - now
if wait > 0 then return wait end
redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.ceil((nxt - now) / 1000))
return 0
`)

// Timeouts of Redis requests unless the URL sets them (dial_timeout,
// read_timeout, write_timeout, pool_timeout): a limiter answers within a
// fraction of a login, or Limiter falls back to memory.
const (
	redisDialTimeout = 500 * time.Millisecond
	redisTimeout     = 200 * time.Millisecond
)

// RedisConfig says where the buckets are.
type RedisConfig struct {
	// URL is redis://[user:password@]host:port/db, rediss://… (TLS) or
	// unix://…, as go-redis parses it.
	URL string
	// Prefix starts every key, so that several installations can share
	// one Redis.
	Prefix string
	// Now, when set, replaces Redis's clock (for tests); by default every
	// replica reads Redis's TIME, one clock for all.
	Now func() time.Time
	// Logger gets go-redis's own messages (connection failures), at debug
	// level: Limiter logs what matters.
	Logger *slog.Logger
}

// Redis keeps the buckets in Redis, shared by every replica using it.
type Redis struct {
	client *redis.Client
	prefix string
	now    func() time.Time
}

// OpenRedis connects to the Redis at c.URL; connections are made as
// requests need them. An error never quotes the URL, which may hold a
// password.
func OpenRedis(c RedisConfig) (*Redis, error) {
	opt, err := redis.ParseURL(c.URL)
	if err != nil {
		return nil, fmt.Errorf("open redis: the URL is not one of redis://, rediss:// or unix:// with valid options")
	}
	if opt.DialTimeout == 0 {
		opt.DialTimeout = redisDialTimeout
	}
	for _, d := range []*time.Duration{&opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout} {
		if *d == 0 {
			*d = redisTimeout
		}
	}
	opt.MaxRetries = 1
	if c.Logger != nil {
		// go-redis logs through one logger per process.
		redis.SetLogger(redisLogger{c.Logger})
	}
	return &Redis{client: redis.NewClient(opt), prefix: c.Prefix + "ratelimit:", now: c.Now}, nil
}

// Take implements Store.
func (r *Redis) Take(ctx context.Context, bucket string, l Limit) (time.Duration, error) {
	now := ""
	if r.now != nil {
		now = strconv.FormatInt(r.now().UnixMicro(), 10)
	}
	wait, err := takeScript.Run(ctx, r.client, []string{r.prefix + bucket}, l.interval().Microseconds(), l.Burst, now).Int64()
	if err != nil {
		return 0, fmt.Errorf("take from redis: %w", err)
	}
	return time.Duration(wait) * time.Microsecond, nil
}

// Close closes the connections.
func (r *Redis) Close() error { return r.client.Close() }

// redisLogger writes go-redis's messages to a slog.Logger.
type redisLogger struct{ logger *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.logger.DebugContext(ctx, fmt.Sprintf(format, v...))
}
