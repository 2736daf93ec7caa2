DROP TABLE signing_keys;

--bun:split

DROP TABLE auth_codes;

--bun:split

DROP TABLE login_transactions;

--bun:split

DROP TABLE login_events;

--bun:split

DROP TABLE identities;

--bun:split

DROP TABLE client_secrets;

--bun:split

DROP TABLE api_keys;

--bun:split

DROP TABLE accounts;

--bun:split

DROP TABLE tenants;
