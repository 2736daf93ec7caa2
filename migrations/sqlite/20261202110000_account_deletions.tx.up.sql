-- Deleting an account marks it deleted at once (no method of the store
-- sees it from then on, and its AppId stays taken) and records the
-- deletion; a background job removes its rows in bounded batches, going
-- through its identities in openid order from cursor, and deletes the
-- account row last.
ALTER TABLE accounts ADD COLUMN deleted_at TIMESTAMP;

--bun:split

CREATE TABLE account_deletions (
    id           TEXT      NOT NULL PRIMARY KEY,
    tenant_id    TEXT      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_id       TEXT      NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    cursor       TEXT      NOT NULL DEFAULT '',
    identities   INTEGER   NOT NULL DEFAULT 0,
    login_events INTEGER   NOT NULL DEFAULT 0
);

--bun:split

-- The job reads the deletions still running, oldest first.
CREATE INDEX account_deletions_running_idx ON account_deletions (requested_at) WHERE finished_at IS NULL;

--bun:split

-- Background work that must run on one replica at a time takes a lease:
-- held by holder until expires_at, renewed as the work goes on.
CREATE TABLE leases (
    name       TEXT      NOT NULL PRIMARY KEY,
    holder     TEXT      NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
