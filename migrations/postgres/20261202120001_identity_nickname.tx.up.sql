-- Nicknames are searched by prefix as a range of their bytewise order,
-- the one SQLite's BINARY collation has: that is the "C" collation here.
-- The index serves the search within a tenant. A login rewrites the
-- nickname with the value it had unless it changed, so logins keep their
-- HOT updates.
ALTER TABLE identities ALTER COLUMN nickname TYPE text COLLATE "C";

--bun:split

CREATE INDEX identities_nickname_idx ON identities (tenant_id, nickname);
