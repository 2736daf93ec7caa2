-- OpenID Connect logins: the transaction and its code remember that the
-- login was an OpenID Connect authentication request, its nonce, and (the
-- code) when the person logged in (auth_time).
ALTER TABLE login_transactions ADD COLUMN oidc BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

ALTER TABLE login_transactions ADD COLUMN nonce TEXT NOT NULL DEFAULT '';

--bun:split

ALTER TABLE auth_codes ADD COLUMN oidc BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

ALTER TABLE auth_codes ADD COLUMN nonce TEXT NOT NULL DEFAULT '';

--bun:split

ALTER TABLE auth_codes ADD COLUMN auth_time TIMESTAMP;

--bun:split

-- Refresh tokens, stored by the SHA-256 hash of their value. Each
-- refresh makes a new token of the same family (parent_hash is the token
-- it replaced) and marks the old one used; presenting a used token again
-- revokes the whole family.
CREATE TABLE refresh_tokens (
    hash         TEXT      NOT NULL PRIMARY KEY,
    tenant_id    TEXT      NOT NULL,
    app_id       TEXT      NOT NULL,
    identity_id  TEXT      NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    family_id    TEXT      NOT NULL,
    parent_hash  TEXT,
    scope        TEXT      NOT NULL,
    confidential BOOLEAN   NOT NULL,
    auth_time    TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP,
    revoked_at   TIMESTAMP,
    FOREIGN KEY (tenant_id, app_id) REFERENCES accounts (tenant_id, app_id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);

--bun:split

CREATE INDEX refresh_tokens_identity_idx ON refresh_tokens (identity_id);

--bun:split

CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
