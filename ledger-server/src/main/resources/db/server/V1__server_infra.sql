-- The server's infrastructure: API keys for merchants and integrations, and Idempotency-Key records.
-- Every table leads with region_id (see DESIGN.md, "Scale").

-- An API key: sent as "X-Api-Key: <key_id>.<secret>"; only the SHA-256 of the secret is kept.
create table api_key (
    region_id    bigint      not null check (region_id > 0),
    key_id       text        not null,
    secret_hash  bytea       not null check (length(secret_hash) = 32),
    role         text        not null check (role in ('merchant', 'integration')),
    programme_id uuid,
    merchant_id  uuid,
    name         text        not null check (length(name) between 1 and 200),
    created_at   timestamptz not null,
    revoked_at   timestamptz,
    primary key (region_id, key_id),
    check (role <> 'merchant' or (merchant_id is not null and programme_id is null)),
    check (role <> 'integration' or merchant_id is null)
);

-- A POST's Idempotency-Key: claimed (status null) while its request runs, then the response to replay.
create table idempotency_key (
    region_id     bigint      not null,
    caller        text        not null,
    key           text        not null check (length(key) between 1 and 128),
    request_hash  bytea       not null check (length(request_hash) = 32),
    status        int         check (status between 100 and 399),
    response_body text,
    created_at    timestamptz not null,
    primary key (region_id, caller, key)
);
