-- The town side of Yui: regions and their chart of accounts, residents and wallets, point programmes, awards,
-- volunteer claims, conversions, top-ups and premium campaigns. Value itself lives in the ledger's tables; these
-- rows say who and why. Every table leads with region_id.

create table region (
    region_id      bigint primary key,
    name           text not null,
    zone           text not null,
    currency_code  text not null,
    wallet_ceiling bigint check (wallet_ceiling > 0),
    created_at     timestamptz not null default now()
);

-- The region's assets as the town sees them; the ledger holds their expiry policy and breakage account.
create table region_asset (
    region_id  bigint not null references region,
    asset_code text not null,
    kind       text not null check (kind in ('CURRENCY', 'POINTS')),
    primary key (region_id, asset_code)
);

-- The chart of accounts: which ledger account plays which part, per asset.
create table region_account (
    region_id  bigint not null references region,
    purpose    text not null,
    asset_code text not null,
    account_id uuid not null,
    primary key (region_id, purpose, asset_code)
);

create table resident (
    region_id    bigint not null references region,
    resident_id  uuid not null,
    subject      text,
    display_name text not null,
    card_code    text not null,
    created_at   timestamptz not null default now(),
    primary key (region_id, resident_id)
);
create unique index resident_subject on resident (region_id, subject) where subject is not null;
create unique index resident_card on resident (region_id, card_code);

-- A resident's wallet per asset, created on first use; maps ledger accounts back to residents.
create table wallet (
    region_id   bigint not null,
    account_id  uuid not null,
    resident_id uuid not null,
    asset_code  text not null,
    primary key (region_id, account_id),
    unique (region_id, resident_id, asset_code)
);

create table programme (
    region_id            bigint not null references region,
    programme_id         uuid not null,
    name                 text not null,
    kind                 text not null,
    asset_code           text not null,
    valid_from           date not null,
    valid_to             date not null,
    cap_per_day          bigint,
    cap_per_month        bigint,
    cap_per_year         bigint,
    budget_account_id    uuid not null,
    conversion_points    integer,
    conversion_yen       integer,
    conversion_yearly_cap bigint,
    created_at           timestamptz not null default now(),
    primary key (region_id, programme_id),
    check (valid_from <= valid_to)
);

create table activity (
    region_id         bigint not null,
    programme_id      uuid not null,
    code              text not null,
    name              text not null,
    reward            bigint not null check (reward > 0),
    once_per_event    boolean not null,
    requires_approval boolean not null,
    primary key (region_id, programme_id, code)
);

-- One row per award decision. The award id is also the ledger transfer id. A PENDING row reserves its points
-- against the resident's caps until the ledger answers; one event rewards a resident once per activity.
create table award (
    region_id     bigint not null,
    award_id      uuid not null,
    programme_id  uuid not null,
    activity_code text not null,
    resident_id   uuid not null,
    event_id      text not null,
    points        bigint not null check (points > 0),
    status        text not null check (status in ('PENDING', 'DONE')),
    business_date date not null,
    created_by    text not null,
    created_at    timestamptz not null default now(),
    primary key (region_id, award_id),
    unique (region_id, programme_id, activity_code, event_id, resident_id)
);
create index award_caps on award (region_id, programme_id, resident_id, business_date);

create table claim (
    region_id     bigint not null,
    claim_id      uuid not null,
    programme_id  uuid not null,
    activity_code text not null,
    resident_id   uuid not null,
    event_id      text not null,
    note          text not null default '',
    status        text not null check (status in ('PENDING', 'APPROVED', 'REJECTED')),
    decided_by    text,
    decision_note text,
    award_id      uuid,
    created_at    timestamptz not null default now(),
    decided_at    timestamptz,
    primary key (region_id, claim_id),
    unique (region_id, programme_id, activity_code, event_id, resident_id)
);

create table conversion (
    region_id     bigint not null,
    conversion_id uuid not null,
    programme_id  uuid not null,
    resident_id   uuid not null,
    points        bigint not null check (points > 0),
    yen           bigint not null check (yen > 0),
    fiscal_year   integer not null,
    status        text not null check (status in ('PENDING', 'DONE')),
    created_at    timestamptz not null default now(),
    primary key (region_id, conversion_id)
);
create index conversion_caps on conversion (region_id, programme_id, resident_id, fiscal_year);

create table campaign (
    region_id          bigint not null references region,
    campaign_id        uuid not null,
    name               text not null,
    premium_percent    integer not null check (premium_percent between 1 and 100),
    valid_from         date not null,
    valid_to           date not null,
    premium_valid_days integer not null check (premium_valid_days > 0),
    budget_account_id  uuid not null,
    created_at         timestamptz not null default now(),
    primary key (region_id, campaign_id),
    check (valid_from <= valid_to)
);

create table topup (
    region_id   bigint not null,
    topup_id    uuid not null,
    resident_id uuid not null,
    channel     text not null check (channel in ('COUNTER', 'BANK_TRANSFER')),
    amount      bigint not null check (amount > 0),
    premium     bigint not null check (premium >= 0),
    campaign_id uuid,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    primary key (region_id, topup_id)
);

-- Bulk award imports run in the background; each row's outcome is kept for the officer's report.
create table award_import (
    region_id    bigint not null,
    import_id    uuid not null,
    programme_id uuid not null,
    status       text not null check (status in ('RUNNING', 'DONE')),
    total_rows   integer not null,
    done_rows    integer not null default 0,
    created_by   text not null,
    created_at   timestamptz not null default now(),
    finished_at  timestamptz,
    primary key (region_id, import_id)
);

create table award_import_row (
    region_id     bigint not null,
    import_id     uuid not null,
    line          integer not null,
    resident_id   uuid,
    activity_code text not null,
    event_id      text not null,
    outcome       text,
    problem_type  text,
    detail        text,
    award_id      uuid,
    primary key (region_id, import_id, line)
);
