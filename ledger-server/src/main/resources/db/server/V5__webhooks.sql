-- Webhooks to merchants: where each shop wants its events, and an outbox of the events themselves, written in the
-- same transaction as what they report and delivered afterwards with retries (jp.yui.server.webhook).
-- Every table leads with region_id. merchant_id refers to the payments work's merchant table (V4); there is no
-- foreign key to it so that this migration does not depend on that one's shape, and an outbox insert in the
-- payment's transaction costs no extra lookup.

-- One endpoint per shop. The secret is kept as is, not hashed: the server needs it to sign every delivery.
create table webhook_endpoint (
    region_id   bigint      not null references region,
    merchant_id uuid        not null,
    url         text        not null check (length(url) between 1 and 2048),
    secret      text        not null check (length(secret) between 16 and 200),
    created_at  timestamptz not null,
    primary key (region_id, merchant_id)
);

-- One event for one shop. payload is the exact JSON body that is signed and sent, kept as text: jsonb would
-- normalise it, and a retry must send the very bytes a receiver may already have seen.
-- While PENDING, next_attempt_at is when a dispatcher may next claim it (a claim pushes it one lease ahead, so a
-- process that dies mid-delivery leaves the event to be retried, never lost); attempts counts claims.
create table webhook_event (
    region_id       bigint      not null,
    event_id        uuid        not null,
    merchant_id     uuid        not null,
    type            text        not null,
    payload         text        not null,
    created_at      timestamptz not null,
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer     not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    primary key (region_id, event_id),
    check ((status = 'PENDING') = (next_attempt_at is not null)),
    check ((status = 'DELIVERED') = (delivered_at is not null))
);
-- The dispatcher's claim: a region's due PENDING events, earliest first. Partial, so delivered history costs nothing.
create index webhook_event_due on webhook_event (region_id, next_attempt_at) where status = 'PENDING';
-- A shop's recent deliveries, newest first.
create index webhook_event_merchant on webhook_event (region_id, merchant_id, created_at desc);
