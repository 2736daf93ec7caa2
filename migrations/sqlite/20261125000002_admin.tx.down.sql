DROP TABLE audit_events;

--bun:split

DROP INDEX login_events_identity_id_idx;

--bun:split

ALTER TABLE accounts DROP COLUMN secret_confirmed_version;
