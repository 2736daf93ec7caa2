-- The AppSecret version WeChat last accepted. Accounts that exist already
-- are using their current version, so it counts as confirmed.
ALTER TABLE accounts ADD COLUMN secret_confirmed_version integer NOT NULL DEFAULT 0;

--bun:split

UPDATE accounts SET secret_confirmed_version = secret_version;

--bun:split

-- API keys are listed in ID order.
ALTER TABLE api_keys ALTER COLUMN id TYPE text COLLATE "C";

--bun:split

-- Deleting an identity (or an account, through its identities) cascades to
-- login_events by identity_id alone: without this index every identity
-- deleted would scan the table.
CREATE INDEX login_events_identity_id_idx ON login_events (identity_id);

--bun:split

-- tenant_id is NULL for operator-level actions.
CREATE TABLE audit_events (
    id           text COLLATE "C" PRIMARY KEY,
    tenant_id    text REFERENCES tenants (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL,
    actor_key_id text        NOT NULL DEFAULT '',
    action       text        NOT NULL,
    target       text        NOT NULL,
    request_id   text        NOT NULL DEFAULT '',
    source_ip    text        NOT NULL DEFAULT ''
);

--bun:split

-- Lists run newest first by id; the time and action filters have their own.
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, id);

--bun:split

CREATE INDEX audit_events_at_idx ON audit_events (tenant_id, at);

--bun:split

CREATE INDEX audit_events_action_idx ON audit_events (tenant_id, action, id);
