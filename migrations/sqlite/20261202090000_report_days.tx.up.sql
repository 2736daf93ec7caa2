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
-- rolled up, or marked, themselves. SQLite has one writer at a time, so a
-- rollup and a change never overlap.
CREATE TABLE report_days (
    tenant_id TEXT      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    day       INTEGER   NOT NULL,
    time_zone TEXT      NOT NULL,
    start_at  TIMESTAMP NOT NULL,
    end_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, day)
);

--bun:split

-- A changed event finds the day that holds it: the first day to end after it.
CREATE INDEX report_days_end_idx ON report_days (tenant_id, end_at);

--bun:split

CREATE TABLE report_cells (
    tenant_id TEXT    NOT NULL,
    day       INTEGER NOT NULL,
    app_id    TEXT    NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('a', 'p')),
    prev_day  INTEGER,
    logins    INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, day) REFERENCES report_days (tenant_id, day) ON DELETE CASCADE
);

--bun:split

CREATE INDEX report_cells_day_idx ON report_cells (tenant_id, day);

--bun:split

-- A change to the events of a rolled-up day: at is within the day.
CREATE TABLE report_changes (
    tenant_id TEXT      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at        TIMESTAMP NOT NULL
);

--bun:split

CREATE INDEX report_changes_at_idx ON report_changes (tenant_id, at);

--bun:split

-- An event changed: inserting into report_touches marks the rolled-up
-- day that holds it, unless the day is marked already. The triggers on
-- login_events below insert each event they see.
CREATE VIEW report_touches AS SELECT tenant_id, at FROM report_changes WHERE 0;

--bun:split

CREATE TRIGGER report_touches_insert INSTEAD OF INSERT ON report_touches
BEGIN
    INSERT INTO report_changes (tenant_id, at)
    SELECT d.tenant_id, NEW.at FROM report_days AS d
    WHERE d.tenant_id = NEW.tenant_id AND d.end_at > NEW.at AND d.start_at <= NEW.at
        AND NOT EXISTS (SELECT 1 FROM report_changes AS c
                        WHERE c.tenant_id = d.tenant_id AND c.at >= d.start_at AND c.at < d.end_at);
END;

--bun:split

CREATE TRIGGER login_events_inserted AFTER INSERT ON login_events
BEGIN
    INSERT INTO report_touches (tenant_id, at) VALUES (NEW.tenant_id, NEW.at);
END;

--bun:split

CREATE TRIGGER login_events_deleted AFTER DELETE ON login_events
BEGIN
    INSERT INTO report_touches (tenant_id, at) VALUES (OLD.tenant_id, OLD.at);
END;

--bun:split

-- Updates change the previous logins of events, never their time.
CREATE TRIGGER login_events_updated AFTER UPDATE ON login_events
BEGIN
    INSERT INTO report_touches (tenant_id, at) VALUES (NEW.tenant_id, NEW.at);
END;
