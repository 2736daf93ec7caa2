-- People who sign in to a tenant's console with WeChat: a binding names
-- the person by the unionid or the openid the platform tenant's hosted
-- login gives, and gives them a role in its tenant.
CREATE TABLE console_bindings (
    id         text COLLATE "C" PRIMARY KEY,
    tenant_id  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    unionid    text        NOT NULL DEFAULT '',
    openid     text        NOT NULL DEFAULT '',
    role       text        NOT NULL,
    created_at timestamptz NOT NULL,
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
-- has not chosen); deleting the binding ends its sessions.
ALTER TABLE console_sessions ALTER COLUMN api_key_id DROP NOT NULL;

--bun:split

ALTER TABLE console_sessions ADD COLUMN binding_id text REFERENCES console_bindings (id) ON DELETE CASCADE;

--bun:split

ALTER TABLE console_sessions ADD COLUMN openid text NOT NULL DEFAULT '';

--bun:split

ALTER TABLE console_sessions ADD COLUMN unionid text NOT NULL DEFAULT '';

--bun:split

ALTER TABLE console_sessions ADD CONSTRAINT console_sessions_one_way_in
    CHECK ((api_key_id IS NULL) = (openid <> '') AND (binding_id IS NULL OR openid <> ''));

--bun:split

CREATE INDEX console_sessions_binding_id_idx ON console_sessions (binding_id) WHERE binding_id IS NOT NULL;

--bun:split

-- What a console binding did is audited as its own.
ALTER TABLE audit_events ADD COLUMN actor_binding_id text NOT NULL DEFAULT '';

--bun:split

-- Idempotency-Keys belong to whoever sent them: an API key or a console
-- binding. A binding's records, kept for a day, may outlive the binding.
ALTER TABLE idempotency_records DROP CONSTRAINT idempotency_records_api_key_id_fkey;

--bun:split

ALTER TABLE idempotency_records RENAME COLUMN api_key_id TO principal_id;
