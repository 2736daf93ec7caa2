CREATE TABLE tenants (
    id         text COLLATE "C" PRIMARY KEY,
    name       text        NOT NULL,
    disabled   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

--bun:split

CREATE TABLE accounts (
    tenant_id         text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    app_id            text COLLATE "C" NOT NULL,
    name              text        NOT NULL,
    mode              text        NOT NULL,
    default_scope     text        NOT NULL,
    redirect_uris     jsonb       NOT NULL,
    token_ttl_seconds integer     NOT NULL,
    open_platform_id  text        NOT NULL DEFAULT '',
    secret_version    integer     NOT NULL DEFAULT 0,
    secret_updated_at timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, app_id)
);

--bun:split

-- tenant_id is NULL for the platform operator's keys.
CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    tenant_id    text REFERENCES tenants (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    role         text        NOT NULL,
    hash         text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

--bun:split

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

--bun:split

CREATE TABLE client_secrets (
    id         text PRIMARY KEY,
    tenant_id  text        NOT NULL,
    app_id     text        NOT NULL,
    hash       text        NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz,
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX client_secrets_account_idx ON client_secrets (tenant_id, app_id);

--bun:split

CREATE TABLE identities (
    id             text COLLATE "C" PRIMARY KEY,
    tenant_id      text        NOT NULL,
    app_id         text        NOT NULL,
    openid         text        NOT NULL,
    unionid        text,
    nickname       text        NOT NULL DEFAULT '',
    avatar_url     text        NOT NULL DEFAULT '',
    first_login_at timestamptz NOT NULL,
    last_login_at  timestamptz NOT NULL,
    login_count    bigint      NOT NULL,
    UNIQUE (tenant_id, app_id, openid),
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX identities_tenant_id_idx ON identities (tenant_id, id);

--bun:split

CREATE INDEX identities_unionid_idx ON identities (tenant_id, unionid) WHERE unionid IS NOT NULL;

--bun:split

CREATE TABLE login_events (
    id          text PRIMARY KEY,
    tenant_id   text        NOT NULL,
    app_id      text        NOT NULL,
    identity_id text        NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    openid      text        NOT NULL,
    unionid     text,
    scope       text        NOT NULL,
    at          timestamptz NOT NULL,
    ip          text        NOT NULL DEFAULT '',
    user_agent  text        NOT NULL DEFAULT ''
);

--bun:split

CREATE INDEX login_events_at_idx ON login_events (tenant_id, at);

--bun:split

CREATE INDEX login_events_identity_idx ON login_events (tenant_id, identity_id, at);

--bun:split

CREATE TABLE login_transactions (
    id               text PRIMARY KEY,
    tenant_id        text        NOT NULL,
    app_id           text        NOT NULL,
    redirect_uri     text        NOT NULL,
    state            text        NOT NULL,
    scope            text        NOT NULL,
    code_challenge   text        NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    wechat_code_hash text,
    identity_id      text,
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX login_transactions_expires_idx ON login_transactions (expires_at);

--bun:split

CREATE TABLE auth_codes (
    hash           text PRIMARY KEY,
    tenant_id      text        NOT NULL,
    app_id         text        NOT NULL,
    transaction_id text        NOT NULL REFERENCES login_transactions (id) ON DELETE CASCADE,
    identity_id    text        NOT NULL,
    redirect_uri   text        NOT NULL,
    code_challenge text        NOT NULL DEFAULT '',
    scope          text        NOT NULL,
    expires_at     timestamptz NOT NULL
);

--bun:split

CREATE INDEX auth_codes_transaction_idx ON auth_codes (transaction_id);

--bun:split

CREATE INDEX auth_codes_expires_idx ON auth_codes (expires_at);

--bun:split

CREATE TABLE signing_keys (
    tenant_id  text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kid        text        NOT NULL,
    alg        text        NOT NULL,
    public_jwk text        NOT NULL,
    state      text        NOT NULL,
    created_at timestamptz NOT NULL,
    retired_at timestamptz,
    PRIMARY KEY (tenant_id, kid)
);

--bun:split

-- At most one active key per tenant, whatever rotations race.
CREATE UNIQUE INDEX signing_keys_one_active_idx ON signing_keys (tenant_id) WHERE state = 'active';
