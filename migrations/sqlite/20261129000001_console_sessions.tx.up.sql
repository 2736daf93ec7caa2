-- Browsers signed in to the admin console: the SHA-256 of each session's
-- token and the API key it acts as, whose revocation ends it.
CREATE TABLE console_sessions (
    hash       TEXT NOT NULL PRIMARY KEY,
    api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

--bun:split

-- The sweep deletes by expiry.
CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at);
