-- The answers to admin writes sent with an Idempotency-Key, per API key,
-- kept for 24 hours. status is 0 while the request is in flight; body is
-- NULL then, and when the answer carried a one-time secret (withheld).
CREATE TABLE idempotency_records (
    api_key_id      text        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    status          integer     NOT NULL DEFAULT 0,
    header          jsonb,
    body            bytea,
    withheld        boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);

--bun:split

-- The sweep deletes by age.
CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);
