-- Finance reports: payments per shop read a period's finished payments by business day and its finished refunds by
-- time; without these, every report would scan all of the region's payments and refunds.
create index payment_done_by_date on payment (region_id, business_date, merchant_id) include (amount)
    where status = 'DONE';
create index refund_done_by_time on refund (region_id, created_at) include (payment_id, amount)
    where status = 'DONE';
