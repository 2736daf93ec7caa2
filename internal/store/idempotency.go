package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/wxlogin/wxlogin/tenants"
)

type idempotencyRow struct {
	bun.BaseModel `bun:"table:idempotency_records,alias:ir"`

	PrincipalID string            `bun:"principal_id,pk"`
	Key         string            `bun:"idempotency_key,pk"`
	RequestHash string            `bun:"request_hash"`
	Status      int               `bun:"status"`
	Header      map[string]string `bun:"header,type:jsonb"`
	Body        []byte            `bun:"body"`
	Withheld    bool              `bun:"withheld"`
	CreatedAt   time.Time         `bun:"created_at"`
}

func newIdempotencyRow(r tenants.IdempotencyRecord) *idempotencyRow {
	return &idempotencyRow{
		PrincipalID: r.PrincipalID,
		Key:         r.Key,
		RequestHash: r.RequestHash,
		Status:      r.Status,
		Header:      r.Header,
		Body:        r.Body,
		Withheld:    r.Withheld,
		CreatedAt:   r.CreatedAt,
	}
}

func (r *idempotencyRow) record() tenants.IdempotencyRecord {
	return tenants.IdempotencyRecord{
		PrincipalID: r.PrincipalID,
		Key:         r.Key,
		RequestHash: r.RequestHash,
		Status:      r.Status,
		Header:      r.Header,
		Body:        r.Body,
		Withheld:    r.Withheld,
		CreatedAt:   r.CreatedAt.UTC(),
	}
}

// claimAttempts bounds ClaimIdempotencyKey's retries when the record it
// lost to disappears before it can be read (released or swept meanwhile).
const claimAttempts = 3

// errClaimRaced: every attempt of a claim lost to a record that was gone
// by the time it was read.
var errClaimRaced = errors.New("the key's record kept changing")

// ClaimIdempotencyKey implements tenants.Store: it deletes the key's record
// if it is no longer live, then inserts r unless a record is there; the
// primary key makes one of concurrent inserts win.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, r tenants.IdempotencyRecord) (tenants.IdempotencyRecord, bool, error) {
	r.Status, r.Header, r.Body, r.Withheld = 0, nil, nil, false
	for range claimAttempts {
		_, err := db.bun.NewDelete().Model((*idempotencyRow)(nil)).
			Where("principal_id = ?", r.PrincipalID).
			Where("idempotency_key = ?", r.Key).
			WhereGroup(" AND ", func(q *bun.DeleteQuery) *bun.DeleteQuery {
				return q.Where("created_at <= ?", r.CreatedAt.Add(-tenants.IdempotencyTTL)).
					WhereOr("status = 0 AND created_at <= ?", r.CreatedAt.Add(-tenants.IdempotencyLease))
			}).
			Exec(ctx)
		if err != nil {
			return tenants.IdempotencyRecord{}, false, wrap("claim idempotency key", err)
		}
		res, err := db.bun.NewInsert().Model(newIdempotencyRow(r)).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return tenants.IdempotencyRecord{}, false, wrap("claim idempotency key", err)
		}
		n, err := res.RowsAffected()
		switch {
		case err != nil:
			return tenants.IdempotencyRecord{}, false, wrap("claim idempotency key", err)
		case n == 1:
			return r, true, nil
		}
		var held idempotencyRow
		err = db.bun.NewSelect().Model(&held).
			Where("principal_id = ?", r.PrincipalID).
			Where("idempotency_key = ?", r.Key).
			Scan(ctx)
		switch {
		case err == nil:
			return held.record(), false, nil
		case !errors.Is(err, sql.ErrNoRows):
			return tenants.IdempotencyRecord{}, false, wrap("claim idempotency key", err)
		}
	}
	return tenants.IdempotencyRecord{}, false, fmt.Errorf("store: claim idempotency key: %w", errClaimRaced)
}

// CompleteIdempotencyKey implements tenants.Store.
func (db *DB) CompleteIdempotencyKey(ctx context.Context, r tenants.IdempotencyRecord) error {
	row := newIdempotencyRow(r)
	res, err := inFlight(db.bun.NewUpdate().Model(row).Column("status", "header", "body", "withheld"), r).Exec(ctx)
	return wrapAffected("complete idempotency key", res, err)
}

// ReleaseIdempotencyKey implements tenants.Store.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, r tenants.IdempotencyRecord) error {
	if _, err := inFlight(db.bun.NewDelete().Model((*idempotencyRow)(nil)), r).Exec(ctx); err != nil {
		return wrap("release idempotency key", err)
	}
	return nil
}

// inFlight narrows q to the in-flight record r claimed.
func inFlight[Q whereQuery[Q]](q Q, r tenants.IdempotencyRecord) Q {
	return q.Where("principal_id = ?", r.PrincipalID).
		Where("idempotency_key = ?", r.Key).
		Where("request_hash = ?", r.RequestHash).
		Where("status = 0")
}

// DeleteIdempotencyRecords implements tenants.Store.
func (db *DB) DeleteIdempotencyRecords(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := db.bun.NewDelete().Model((*idempotencyRow)(nil)).Where("created_at <= ?", cutoff).Exec(ctx)
	if err != nil {
		return 0, wrap("delete idempotency records", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap("delete idempotency records", err)
	}
	return n, nil
}
