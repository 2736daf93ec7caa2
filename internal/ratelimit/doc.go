// Package ratelimit keeps wxlogin's rate limits: token buckets, one per
// limit and key (a client address, an API key), spent by the Generic Cell
// Rate Algorithm (GCRA). A bucket is the one time at which it would be full
// again (its theoretical arrival time, TAT): a request is let through when
// spending one token keeps that time within Burst intervals of now, and
// moves it one interval (1/Rate) on; otherwise it spends nothing and waits
// until then.
//
// Store has two implementations that keep one contract, checked by the
// same conformance test against both: Memory, the buckets of one process
// (the embedded default, one replica), and Redis, where an atomic Lua
// script applies the same rule, so that every replica spends one shared
// budget. Full buckets are forgotten: Memory drops them, Redis expires them.
//
// Limiter is what the HTTP layer calls. While its store fails (Redis
// unreachable) it fails open to the limits of its own replica: requests are
// charged to buckets in memory, each replica enforcing the limits by itself
// (n replicas let up to n times a budget through), with a warning logged
// and every failure counted, and it asks the store again a second later.
// An identity platform keeps its logins running through a cache outage
// instead of refusing them all, and never goes unlimited.
package ratelimit
