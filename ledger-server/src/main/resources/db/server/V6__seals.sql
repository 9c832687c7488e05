-- Journal seals: a region's hash-chain head signed with an Ed25519 seal key, optionally time-stamped by an RFC 3161
-- authority, so that an export of the journal can be checked offline (docs/journal-export.md).

-- Every key that ever signed a region's seals, so that old seals still verify after a key changes.
--
-- private_key_pem is set only for keys the server generated itself (source DATABASE), which it does when no key
-- file is configured (yui.seals.private-key-file), as in the demo. Whoever can read this column can sign seals, and
-- whoever can also write the journal can re-seal a rewritten one: in production configure the key file, and this
-- column stays null (source FILE: only the public half is kept here).
create table seal_key (
    region_id       bigint not null references region,
    key_id          text not null,
    public_key_pem  text not null,
    private_key_pem text,
    source          text not null check (source in ('DATABASE', 'FILE')),
    created_at      timestamptz not null default now(),
    primary key (region_id, key_id),
    check ((source = 'DATABASE') = (private_key_pem is not null))
);
-- A region has at most one generated key: the one it signs with while there is no key file.
create unique index seal_key_generated on seal_key (region_id) where source = 'DATABASE';

create table seal (
    region_id     bigint not null references region,
    seal_seq      bigint not null check (seal_seq > 0),
    batch_seq     bigint not null check (batch_seq >= 0),
    last_seq      bigint not null check (last_seq >= 0),
    head_hash     bytea not null check (octet_length(head_hash) = 32),
    sealed_at     timestamptz not null,
    key_id        text not null,
    signature     bytea not null check (octet_length(signature) = 64),
    -- The RFC 3161 token (DER) over SHA-256 of the seal statement, its time and signer; null when no authority
    -- was configured.
    tsa_token     bytea,
    tsa_time      timestamptz,
    tsa_authority text,
    trigger       text not null check (trigger in ('SCHEDULED', 'ON_DEMAND')),
    sealed_by     text not null,
    primary key (region_id, seal_seq),
    foreign key (region_id, key_id) references seal_key,
    check ((tsa_token is null) = (tsa_time is null))
);
-- Exports look seals up by the batches they cover.
create index seal_batch on seal (region_id, batch_seq);

-- Seals and keys are append-only, like the journal they vouch for.
create function seal_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'seal table % is append-only: % refused', tg_table_name, tg_op
        using errcode = 'restrict_violation';
end
$$;

create trigger seal_append_only before update or delete on seal
    for each row execute function seal_refuse_change();
create trigger seal_no_truncate before truncate on seal
    for each statement execute function seal_refuse_change();
create trigger seal_key_append_only before update or delete on seal_key
    for each row execute function seal_refuse_change();
create trigger seal_key_no_truncate before truncate on seal_key
    for each statement execute function seal_refuse_change();
