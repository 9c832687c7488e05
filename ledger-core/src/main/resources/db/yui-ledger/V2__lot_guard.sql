-- A lot's history is fixed: only what remains of it may change, and only downwards (debits and sweeps consume it;
-- a reversal gives value back as a new lot). Source, expiry and amount can no longer be rewritten in place.
create function ledger_lot_guard() returns trigger language plpgsql as $$
begin
    if tg_op <> 'UPDATE' then
        raise exception 'ledger_lot rows are never removed: % refused', tg_op using errcode = 'restrict_violation';
    end if;
    if (new.region_id, new.lot_id, new.account_id, new.source, new.amount, new.created_at, new.expires_at,
        new.transfer_id) is distinct from (old.region_id, old.lot_id, old.account_id, old.source, old.amount,
        old.created_at, old.expires_at, old.transfer_id) then
        raise exception 'ledger_lot % may only have its remaining reduced', old.lot_id using errcode = 'restrict_violation';
    end if;
    if new.remaining > old.remaining then
        raise exception 'ledger_lot % may only have its remaining reduced: % to %', old.lot_id, old.remaining, new.remaining
            using errcode = 'restrict_violation';
    end if;
    return new;
end
$$;

create trigger ledger_lot_guard before update or delete on ledger_lot
    for each row execute function ledger_lot_guard();
create trigger ledger_lot_no_truncate before truncate on ledger_lot
    for each statement execute function ledger_lot_guard();
