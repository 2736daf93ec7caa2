-- OpenID Connect logins: the transaction and its code remember that the
-- login was an OpenID Connect authentication request, its nonce, and (the
-- code) when the person logged in (auth_time).
ALTER TABLE login_transactions ADD COLUMN oidc boolean NOT NULL DEFAULT false, ADD COLUMN nonce text NOT NULL DEFAULT '';

--bun:split

ALTER TABLE auth_codes ADD COLUMN oidc boolean NOT NULL DEFAULT false, ADD COLUMN nonce text NOT NULL DEFAULT '', ADD COLUMN auth_time timestamptz;

--bun:split

-- Refresh tokens, stored by the SHA-256 hash of their value. Each
-- refresh makes a new token of the same family (parent_hash is the token
-- it replaced) and marks the old one used; presenting a used token again
-- revokes the whole family.
CREATE TABLE refresh_tokens (
    hash         text PRIMARY KEY,
    tenant_id    text        NOT NULL,
    app_id       text        NOT NULL,
    identity_id  text        NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    family_id    text        NOT NULL,
    parent_hash  text,
    scope        text        NOT NULL,
    confidential boolean     NOT NULL,
    auth_time    timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz,
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);

--bun:split

CREATE INDEX refresh_tokens_identity_idx ON refresh_tokens (identity_id);

--bun:split

CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
