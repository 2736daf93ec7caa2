package main

import (
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
)

// beijing is China Standard Time, without daylight saving.
var beijing = time.FixedZone("CST", 8*60*60)

// hourWeights is how logins spread over the hours of a Beijing day: few at
// night, most in office hours and the evening.
var hourWeights = [24]int{3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 8, 7, 8, 8, 8, 7, 6, 7, 9, 10, 8, 5}

// config is what to seed.
type config struct {
	tenant     string
	apps       []string
	identities int
	events     int // login events to write; 0 writes none
	days       int
	noUnionID  float64   // share of identities without unionid
	overlap    []float64 // overlap[k-1]: share of persons with a unionid in k accounts
	seed       uint64
	now        time.Time
}

// plan is the tenant to write: who each identity is and how many times it
// logged in. The rest of each identity and its logins follow from the seed
// and its index, so they can be made again for a second pass.
type plan struct {
	config
	from     time.Time // the earliest login
	firstDay time.Time // midnight in Beijing on the day of from
	hourCum  [24]int

	person  []int32 // person of each identity
	app     []int16 // index in apps of each identity's account
	union   []bool  // whether each identity has a unionid
	logins  []int32 // logins of each identity
	persons int
	noUnion int
}

// login is one login of an identity.
type login struct {
	id string
	at time.Time
}

// identity is one identity, with its logins when generated with them.
type identity struct {
	id, app, openid, unionid string
	first, last              time.Time
	count                    int
	logins                   []login
}

// newPlan draws the persons, their accounts and their login counts.
func newPlan(c config) *plan {
	p := &plan{
		config: c,
		from:   c.now.Add(-time.Duration(c.days) * 24 * time.Hour),
		person: make([]int32, 0, c.identities),
		app:    make([]int16, 0, c.identities),
		union:  make([]bool, 0, c.identities),
		logins: make([]int32, c.identities),
	}
	b := p.from.In(beijing)
	p.firstDay = time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, beijing)
	sum := 0
	for h, w := range hourWeights {
		sum += w
		p.hourCum[h] = sum
	}

	r := rand.New(rand.NewPCG(c.seed, math.MaxUint64))
	shares := accountShares(c.overlap, len(c.apps))
	mean := 0.0
	for k, s := range shares {
		mean += float64(k+1) * s
	}
	// A person without unionid cannot be linked across accounts, so it has
	// one identity; this share of persons gives noUnionID of identities.
	single := c.noUnionID * mean / (1 - c.noUnionID + c.noUnionID*mean)
	for len(p.person) < c.identities {
		union, k := r.Float64() >= single, 1
		if union {
			k = drawAccounts(r, shares)
		}
		k = min(k, c.identities-len(p.person))
		for _, a := range r.Perm(len(c.apps))[:k] {
			p.person = append(p.person, int32(p.persons))
			p.app = append(p.app, int16(a))
			p.union = append(p.union, union)
		}
		if !union {
			p.noUnion++
		}
		p.persons++
	}

	// Every identity logged in once; the remaining logins go by a
	// log-normal activity, so a few identities log in far more than most.
	total := max(c.events, c.identities)
	weights := make([]float64, c.identities)
	var wsum float64
	for i := range weights {
		weights[i] = math.Exp(r.NormFloat64())
		wsum += weights[i]
	}
	extra, given := total-c.identities, 0
	for i, w := range weights {
		n := int(float64(extra) * w / wsum)
		p.logins[i] = int32(1 + n)
		given += n
	}
	for ; given < extra; given++ {
		p.logins[r.IntN(c.identities)]++
	}
	return p
}

// accountShares spreads overlap over 1..accounts accounts: the last share
// evenly over the counts from its own to accounts, shares past accounts
// onto accounts. The result sums to 1.
func accountShares(overlap []float64, accounts int) []float64 {
	shares := make([]float64, accounts)
	var sum float64
	for k, s := range overlap {
		switch {
		case k >= accounts:
			shares[accounts-1] += s
		case k == len(overlap)-1:
			for j := k; j < accounts; j++ {
				shares[j] += s / float64(accounts-k)
			}
		default:
			shares[k] += s
		}
		sum += s
	}
	for k := range shares {
		shares[k] /= sum
	}
	return shares
}

// drawAccounts draws how many accounts a person with a unionid is in.
func drawAccounts(r *rand.Rand, shares []float64) int {
	u := r.Float64()
	for k, s := range shares {
		if u < s {
			return k + 1
		}
		u -= s
	}
	return len(shares)
}

// generate yields every identity of the plan, with its logins when
// withLogins. The identity yielded, and its logins, are valid until the
// next one.
func (p *plan) generate(withLogins bool) iter.Seq[*identity] {
	return func(yield func(*identity) bool) {
		pcg := rand.NewPCG(0, 0)
		r := rand.New(pcg)
		var id identity
		var at []time.Time
		for i := range p.identities {
			pcg.Seed(p.seed, uint64(i))
			n := int(p.logins[i])
			at = at[:0]
			for range n {
				at = append(at, p.loginTime(r))
			}
			first, last := at[0], at[0]
			for _, t := range at[1:] {
				first, last = minTime(first, t), maxTime(last, t)
			}
			app := p.apps[p.app[i]]
			id = identity{
				id:     newV7(first, r),
				app:    app,
				openid: fmt.Sprintf("o-%s-%08d", app, p.person[i]),
				first:  first,
				last:   last,
				count:  n,
				logins: id.logins[:0],
			}
			if p.union[i] {
				id.unionid = fmt.Sprintf("u-%s-%08d", p.tenant, p.person[i])
			}
			if withLogins {
				for _, t := range at {
					id.logins = append(id.logins, login{id: newV7(t, r), at: t})
				}
			}
			if !yield(&id) {
				return
			}
		}
	}
}

// loginTime draws a login between from and now: any day, at an hour of
// the Beijing day by hourWeights.
func (p *plan) loginTime(r *rand.Rand) time.Time {
	for {
		day := r.IntN(p.days + 1)
		n, hour := r.IntN(p.hourCum[23]), 0
		for p.hourCum[hour] <= n {
			hour++
		}
		offset := time.Duration(day)*24*time.Hour + time.Duration(hour)*time.Hour +
			time.Duration(r.Int64N(int64(time.Hour/time.Microsecond)))*time.Microsecond
		if t := p.firstDay.Add(offset); !t.Before(p.from) && !t.After(p.now) {
			return t.UTC()
		}
	}
}

// newV7 is a version 7 UUID for time t with random bits from r, as the
// store gives a row made at t.
func newV7(t time.Time, r *rand.Rand) string {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[:8], uint64(t.UnixMilli())<<16|0x7000|r.Uint64()&0x0fff)
	binary.BigEndian.PutUint64(u[8:], 1<<63|r.Uint64()>>2)
	return u.String()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
