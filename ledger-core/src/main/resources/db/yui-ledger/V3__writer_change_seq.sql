-- The writer keeps what it last committed (accounts, lots, the head) in memory and writes a batch in one statement
-- when nothing else changed the region since. change_seq tells it so: every write to a region's balances, holds or
-- account settings, by any process, goes through the head row and adds one to it.
alter table ledger_journal_head add column change_seq bigint not null default 0;

-- Raises unless ok: a batch written in one statement checks its assumptions (the head has not moved, every account
-- is at the version it was read at) with this, so a wrong assumption aborts the whole statement.
create function ledger_require(ok boolean, what text) returns boolean language plpgsql as $$
begin
    if ok is not true then
        raise exception 'ledger writer precondition failed: %', what using errcode = 'YL001';
    end if;
    return true;
end
$$;
