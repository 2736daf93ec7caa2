-- Each tenant's time zone (an IANA name): its reports' days and its
-- console's dates follow it. Tenants made before have China's.
ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
