DROP INDEX identities_nickname_idx;

--bun:split

ALTER TABLE identities ALTER COLUMN nickname TYPE text COLLATE "default";
