package jp.yui.ledger;

import java.time.Instant;
import java.util.UUID;

/** One side of a posted movement, as written to the entry table. */
record EntryRow(UUID accountId, long seq, UUID transferId, Side side, long amount, long balanceAfter, long version,
        Instant timestamp) {
}
