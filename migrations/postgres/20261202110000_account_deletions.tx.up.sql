-- Deleting an account marks it deleted at once (no method of the store
-- sees it from then on, and its AppId stays taken) and records the
-- deletion; a background job removes its rows in bounded batches, going
-- through its identities in openid order from cursor, and deletes the
-- account row last.
ALTER TABLE accounts ADD COLUMN deleted_at timestamptz;

--bun:split

CREATE TABLE account_deletions (
    id           text COLLATE "C" PRIMARY KEY,
    tenant_id    text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_id       text COLLATE "C" NOT NULL,
    requested_at timestamptz NOT NULL,
    finished_at  timestamptz,
    cursor       text        NOT NULL DEFAULT '',
    identities   bigint      NOT NULL DEFAULT 0,
    login_events bigint      NOT NULL DEFAULT 0
);

--bun:split

-- The job reads the deletions still running, oldest first.
CREATE INDEX account_deletions_running_idx ON account_deletions (requested_at) WHERE finished_at IS NULL;

--bun:split

-- Background work that must run on one replica at a time takes a lease:
-- held by holder until expires_at, renewed as the work goes on.
CREATE TABLE leases (
    name       text PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);
