DROP TABLE leases;

--bun:split

DROP TABLE account_deletions;

--bun:split

ALTER TABLE accounts DROP COLUMN deleted_at;
