-- QR payments: shops, their codes, payment intents (dynamic MPM), residents' CPM signing keys and used nonces,
-- payments with what they took from each asset, and refunds. Value itself moves in the ledger; these rows say who,
-- why and how much is left to refund. Every table leads with region_id.

-- How a region's residents pay: which assets, in which order (1 unit = ¥1 each), and the printed card's rules.
create table region_payment_setting (
    region_id        bigint primary key references region,
    pay_order        text[] not null,
    card_daily_limit bigint not null check (card_daily_limit > 0),
    updated_at       timestamptz not null default now()
);

create table merchant (
    region_id   bigint not null references region,
    merchant_id uuid not null,
    name        text not null,
    name_kana   text,
    name_ja     text,
    category    text not null,
    city        text not null,
    created_at  timestamptz not null default now(),
    primary key (region_id, merchant_id)
);

-- A printed card pays only with its PIN; five wrong PINs in a row lock it until a cashier resets it.
alter table resident
    add column card_pin_hash   bytea,
    add column card_pin_salt   bytea,
    add column card_pin_failures integer not null default 0,
    add column card_locked_at  timestamptz;

-- The region's Ed25519 keys for customer-presented tokens. The private seed is kept here because the server itself
-- signs every token; a key is retired (not deleted) so tokens it signed can still be told apart from forgeries.
create table cpm_key (
    region_id    bigint not null references region,
    key_id       integer not null,
    public_key   bytea not null,
    private_seed bytea not null,
    created_at   timestamptz not null default now(),
    retired_at   timestamptz,
    primary key (region_id, key_id)
);

-- A dynamic MPM code's server-side half: the amount and shop the resident will be asked to confirm. The reference
-- in the code (tag 62/05) is random and single-use.
create table payment_intent (
    region_id   bigint not null,
    intent_id   uuid not null,
    merchant_id uuid not null,
    reference_label text not null,
    amount      bigint not null check (amount > 0),
    reference   text,
    payload     text not null,
    status      text not null check (status in ('OPEN', 'PAID', 'CANCELLED')),
    expires_at  timestamptz not null,
    payment_id  uuid,
    created_at  timestamptz not null default now(),
    primary key (region_id, intent_id),
    unique (region_id, reference_label),
    foreign key (region_id, merchant_id) references merchant
);

-- One row per payment decision; the payment id is derived from the caller and its Idempotency-Key. A PENDING row
-- holds its intent or token until the ledger answers (see Payments).
create table payment (
    region_id       bigint not null,
    payment_id      uuid not null,
    merchant_id     uuid not null,
    resident_id     uuid not null,
    method          text not null check (method in ('STATIC_MPM', 'DYNAMIC_MPM', 'CPM', 'CARD')),
    amount          bigint not null check (amount > 0),
    refunded_amount bigint not null default 0 check (refunded_amount between 0 and amount),
    reference       text,
    intent_id       uuid,
    token_nonce     bigint,
    status          text not null check (status in ('PENDING', 'DONE')),
    business_date   date not null,
    created_at      timestamptz not null,
    primary key (region_id, payment_id),
    foreign key (region_id, merchant_id) references merchant
);
create index payment_by_merchant on payment (region_id, merchant_id, created_at desc, payment_id);
create index payment_by_resident on payment (region_id, resident_id, business_date) where method = 'CARD';
-- A CPM token pays once: its nonce is spent by the payment that used it.
create unique index payment_token on payment (region_id, resident_id, token_nonce) where token_nonce is not null;
-- A dynamic intent is paid once.
create unique index payment_intent_once on payment (region_id, intent_id) where intent_id is not null;

-- What a payment took from each asset, in pay order; the ledger transfer id is derived from (payment, asset).
create table payment_leg (
    region_id   bigint not null,
    payment_id  uuid not null,
    position    integer not null,
    asset_code  text not null,
    amount      bigint not null check (amount > 0),
    refunded    bigint not null default 0,
    transfer_id uuid not null,
    primary key (region_id, payment_id, position),
    check (refunded between 0 and amount),
    foreign key (region_id, payment_id) references payment
);

create table refund (
    region_id  bigint not null,
    refund_id  uuid not null,
    payment_id uuid not null,
    amount     bigint not null check (amount > 0),
    reason     text,
    status     text not null check (status in ('PENDING', 'DONE')),
    created_by text not null,
    created_at timestamptz not null,
    primary key (region_id, refund_id),
    foreign key (region_id, payment_id) references payment
);
create index refund_by_payment on refund (region_id, payment_id);

create table refund_leg (
    region_id   bigint not null,
    refund_id   uuid not null,
    position    integer not null,
    asset_code  text not null,
    amount      bigint not null check (amount > 0),
    transfer_id uuid not null,
    reverses    uuid not null,
    primary key (region_id, refund_id, position),
    foreign key (region_id, refund_id) references refund
);
