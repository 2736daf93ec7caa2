-- Reports count persons and their logins from rollups kept as logins
-- happen, instead of scanning a tenant's identities and events:
--
-- persons: one row per person of a tenant (its unionid, or 'i:' and the
-- identity's id for an identity without one), with the accounts it has
-- identities in (AppIDs in order, separated by spaces) and its last login.
-- prev_login_at is the last login before that one: each login's upsert
-- sets it to the value it replaces, so that it can read it back.
CREATE TABLE persons (
    tenant_id     text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    person        text COLLATE "C" NOT NULL,
    accounts      text        NOT NULL,
    last_login_at timestamptz NOT NULL,
    prev_login_at timestamptz,
    PRIMARY KEY (tenant_id, person)
);

--bun:split

-- Persons by the accounts they are in, read in order: the overlap report
-- and the summary's counts of persons. With the person in the key, new
-- persons of one account set spread over the index instead of all waiting
-- for the one page that ends the run of their equal keys.
CREATE INDEX persons_accounts_idx ON persons (tenant_id, accounts, person);

--bun:split

-- Each login event knows the login before it of the same person
-- (person_prev_at) and of the same identity (account_prev_at): a person is
-- active in a window once, at its first login in it, the one whose
-- previous login is before the window or missing.
ALTER TABLE login_events ADD COLUMN person_prev_at timestamptz, ADD COLUMN account_prev_at timestamptz;

--bun:split

-- Reports over a window read only this index, an account at a time, in
-- time order; it replaces the index by time alone, which nothing else
-- reads.
DROP INDEX login_events_at_idx;

--bun:split

CREATE INDEX login_events_app_at_idx ON login_events (tenant_id, app_id, at) INCLUDE (person_prev_at, account_prev_at);

--bun:split

-- Identity counts per account and the persons of one account.
CREATE INDEX identities_app_unionid_idx ON identities (tenant_id, app_id, unionid);

--bun:split

-- Events join their identity by its id: with the collation of
-- identities.id, so the join reads the events' identity index instead of
-- scanning every event (relinking a person, deleting an identity).
ALTER TABLE login_events ALTER COLUMN identity_id TYPE text COLLATE "C";

--bun:split

INSERT INTO persons (tenant_id, person, accounts, last_login_at)
SELECT pa.tenant_id, pa.person, string_agg(pa.app_id, ' ' ORDER BY pa.app_id), MAX(pa.last_login_at)
FROM (
    SELECT tenant_id, COALESCE(unionid, 'i:' || id) AS person, app_id, MAX(last_login_at) AS last_login_at
    FROM identities
    GROUP BY tenant_id, COALESCE(unionid, 'i:' || id), app_id
) AS pa
GROUP BY pa.tenant_id, pa.person;

--bun:split

UPDATE login_events AS e
SET person_prev_at = p.person_prev_at, account_prev_at = p.account_prev_at
FROM (
    SELECT e.id,
        LAG(e.at) OVER (PARTITION BY e.tenant_id, COALESCE(i.unionid, 'i:' || i.id) ORDER BY e.at, e.id) AS person_prev_at,
        LAG(e.at) OVER (PARTITION BY e.identity_id ORDER BY e.at, e.id) AS account_prev_at
    FROM login_events AS e
    JOIN identities AS i ON i.id = e.identity_id
) AS p
WHERE e.id = p.id;
