package jp.yui.server.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import jp.yui.server.db.Db;

/**
 * Read-only access to the ledger's tables for reports. The ledger writes a region's transfers, entries, lots and
 * account totals in one transaction per batch, so a report that reads them in one snapshot sees whole batches only;
 * and because every transfer of a batch carries the batch's commit time, which never decreases in a region, "stamped
 * before an instant" is "at or below a journal position", found through the index on {@code ledger_batch}.
 */
final class Journal {

    private Journal() {
    }

    /**
     * Runs the reads in one read-only repeatable-read transaction: every statement sees the same committed state,
     * so totals taken from one table agree with lines taken from another.
     */
    static <T> T snapshot(Db db, Db.Work<T> work) {
        return db.tx(c -> {
            // Must be the transaction's first statement; it lasts until the commit, the pool's session is untouched.
            Db.update(c, "set transaction isolation level repeatable read, read only");
            return work.run(c);
        });
    }

    /**
     * The last journal seq of the region committed strictly before {@code at}, or 0 if none: transfers stamped before
     * {@code at} are exactly those with a seq at or below it.
     */
    static long lastSeqBefore(Connection c, long regionId, Instant at) throws SQLException {
        return Db.one(c, "select last_seq from ledger_batch where region_id = ? and committed_at < ? "
                + "order by committed_at desc, batch_seq desc limit 1", rs -> rs.getLong(1), regionId, at).orElse(0L);
    }
}
