-- Yui ledger core. Every table leads with region_id and every query filters on it, so the schema can be
-- distributed by region (Citus) with all tables co-located. No sequences: the journal head row hands out
-- transfer, lot and batch numbers per region under its lock.

create table ledger_region (
    region_id  bigint primary key check (region_id > 0),
    name       text not null,
    created_at timestamptz not null default now()
);

-- The serialisation point of a region's writes: every batch locks this row first.
create table ledger_journal_head (
    region_id         bigint primary key references ledger_region,
    last_batch_seq    bigint not null default 0,
    last_transfer_seq bigint not null default 0,
    last_lot_seq      bigint not null default 0,
    head_hash         bytea not null,
    last_timestamp    timestamptz not null
);

create table ledger_asset (
    region_id           bigint not null references ledger_region,
    code                text not null,
    expiry_policy       text not null,
    breakage_account_id uuid not null,
    primary key (region_id, code)
);

create table ledger_account (
    region_id       bigint not null,
    account_id      uuid not null,
    asset_code      text not null,
    normal_side     char(1) not null check (normal_side in ('D', 'C')),
    flags           text[] not null default '{}',
    ceiling         bigint check (ceiling >= 0),
    label           text not null default '',
    debits_posted   bigint not null default 0 check (debits_posted >= 0),
    credits_posted  bigint not null default 0 check (credits_posted >= 0),
    debits_pending  bigint not null default 0 check (debits_pending >= 0),
    credits_pending bigint not null default 0 check (credits_pending >= 0),
    version         bigint not null default 0,
    created_at      timestamptz not null default now(),
    primary key (region_id, account_id),
    foreign key (region_id, asset_code) references ledger_asset
);

-- One row per committed batch: the unit of the hash chain, and the clock of the journal (balanceAt and
-- statements find a time's last seq here instead of indexing every entry by time).
create table ledger_batch (
    region_id      bigint not null,
    batch_seq      bigint not null,
    first_seq      bigint not null,
    last_seq       bigint not null,
    transfer_count integer not null check (transfer_count > 0),
    hash           bytea not null,
    committed_at   timestamptz not null,
    primary key (region_id, batch_seq)
);
create index ledger_batch_time on ledger_batch (region_id, committed_at, batch_seq);

create table ledger_transfer (
    region_id         bigint not null,
    transfer_id       uuid not null,
    seq               bigint not null,
    batch_seq         bigint not null,
    kind              text not null,
    debit_account_id  uuid not null,
    credit_account_id uuid not null,
    asset_code        text not null,
    amount            bigint not null check (amount > 0),
    pending_id        uuid,
    reversal_of       uuid,
    timeout_at        timestamptz,
    reason            text not null,
    metadata          jsonb,
    lot_source        text,
    lot_expires_at    timestamptz,
    linked            boolean not null,
    created_at        timestamptz not null,
    primary key (region_id, transfer_id)
);
create unique index ledger_transfer_seq on ledger_transfer (region_id, seq);
create index ledger_transfer_reversal on ledger_transfer (region_id, reversal_of) where reversal_of is not null;

-- One row per side of a posted movement, with the balance after it: statements and balanceAt are one index read.
create table ledger_entry (
    region_id       bigint not null,
    account_id      uuid not null,
    seq             bigint not null,
    transfer_id     uuid not null,
    side            char(1) not null check (side in ('D', 'C')),
    amount          bigint not null check (amount > 0),
    balance_after   bigint not null,
    account_version bigint not null,
    created_at      timestamptz not null,
    primary key (region_id, account_id, seq)
);

create table ledger_hold (
    region_id         bigint not null,
    pending_id        uuid not null,
    debit_account_id  uuid not null,
    credit_account_id uuid not null,
    amount            bigint not null check (amount > 0),
    timeout_at        timestamptz,
    status            text not null,
    posted_amount     bigint not null default 0,
    resolved_at       timestamptz,
    primary key (region_id, pending_id)
);
create index ledger_hold_timeout on ledger_hold (region_id, timeout_at)
    where status = 'PENDING' and timeout_at is not null;

create table ledger_lot (
    region_id   bigint not null,
    lot_id      bigint not null,
    account_id  uuid not null,
    source      text not null,
    amount      bigint not null check (amount > 0),
    remaining   bigint not null check (remaining >= 0 and remaining <= amount),
    created_at  timestamptz not null,
    expires_at  timestamptz,
    transfer_id uuid not null,
    primary key (region_id, lot_id)
);
create index ledger_lot_open on ledger_lot (region_id, account_id) where remaining > 0;
create index ledger_lot_expiring on ledger_lot (region_id, expires_at, lot_id)
    where remaining > 0 and expires_at is not null;

create table ledger_lot_consumption (
    region_id   bigint not null,
    transfer_id uuid not null,
    ordinal     integer not null,
    lot_id      bigint not null,
    account_id  uuid not null,
    amount      bigint not null check (amount > 0),
    primary key (region_id, transfer_id, ordinal)
);

-- The journal is append-only: corrections are new transfers. Only a superuser who disables these triggers can
-- change history, and verify() then finds it through the hash chain.
create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'ledger journal table % is append-only: % refused', tg_table_name, tg_op
        using errcode = 'restrict_violation';
end
$$;

create trigger ledger_transfer_append_only before update or delete on ledger_transfer
    for each row execute function ledger_refuse_change();
create trigger ledger_transfer_no_truncate before truncate on ledger_transfer
    for each statement execute function ledger_refuse_change();
create trigger ledger_entry_append_only before update or delete on ledger_entry
    for each row execute function ledger_refuse_change();
create trigger ledger_entry_no_truncate before truncate on ledger_entry
    for each statement execute function ledger_refuse_change();
create trigger ledger_batch_append_only before update or delete on ledger_batch
    for each row execute function ledger_refuse_change();
create trigger ledger_batch_no_truncate before truncate on ledger_batch
    for each statement execute function ledger_refuse_change();
create trigger ledger_lot_consumption_append_only before update or delete on ledger_lot_consumption
    for each row execute function ledger_refuse_change();
create trigger ledger_lot_consumption_no_truncate before truncate on ledger_lot_consumption
    for each statement execute function ledger_refuse_change();
