CREATE TABLE idempotency_records_old (
    api_key_id      TEXT      NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    idempotency_key TEXT      NOT NULL,
    request_hash    TEXT      NOT NULL,
    status          INTEGER   NOT NULL DEFAULT 0,
    header          TEXT,
    body            BLOB,
    withheld        BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);

--bun:split

INSERT INTO idempotency_records_old
    SELECT principal_id, idempotency_key, request_hash, status, header, body, withheld, created_at FROM idempotency_records
    WHERE principal_id IN (SELECT id FROM api_keys);

--bun:split

DROP TABLE idempotency_records;

--bun:split

ALTER TABLE idempotency_records_old RENAME TO idempotency_records;

--bun:split

CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);

--bun:split

ALTER TABLE audit_events DROP COLUMN actor_binding_id;

--bun:split

CREATE TABLE console_sessions_old (
    hash       TEXT      NOT NULL PRIMARY KEY,
    api_key_id TEXT      NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

--bun:split

INSERT INTO console_sessions_old
    SELECT hash, api_key_id, created_at, expires_at FROM console_sessions WHERE api_key_id IS NOT NULL;

--bun:split

DROP TABLE console_sessions;

--bun:split

ALTER TABLE console_sessions_old RENAME TO console_sessions;

--bun:split

CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at);

--bun:split

DROP TABLE console_bindings;
