-- People who sign in to a tenant's console with WeChat: a binding names
-- the person by the unionid or the openid the platform tenant's hosted
-- login gives, and gives them a role in its tenant.
CREATE TABLE console_bindings (
    id         TEXT      NOT NULL PRIMARY KEY,
    tenant_id  TEXT      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       TEXT      NOT NULL,
    unionid    TEXT      NOT NULL DEFAULT '',
    openid     TEXT      NOT NULL DEFAULT '',
    role       TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((unionid = '') <> (openid = ''))
);

--bun:split

-- A sign-in looks its person up by unionid and by openid, in every tenant;
-- a tenant binds a person once.
CREATE UNIQUE INDEX console_bindings_unionid_idx ON console_bindings (unionid, tenant_id) WHERE unionid <> '';

--bun:split

CREATE UNIQUE INDEX console_bindings_openid_idx ON console_bindings (openid, tenant_id) WHERE openid <> '';

--bun:split

-- A tenant's bindings are listed in id order.
CREATE INDEX console_bindings_tenant_idx ON console_bindings (tenant_id, id);

--bun:split

-- A console session acts as an API key, or as the binding of a person who
-- signed in with WeChat (none yet while a person bound to several tenants
-- has not chosen); deleting the binding ends its sessions. SQLite changes
-- a column's constraints by making the table anew.
CREATE TABLE console_sessions_new (
    hash       TEXT      NOT NULL PRIMARY KEY,
    api_key_id TEXT      REFERENCES api_keys (id) ON DELETE CASCADE,
    binding_id TEXT      REFERENCES console_bindings (id) ON DELETE CASCADE,
    openid     TEXT      NOT NULL DEFAULT '',
    unionid    TEXT      NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    CONSTRAINT console_sessions_one_way_in
        CHECK ((api_key_id IS NULL) = (openid <> '') AND (binding_id IS NULL OR openid <> ''))
);

--bun:split

INSERT INTO console_sessions_new (hash, api_key_id, created_at, expires_at)
    SELECT hash, api_key_id, created_at, expires_at FROM console_sessions;

--bun:split

DROP TABLE console_sessions;

--bun:split

ALTER TABLE console_sessions_new RENAME TO console_sessions;

--bun:split

CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at);

--bun:split

CREATE INDEX console_sessions_binding_id_idx ON console_sessions (binding_id) WHERE binding_id IS NOT NULL;

--bun:split

-- What a console binding did is audited as its own.
ALTER TABLE audit_events ADD COLUMN actor_binding_id TEXT NOT NULL DEFAULT '';

--bun:split

-- Idempotency-Keys belong to whoever sent them: an API key or a console
-- binding. A binding's records, kept for a day, may outlive the binding.
CREATE TABLE idempotency_records_new (
    principal_id    TEXT      NOT NULL,
    idempotency_key TEXT      NOT NULL,
    request_hash    TEXT      NOT NULL,
    status          INTEGER   NOT NULL DEFAULT 0,
    header          TEXT,
    body            BLOB,
    withheld        BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (principal_id, idempotency_key)
);

--bun:split

INSERT INTO idempotency_records_new
    SELECT api_key_id, idempotency_key, request_hash, status, header, body, withheld, created_at FROM idempotency_records;

--bun:split

DROP TABLE idempotency_records;

--bun:split

ALTER TABLE idempotency_records_new RENAME TO idempotency_records;

--bun:split

CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);
