CREATE TABLE tenants (
    id         TEXT      NOT NULL PRIMARY KEY,
    name       TEXT      NOT NULL,
    disabled   BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

--bun:split

CREATE TABLE accounts (
    tenant_id         TEXT      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_id            TEXT      NOT NULL,
    name              TEXT      NOT NULL,
    mode              TEXT      NOT NULL,
    default_scope     TEXT      NOT NULL,
    -- a JSON array of strings
    redirect_uris     TEXT      NOT NULL,
    token_ttl_seconds INTEGER   NOT NULL,
    open_platform_id  TEXT      NOT NULL DEFAULT '',
    secret_version    INTEGER   NOT NULL DEFAULT 0,
    secret_updated_at TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, app_id)
);

--bun:split

-- tenant_id is NULL for the platform operator's keys.
CREATE TABLE api_keys (
    id           TEXT      NOT NULL PRIMARY KEY,
    tenant_id    TEXT      REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT      NOT NULL,
    role         TEXT      NOT NULL,
    hash         TEXT      NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

--bun:split

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

--bun:split

CREATE TABLE client_secrets (
    id         TEXT      NOT NULL PRIMARY KEY,
    tenant_id  TEXT      NOT NULL,
    app_id     TEXT      NOT NULL,
    hash       TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX client_secrets_account_idx ON client_secrets (tenant_id, app_id);

--bun:split

CREATE TABLE identities (
    id             TEXT      NOT NULL PRIMARY KEY,
    tenant_id      TEXT      NOT NULL,
    app_id         TEXT      NOT NULL,
    openid         TEXT      NOT NULL,
    unionid        TEXT,
    nickname       TEXT      NOT NULL DEFAULT '',
    avatar_url     TEXT      NOT NULL DEFAULT '',
    first_login_at TIMESTAMP NOT NULL,
    last_login_at  TIMESTAMP NOT NULL,
    login_count    INTEGER   NOT NULL,
    UNIQUE (tenant_id, app_id, openid),
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX identities_tenant_id_idx ON identities (tenant_id, id);

--bun:split

CREATE INDEX identities_unionid_idx ON identities (tenant_id, unionid) WHERE unionid IS NOT NULL;

--bun:split

CREATE TABLE login_events (
    id          TEXT      NOT NULL PRIMARY KEY,
    tenant_id   TEXT      NOT NULL,
    app_id      TEXT      NOT NULL,
    identity_id TEXT      NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    openid      TEXT      NOT NULL,
    unionid     TEXT,
    scope       TEXT      NOT NULL,
    at          TIMESTAMP NOT NULL,
    ip          TEXT      NOT NULL DEFAULT '',
    user_agent  TEXT      NOT NULL DEFAULT ''
);

--bun:split

CREATE INDEX login_events_at_idx ON login_events (tenant_id, at);

--bun:split

CREATE INDEX login_events_identity_idx ON login_events (tenant_id, identity_id, at);

--bun:split

CREATE TABLE login_transactions (
    id               TEXT      NOT NULL PRIMARY KEY,
    tenant_id        TEXT      NOT NULL,
    app_id           TEXT      NOT NULL,
    redirect_uri     TEXT      NOT NULL,
    state            TEXT      NOT NULL,
    scope            TEXT      NOT NULL,
    code_challenge   TEXT      NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    expires_at       TIMESTAMP NOT NULL,
    completed_at     TIMESTAMP,
    wechat_code_hash TEXT,
    identity_id      TEXT,
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX login_transactions_expires_idx ON login_transactions (expires_at);

--bun:split

CREATE TABLE auth_codes (
    hash           TEXT      NOT NULL PRIMARY KEY,
    tenant_id      TEXT      NOT NULL,
    app_id         TEXT      NOT NULL,
    transaction_id TEXT      NOT NULL REFERENCES login_transactions (id) ON DELETE CASCADE,
    identity_id    TEXT      NOT NULL,
    redirect_uri   TEXT      NOT NULL,
    code_challenge TEXT      NOT NULL DEFAULT '',
    scope          TEXT      NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX auth_codes_transaction_idx ON auth_codes (transaction_id);

--bun:split

CREATE INDEX auth_codes_expires_idx ON auth_codes (expires_at);

--bun:split

CREATE TABLE signing_keys (
    tenant_id  TEXT      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kid        TEXT      NOT NULL,
    alg        TEXT      NOT NULL,
    public_jwk TEXT      NOT NULL,
    state      TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP,
    PRIMARY KEY (tenant_id, kid)
);

--bun:split

-- At most one active key per tenant, whatever rotations race.
CREATE UNIQUE INDEX signing_keys_one_active_idx ON signing_keys (tenant_id) WHERE state = 'active';
