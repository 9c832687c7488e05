package jp.yui.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A region's journal with its hash chain, read from a {@link PostgresLedger}'s database: the chain head (what a
 * seal signs) and whole batches with their stored hashes and transfers (what an export carries, for
 * {@link JournalVerifier} to check away from the database).
 *
 * <p>Every read is a short statement of its own. That is consistent without one long snapshot because the
 * journal is append-only: a batch once committed never changes, and a {@link Range} is fixed when it is taken, so
 * batches committed later are not in it. Reads show the rows as they are; rows altered behind the ledger's back are
 * passed on as they are, for the hash chain to expose.
 *
 * <p>Thread-safe. Database failures throw {@link LedgerUnavailableException}.
 */
public final class PostgresJournal {

    private static final HexFormat HEX = HexFormat.of();

    private final DataSource dataSource;

    private PostgresJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The journal of the ledger on this data source (its schema migrated by {@link PostgresLedger#migrate}).
     *
     * @throws NullPointerException if dataSource is null
     */
    public static PostgresJournal on(DataSource dataSource) {
        return new PostgresJournal(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * A region's chain head: its last batch, that batch's last transfer seq and hash, and the journal's time.
     *
     * @param batchSeq  the last committed batch; 0 while the journal is empty
     * @param lastSeq   the seq of the last committed transfer; 0 while the journal is empty
     * @param hash      the hash of batch {@code batchSeq} in hex; {@link JournalVerifier#GENESIS_HASH} for batch 0
     * @param timestamp the commit time of the last batch (the epoch while the journal is empty)
     */
    public record Head(long regionId, long batchSeq, long lastSeq, String hash, Instant timestamp) {
        public Head {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * Whole batches of a region's journal: the unit a hash chain can be checked in.
     *
     * @param firstBatchSeq the first batch
     * @param lastBatchSeq  the last batch
     * @param firstSeq      the first transfer seq of the first batch
     * @param lastSeq       the last transfer seq of the last batch
     * @param previousHash  the hash of batch {@code firstBatchSeq - 1} in hex ({@link JournalVerifier#GENESIS_HASH}
     *                      when the range starts at batch 1): where the chain of the range starts
     */
    public record Range(long regionId, long firstBatchSeq, long lastBatchSeq, long firstSeq, long lastSeq,
            String previousHash) {
        public Range {
            Objects.requireNonNull(previousHash, "previousHash");
            if (firstBatchSeq < 1 || lastBatchSeq < firstBatchSeq) {
                throw new IllegalArgumentException("batches must run from 1 up: " + firstBatchSeq + " to " + lastBatchSeq);
            }
        }
    }

    /**
     * One batch as stored: its number, first seq, count and hash, when it committed, and its transfers in seq
     * order (as many as the journal holds between its first and last seq: fewer than {@code count} if rows were
     * deleted behind the ledger's back).
     */
    public record Batch(long regionId, long batchSeq, long firstSeq, int count, String hash, Instant committedAt,
            List<Transfer> transfers) {
        public Batch {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(committedAt, "committedAt");
            transfers = List.copyOf(transfers);
        }
    }

    /**
     * The region's chain head as last committed.
     *
     * @throws IllegalArgumentException    if the region is unknown
     * @throws LedgerUnavailableException if the database failed
     */
    public Head head(long regionId) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement("select last_batch_seq, last_transfer_seq, head_hash, "
                    + "last_timestamp from ledger_journal_head where region_id = ?")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("unknown region: " + regionId);
                    }
                    return new Head(regionId, rs.getLong(1), rs.getLong(2), HEX.formatHex(rs.getBytes(3)), Sql.instant(rs, 4));
                }
            }
        });
    }

    /**
     * The whole batches that hold transfers {@code fromSeq} to {@code toSeq} as committed now: the range starts at
     * the batch holding {@code fromSeq} and ends with the batch holding {@code toSeq} (or the last batch, if the
     * journal does not reach {@code toSeq} yet), so it may hold a few transfers more than asked for at either end.
     *
     * @return the range; empty if the journal holds no transfer from {@code fromSeq} on
     * @throws IllegalArgumentException    if fromSeq is below 1, toSeq below fromSeq, or the region is unknown
     * @throws IllegalStateException       if the batch before the range is missing from the database (the journal
     *                                     was altered behind the ledger's back; {@link Ledger#verify} says more)
     * @throws LedgerUnavailableException if the database failed
     */
    public Optional<Range> range(long regionId, long fromSeq, long toSeq) {
        if (fromSeq < 1 || toSeq < fromSeq) {
            throw new IllegalArgumentException("fromSeq must be >= 1 and toSeq >= fromSeq: " + fromSeq + ", " + toSeq);
        }
        Head head = head(regionId);
        if (fromSeq > head.lastSeq()) {
            return Optional.empty();
        }
        long to = Math.min(toSeq, head.lastSeq());
        return query(c -> {
            // Batches are numbered in seq order, so both ends are the first batch from the respective side whose
            // seqs reach the wanted one. Only the primary key is indexed: the scans walk batches, not transfers.
            long[] first = batchEnd(c, "select batch_seq, first_seq from ledger_batch where region_id = ? "
                    + "and last_seq >= ? and batch_seq <= ? order by batch_seq limit 1", regionId, fromSeq, head.batchSeq());
            long[] last = batchEnd(c, "select batch_seq, last_seq from ledger_batch where region_id = ? "
                    + "and first_seq <= ? and batch_seq <= ? order by batch_seq desc limit 1", regionId, to, head.batchSeq());
            if (first == null || last == null || last[0] < first[0]) {
                return Optional.<Range>empty();
            }
            String previous = JournalVerifier.GENESIS_HASH;
            if (first[0] > 1) {
                try (PreparedStatement ps = c.prepareStatement(
                        "select hash from ledger_batch where region_id = ? and batch_seq = ?")) {
                    ps.setLong(1, regionId);
                    ps.setLong(2, first[0] - 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("batch " + (first[0] - 1) + " of region " + regionId
                                    + " is missing from the journal: it was altered behind the ledger's back");
                        }
                        previous = HEX.formatHex(rs.getBytes(1));
                    }
                }
            }
            return Optional.of(new Range(regionId, first[0], last[0], first[1], last[1], previous));
        });
    }

    /**
     * The next whole batches of the range after {@code afterBatchSeq}, each with its transfers: as many as hold
     * about {@code maxTransfers} transfers (at least one batch, however large), none once the range is done. Page
     * through a range by passing the last batch returned.
     *
     * @throws IllegalArgumentException    if maxTransfers is not between 1 and 100,000
     * @throws LedgerUnavailableException if the database failed
     */
    public List<Batch> batches(Range range, long afterBatchSeq, int maxTransfers) {
        Objects.requireNonNull(range, "range");
        if (maxTransfers < 1 || maxTransfers > 100_000) {
            throw new IllegalArgumentException("maxTransfers must be between 1 and 100000: " + maxTransfers);
        }
        long after = Math.max(afterBatchSeq, range.firstBatchSeq() - 1);
        if (after >= range.lastBatchSeq()) {
            return List.of();
        }
        return query(c -> {
            List<Object[]> rows = new ArrayList<>();
            long transfers = 0;
            try (PreparedStatement ps = c.prepareStatement("select batch_seq, first_seq, last_seq, transfer_count, hash, "
                    + "committed_at from ledger_batch where region_id = ? and batch_seq > ? and batch_seq <= ? "
                    + "order by batch_seq limit ?")) {
                ps.setLong(1, range.regionId());
                ps.setLong(2, after);
                ps.setLong(3, range.lastBatchSeq());
                ps.setInt(4, maxTransfers); // every batch holds at least one transfer
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && (rows.isEmpty() || transfers + rs.getInt(4) <= maxTransfers)) {
                        transfers += rs.getInt(4);
                        rows.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5),
                                Sql.instant(rs, 6)});
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.<Batch>of();
            }
            List<Transfer> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Sql.TRANSFER + " from ledger_transfer "
                    + "where region_id = ? and seq between ? and ? order by seq")) {
                ps.setLong(1, range.regionId());
                ps.setLong(2, (long) rows.get(0)[1]);
                ps.setLong(3, (long) rows.get(rows.size() - 1)[2]);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(Sql.transfer(rs));
                    }
                }
            }
            List<Batch> out = new ArrayList<>(rows.size());
            int next = 0;
            for (Object[] row : rows) {
                long firstSeq = (long) row[1];
                long lastSeq = (long) row[2];
                while (next < all.size() && all.get(next).seq() < firstSeq) {
                    next++; // in a gap between batches: only an altered journal has one
                }
                List<Transfer> own = new ArrayList<>();
                while (next < all.size() && all.get(next).seq() <= lastSeq) {
                    own.add(all.get(next++));
                }
                out.add(new Batch(range.regionId(), (long) row[0], firstSeq, (int) row[3], HEX.formatHex((byte[]) row[4]),
                        (Instant) row[5], own));
            }
            return out;
        });
    }

    private static long[] batchEnd(Connection c, String sql, long regionId, long seq, long maxBatch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, regionId);
            ps.setLong(2, seq);
            ps.setLong(3, maxBatch);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new LedgerUnavailableException("journal query failed: " + e.getMessage(), e);
        }
    }
}
