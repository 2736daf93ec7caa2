package tenants

import (
	"context"
	"fmt"
	"time"
)

// AccountDeletion is the deletion of an account, recorded when it is asked
// for. The account is gone for every reader from then on; its rows (an
// account may have millions of identities and login events, and the
// persons it shares with other accounts to relink) are removed afterwards,
// in batches, by Service.PurgeAccounts.
type AccountDeletion struct {
	ID          string
	TenantID    string
	AppID       string
	RequestedAt time.Time
	// FinishedAt is nil while rows of the account are left.
	FinishedAt *time.Time
	// Identities and LoginEvents count what was removed so far.
	Identities  int64
	LoginEvents int64
}

// Lease is a named hold on background work, so that it runs on one
// replica at a time: Holder has it until Expires, and renews it as the work
// goes on. A replica that dies loses it when it expires.
type Lease struct {
	Name    string
	Holder  string
	Expires time.Time
}

// PurgeLease is the lease of the account purge.
const PurgeLease = "account-purge"

// PurgeLeaseTTL is how long the purge's lease lasts past its last renewal
// (at each batch): a replica that stopped mid-purge is replaced that long
// after, at most.
const PurgeLeaseTTL = 30 * time.Second

// DeleteAccount deletes the account for every reader at once and records
// its deletion (see Store.DeleteAccount); PurgeAccounts removes its
// AppSecret and rows afterwards, and AccountDeleted, when set, is told.
func (s *Service) DeleteAccount(ctx context.Context, tenantID, appID string) (AccountDeletion, error) {
	d, err := s.Store.DeleteAccount(ctx, tenantID, appID, s.now())
	if err != nil {
		return AccountDeletion{}, fmt.Errorf("delete account: %w", err)
	}
	if s.AccountDeleted != nil {
		s.AccountDeleted()
	}
	return d, nil
}

// Purge says how PurgeAccounts goes about it.
type Purge struct {
	// Holder names this replica in the lease; unique among replicas.
	Holder string
	// BatchSize is how many identities one transaction deletes.
	BatchSize int
	// Pause is how long to wait between batches, leaving the database to
	// logins.
	Pause time.Duration
	// Batch, when set, is told of each batch done, with the deletion's
	// progress.
	Batch func(AccountDeletion)
}

// PurgeAccounts carries out every recorded account deletion, unless another
// replica holds the purge's lease, and returns the deletions it finished.
// For each it deletes the AppSecret from the secret store first (no new
// version can appear once the deletion is recorded: see
// Store.SetSecretVersion), then the account's rows, p.BatchSize identities
// a transaction (Store.PurgeAccount). Each batch renews the lease in its
// own transaction, so a replica that lost it stops at its next batch, and
// commits the deletion's progress, so a purge cut short (ctx ends, the
// process stops) goes on where it stopped on the next call, here or on
// another replica. The lease is released at the end.
func (s *Service) PurgeAccounts(ctx context.Context, p Purge) ([]AccountDeletion, error) {
	running, err := s.Store.RunningAccountDeletions(ctx)
	if err != nil || len(running) == 0 {
		return nil, wrapPurge(err)
	}
	lease := s.purgeLease(p)
	ok, err := s.Store.ClaimLease(ctx, lease, s.Now().UTC())
	if err != nil || !ok {
		return nil, wrapPurge(err)
	}
	defer func() {
		// Released even when ctx ended, so another replica need not wait
		// for the lease to expire.
		release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.Store.ReleaseLease(release, lease)
	}()
	var done []AccountDeletion
	for len(running) > 0 {
		for _, d := range running {
			if d, err = s.purgeAccount(ctx, d, p); err != nil {
				return done, wrapPurge(err)
			}
			done = append(done, d)
		}
		// Deletions recorded meanwhile, on any replica.
		if running, err = s.Store.RunningAccountDeletions(ctx); err != nil {
			return done, wrapPurge(err)
		}
	}
	return done, nil
}

// purgeAccount carries out deletion d to its end.
func (s *Service) purgeAccount(ctx context.Context, d AccountDeletion, p Purge) (AccountDeletion, error) {
	if err := s.Secrets.Delete(ctx, AppSecretPath(d.TenantID, d.AppID)); err != nil {
		return d, fmt.Errorf("app secret of %s: %w", d.AppID, err)
	}
	for {
		var err error
		d, err = s.Store.PurgeAccount(ctx, d, p.BatchSize, s.purgeLease(p), s.now())
		if err != nil {
			return d, err
		}
		if p.Batch != nil {
			p.Batch(d)
		}
		if d.FinishedAt != nil {
			return d, nil
		}
		select {
		case <-ctx.Done():
			return d, ctx.Err()
		case <-time.After(p.Pause):
		}
	}
}

// purgeLease is the purge's lease for p's holder, renewed now.
func (s *Service) purgeLease(p Purge) Lease {
	return Lease{Name: PurgeLease, Holder: p.Holder, Expires: s.Now().UTC().Add(PurgeLeaseTTL)}
}

func wrapPurge(err error) error {
	if err != nil {
		return fmt.Errorf("purge deleted accounts: %w", err)
	}
	return nil
}
