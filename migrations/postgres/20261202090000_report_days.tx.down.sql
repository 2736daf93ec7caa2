DROP TRIGGER login_events_updated ON login_events;

--bun:split

DROP TRIGGER login_events_deleted ON login_events;

--bun:split

DROP TRIGGER login_events_inserted ON login_events;

--bun:split

DROP FUNCTION report_days_touched();

--bun:split

DROP TABLE report_changes;

--bun:split

DROP TABLE report_cells;

--bun:split

DROP TABLE report_days;
