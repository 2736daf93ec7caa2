DROP TRIGGER login_events_updated;

--bun:split

DROP TRIGGER login_events_deleted;

--bun:split

DROP TRIGGER login_events_inserted;

--bun:split

DROP TRIGGER report_touches_insert;

--bun:split

DROP VIEW report_touches;

--bun:split

DROP TABLE report_changes;

--bun:split

DROP TABLE report_cells;

--bun:split

DROP TABLE report_days;
