DROP TABLE refresh_tokens;

--bun:split

ALTER TABLE auth_codes DROP COLUMN auth_time;

--bun:split

ALTER TABLE auth_codes DROP COLUMN nonce;

--bun:split

ALTER TABLE auth_codes DROP COLUMN oidc;

--bun:split

ALTER TABLE login_transactions DROP COLUMN nonce;

--bun:split

ALTER TABLE login_transactions DROP COLUMN oidc;
