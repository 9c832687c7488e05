-- A programme may give points that expire by its own policy (an event's points valid to the end of the fiscal
-- year, say) instead of its asset's; null keeps the asset's.
alter table programme add column expiry_policy text;
