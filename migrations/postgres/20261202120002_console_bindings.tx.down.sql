DELETE FROM idempotency_records WHERE principal_id NOT IN (SELECT id FROM api_keys);

--bun:split

ALTER TABLE idempotency_records RENAME COLUMN principal_id TO api_key_id;

--bun:split

ALTER TABLE idempotency_records ADD CONSTRAINT idempotency_records_api_key_id_fkey
    FOREIGN KEY (api_key_id) REFERENCES api_keys (id) ON DELETE CASCADE;

--bun:split

ALTER TABLE audit_events DROP COLUMN actor_binding_id;

--bun:split

DELETE FROM console_sessions WHERE api_key_id IS NULL;

--bun:split

ALTER TABLE console_sessions DROP CONSTRAINT console_sessions_one_way_in;

--bun:split

ALTER TABLE console_sessions DROP COLUMN unionid;

--bun:split

ALTER TABLE console_sessions DROP COLUMN openid;

--bun:split

ALTER TABLE console_sessions DROP COLUMN binding_id;

--bun:split

ALTER TABLE console_sessions ALTER COLUMN api_key_id SET NOT NULL;

--bun:split

DROP TABLE console_bindings;
