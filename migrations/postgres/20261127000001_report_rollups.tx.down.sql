DROP INDEX identities_app_unionid_idx;

--bun:split

DROP INDEX login_events_app_at_idx;

--bun:split

CREATE INDEX login_events_at_idx ON login_events (tenant_id, at);

--bun:split

ALTER TABLE login_events DROP COLUMN person_prev_at, DROP COLUMN account_prev_at;

--bun:split

ALTER TABLE login_events ALTER COLUMN identity_id TYPE text COLLATE "default";

--bun:split

DROP TABLE persons;
