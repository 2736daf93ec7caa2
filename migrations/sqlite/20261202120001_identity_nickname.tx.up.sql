-- Nicknames are searched by prefix as a range of their bytewise (BINARY)
-- order; the index serves the search within a tenant.
CREATE INDEX identities_nickname_idx ON identities (tenant_id, nickname);
