-- Settlement: how and when shops are paid out, their bank accounts, settlement runs and their payouts. A payment
-- or refund is settled exactly once: the run that includes it stamps its id on the row.

create table settlement_setting (
    region_id       bigint primary key references region,
    cycle           text not null check (cycle in ('HALF_MONTHLY', 'MONTHLY', 'ON_DEMAND')),
    fee_bp          integer not null check (fee_bp between 0 and 10000),
    minimum_payout  bigint not null check (minimum_payout >= 1),
    -- The town's side of the payout file (Zengin header).
    requester_code  text not null,
    requester_name  text not null,
    bank_code       text not null,
    bank_name       text not null default '',
    branch_code     text not null,
    branch_name     text not null default '',
    account_type    text not null,
    account_number  text not null,
    updated_at      timestamptz not null default now()
);

-- A shop's own fee rate in basis points (150 = 1.5%); null takes the region's.
alter table merchant add column fee_bp integer check (fee_bp between 0 and 10000);

create table merchant_bank_account (
    region_id      bigint not null,
    merchant_id    uuid not null,
    bank_code      text not null,
    bank_name      text not null default '',
    branch_code    text not null,
    branch_name    text not null default '',
    account_type   text not null,
    account_number text not null,
    holder_name    text not null,
    updated_at     timestamptz not null default now(),
    primary key (region_id, merchant_id),
    foreign key (region_id, merchant_id) references merchant
);

create table settlement_run (
    region_id     bigint not null references region,
    settlement_id uuid not null,
    period_from   date not null,
    period_to     date not null,
    cutoff        timestamptz not null,
    pay_date      date not null,
    status        text not null check (status in ('PENDING', 'DONE')),
    created_by    text not null,
    created_at    timestamptz not null,
    primary key (region_id, settlement_id),
    unique (region_id, period_from, period_to),
    check (period_from <= period_to)
);

create table payout (
    region_id      bigint not null,
    payout_id      uuid not null,
    settlement_id  uuid not null,
    merchant_id    uuid not null,
    gross          bigint not null,
    fee            bigint not null check (fee >= 0),
    net            bigint not null check (net > 0),
    payment_count  integer not null,
    refund_count   integer not null,
    status         text not null check (status in ('SCHEDULED', 'PAID')),
    scheduled_for  date not null,
    paid_at        timestamptz,
    paid_by        text,
    paid_note      text,
    bank_line_id   uuid,
    -- The shop's bank account as it was when the payout was decided: the file and the bank statement must agree.
    bank_code      text not null,
    bank_name      text not null,
    branch_code    text not null,
    branch_name    text not null,
    account_type   text not null,
    account_number text not null,
    holder_name    text not null,
    created_at     timestamptz not null,
    primary key (region_id, payout_id),
    unique (region_id, settlement_id, merchant_id),
    foreign key (region_id, settlement_id) references settlement_run,
    foreign key (region_id, merchant_id) references merchant
);
create index payout_by_merchant on payout (region_id, merchant_id, created_at desc, payout_id);
create index payout_scheduled on payout (region_id, status, net) where status = 'SCHEDULED';

-- What each payout paid for, and its per-payment fee (so the fee total is the sum of per-payment fees).
create table payout_item (
    region_id  bigint not null,
    payout_id  uuid not null,
    kind       text not null check (kind in ('PAYMENT', 'REFUND')),
    item_id    uuid not null,
    amount     bigint not null,
    fee        bigint not null,
    primary key (region_id, payout_id, kind, item_id),
    foreign key (region_id, payout_id) references payout
);

alter table payment add column settlement_id uuid;
alter table refund add column settlement_id uuid;
create index payment_unsettled on payment (region_id, merchant_id, business_date)
    where settlement_id is null and status = 'DONE';
create index refund_unsettled on refund (region_id, created_at) where settlement_id is null and status = 'DONE';

-- Shops a run could not pay, and why; their takings stay unsettled for a later run.
create table settlement_held (
    region_id     bigint not null,
    settlement_id uuid not null,
    merchant_id   uuid not null,
    owed          bigint not null,
    reason        text not null,
    primary key (region_id, settlement_id, merchant_id),
    foreign key (region_id, settlement_id) references settlement_run
);

-- Bank statements finance imports, line by line, and what each line was matched to (by the import, or by a person
-- with a note). A line's fingerprint makes re-importing the same or an overlapping statement add nothing.
create table bank_statement_import (
    region_id   bigint not null references region,
    import_id   uuid not null,
    file_sha256 bytea not null,
    file_name   text,
    line_count  integer not null,
    new_lines   integer not null,
    errors      jsonb not null,
    created_by  text not null,
    created_at  timestamptz not null,
    primary key (region_id, import_id),
    unique (region_id, file_sha256)
);

create table bank_statement_line (
    region_id    bigint not null,
    line_id      uuid not null,
    import_id    uuid not null,
    line_number  integer not null,
    value_date   date not null,
    amount       bigint not null check (amount <> 0),
    description  text not null,
    reference    text,
    balance      bigint,
    fingerprint  bytea not null,
    status       text not null check (status in ('UNMATCHED', 'MATCHED')),
    matched_kind text check (matched_kind in ('TOPUP', 'PAYOUT', 'OTHER')),
    matched_id   uuid,
    matched_by   text,
    match_note   text,
    matched_at   timestamptz,
    primary key (region_id, line_id),
    unique (region_id, fingerprint),
    foreign key (region_id, import_id) references bank_statement_import
);
create index bank_line_unmatched on bank_statement_line (region_id, value_date) where status = 'UNMATCHED';

-- The statement line that shows a bank-transfer top-up arriving.
alter table topup add column bank_line_id uuid;

-- The webhook tables (V5) were written before shops had a table of their own.
alter table webhook_endpoint add foreign key (region_id, merchant_id) references merchant;
