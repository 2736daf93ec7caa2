-- Daily rollups of login events, so that reports over whole days read a
-- few rows a day instead of every event. A day is a day of a time zone
-- (the tenant's); report_days lists the days rolled up, and report_cells
-- counts each such day's events per account by the day of the previous
-- login: of the identity (kind 'a') and of the person (kind 'p'), NULL
-- for none. A person is active in a range of days that starts on day s at
-- each of its events whose previous login's day is before s, so these
-- counts give the logins, new and active persons of any range of whole
-- days. Days are numbered from 1970-01-01 in their time zone.
--
-- The rollups are made in the background for days that have ended. Any
-- change to the events of a rolled-up day marks it in report_changes
-- until it is rolled up again; reports count the events of the days not
-- rolled up, or marked, themselves.
CREATE TABLE report_days (
    tenant_id text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       integer     NOT NULL,
    time_zone text        NOT NULL,
    start_at  timestamptz NOT NULL,
    end_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, day)
);

--bun:split

-- A changed event finds the day that holds it: the first day to end after it.
CREATE INDEX report_days_end_idx ON report_days (tenant_id, end_at);

--bun:split

CREATE TABLE report_cells (
    tenant_id text    NOT NULL,
    day       integer NOT NULL,
    app_id    text    NOT NULL,
    kind      text    NOT NULL CHECK (kind IN ('a', 'p')),
    prev_day  integer,
    logins    bigint  NOT NULL,
    FOREIGN KEY (tenant_id, day) REFERENCES report_days (tenant_id, day) ON DELETE CASCADE
);

--bun:split

CREATE INDEX report_cells_day_idx ON report_cells (tenant_id, day);

--bun:split

-- A change to the events of a rolled-up day: at is within the day.
CREATE TABLE report_changes (
    tenant_id text        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL
);

--bun:split

CREATE INDEX report_changes_at_idx ON report_changes (tenant_id, at);

--bun:split

-- report_days_touched marks the rolled-up days that hold the events a
-- statement inserted, updated or deleted (the transition table
-- "changed"). First it takes a shared lock on each hour of those events,
-- which the rollup of a day takes exclusively before it reads the day's
-- events, and only when no change holds one: so a rollup never misses a
-- change still being made, and a change made while a rollup runs waits
-- for it, then marks the day it made. Marks are only ever added, so
-- concurrent changes never wait for each other.
CREATE FUNCTION report_days_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(hashtext(h.tenant_id), h.hour)
    FROM (SELECT DISTINCT tenant_id, floor(extract(epoch FROM at) / 3600)::integer AS hour FROM changed) AS h;
    INSERT INTO report_changes (tenant_id, at)
    SELECT DISTINCT d.tenant_id, greatest(h.first_at, d.start_at)
    FROM (SELECT tenant_id, min(at) AS first_at, max(at) AS last_at
          FROM changed GROUP BY tenant_id, floor(extract(epoch FROM at) / 3600)) AS h
    JOIN report_days AS d ON d.tenant_id = h.tenant_id AND d.end_at > h.first_at AND d.start_at <= h.last_at
    WHERE NOT EXISTS (SELECT 1 FROM report_changes AS c
                      WHERE c.tenant_id = d.tenant_id AND c.at >= d.start_at AND c.at < d.end_at);
    RETURN NULL;
END
$$;

--bun:split

CREATE TRIGGER login_events_inserted AFTER INSERT ON login_events
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION report_days_touched();

--bun:split

CREATE TRIGGER login_events_deleted AFTER DELETE ON login_events
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION report_days_touched();

--bun:split

-- Updates change the previous logins of events, never their time.
CREATE TRIGGER login_events_updated AFTER UPDATE ON login_events
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION report_days_touched();
