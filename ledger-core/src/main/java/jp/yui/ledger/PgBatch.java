package jp.yui.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One writer batch as one PostgreSQL transaction, in one of two modes.
 *
 * <p>{@link Mode#LOCKED}: lock the region's journal head, load what the batch reads (accounts in ascending id order,
 * {@code FOR UPDATE}), let the {@link Engine} decide, write, and the caller commits. This is always correct.
 *
 * <p>{@link Mode#FROM_MEMORY}: the writer's {@link RegionState} says nothing else changed the region since its last
 * batch, so the batch is decided from the accounts and lots in memory (reading only what memory lacks, without
 * locks), its transfer ids are taken to be new, and everything is written by one statement, on an auto-commit
 * connection, that first locks the head and checks those assumptions: the head's {@code change_seq} is the one
 * remembered, every account is at the version it was read at, and the transfer table's primary key refuses an id
 * that exists. If any fails, nothing is written and the writer runs the batch again {@code LOCKED}.
 *
 * <p>In both modes the writes are one statement (data-modifying CTEs, one per table), so a batch costs one round
 * trip to write. Anything the engine asks for beyond what was loaded up front is loaded on demand.
 */
final class PgBatch implements Engine.Source {

    /** What the head row held when locked (or, for a batch from memory, when last written). */
    record Head(long lastBatchSeq, long lastTransferSeq, long lastLotSeq, byte[] hash, Instant lastTimestamp,
            long changeSeq) {
    }

    /** The outcome of a batch: the engine's changes and, for a sweep, the last account looked at. */
    record Result(Engine.Changes changes, UUID lastSweptAccount) {
    }

    enum Mode { LOCKED, FROM_MEMORY }

    static final int MAX_TIMED_OUT_HOLDS = 10_000;
    static final int SWEEP_ACCOUNTS = 500;
    /** The SQLSTATE {@code ledger_require()} raises: an assumption of a batch written from memory did not hold. */
    static final String PRECONDITION_FAILED = "YL001";

    private final Connection c;
    private final long regionId;
    private final Map<String, Asset> assets;
    private final RegionState state;
    private final Mode mode;
    private final Map<UUID, AccountState> accounts = new HashMap<>();
    /** The version of each account when this batch first read it: the write checks the row is still there. */
    private final Map<UUID, Long> versionsRead = new HashMap<>();
    private final Map<UUID, Transfer> transfers = new HashMap<>();
    private final Map<UUID, HoldState> holds = new HashMap<>();
    private final Map<UUID, List<LotState>> lots = new HashMap<>();
    private final Map<UUID, Long> reversed = new HashMap<>();
    private final Map<UUID, List<Consumption>> consumptions = new HashMap<>();
    private Head written;
    private Instant holdsDueAt;

    /**
     * @param assets the ledger's asset cache (assets never change), filled from this batch's connection
     * @param state  what the writer remembers of the region, read before the database; null to read everything
     */
    PgBatch(Connection c, long regionId, Map<String, Asset> assets, RegionState state, Mode mode) {
        this.c = c;
        this.regionId = regionId;
        this.assets = assets;
        this.state = state;
        this.mode = mode;
    }

    /** Locks the head row; throws if the region does not exist. */
    static Head lockHead(Connection c, long regionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_batch_seq, last_transfer_seq, last_lot_seq, head_hash, "
                + "last_timestamp, change_seq from ledger_journal_head where region_id = ? for update")) {
            ps.setLong(1, regionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("unknown region: " + regionId);
                }
                return new Head(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4), Sql.instant(rs, 5),
                        rs.getLong(6));
            }
        }
    }

    /** True if a batch of these submissions can be decided from memory: new posted and pending transfers only. */
    static boolean fromMemoryCanDecide(List<List<TransferRequest>> submissions) {
        for (List<TransferRequest> requests : submissions) {
            for (TransferRequest r : requests) {
                if (r.kind() != TransferKind.POSTED && r.kind() != TransferKind.PENDING) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Decides and writes a batch.
     *
     * @param head        the head as locked ({@link Mode#LOCKED}) or as remembered ({@link Mode#FROM_MEMORY})
     * @param submissions the submissions of the batch, in order
     * @param sweepAfter  for a sweep, the account id to continue after ({@code new UUID(0, 0)} to start); null for
     *                    a batch of requests (always null from memory)
     */
    Result execute(Head head, Instant now, List<List<TransferRequest>> submissions, UUID sweepAfter) throws SQLException {
        List<TransferRequest> requests = new ArrayList<>();
        submissions.forEach(requests::addAll);
        if (mode == Mode.FROM_MEMORY) {
            if (sweepAfter != null || !fromMemoryCanDecide(submissions)) {
                throw new IllegalStateException("a sweep, post, void or reversal is never decided from memory");
            }
            Set<UUID> accountIds = new TreeSet<>();
            for (TransferRequest r : requests) {
                accountIds.add(r.debitAccountId());
                accountIds.add(r.creditAccountId());
            }
            loadAccounts(accountIds);
            loadLots(lotTracked(Engine.likelyDebited(requests, this)));
            holdsDueAt = state.holdsDueAt();
            return decideAndWrite(head, now, List.of(), List.of(), submissions);
        }
        Set<UUID> transferIds = new HashSet<>();
        Set<UUID> pendingIds = new HashSet<>();
        Set<UUID> reversalIds = new HashSet<>();
        Set<UUID> accountIds = new TreeSet<>();
        for (TransferRequest r : requests) {
            transferIds.add(r.id());
            if (r.pendingId() != null) {
                pendingIds.add(r.pendingId());
            }
            if (r.reversalOf() != null) {
                reversalIds.add(r.reversalOf());
            }
            if (r.debitAccountId() != null) {
                accountIds.add(r.debitAccountId());
                accountIds.add(r.creditAccountId());
            }
        }
        transferIds.addAll(pendingIds);
        transferIds.addAll(reversalIds);
        loadTransfers(transferIds);
        loadHolds(pendingIds);
        List<HoldState> timedOut = loadTimedOutHolds(now);
        Instant next = nextHoldTimeout(now);
        holdsDueAt = timedOut.size() >= MAX_TIMED_OUT_HOLDS ? now : next;
        for (HoldState h : holds.values()) {
            if (h != null) {
                accountIds.add(h.debitAccountId);
                accountIds.add(h.creditAccountId);
            }
        }
        for (UUID id : reversalIds) {
            Transfer t = transfers.get(id);
            if (t != null) {
                accountIds.add(t.debitAccountId());
                accountIds.add(t.creditAccountId());
            }
        }
        List<UUID> sweep = sweepAfter == null ? List.of() : expiredLotAccounts(now, sweepAfter);
        accountIds.addAll(sweep);
        loadAccounts(accountIds);
        Set<UUID> lotAccounts = new TreeSet<>(Engine.likelyDebited(requests, this));
        lotAccounts.addAll(sweep);
        loadLots(lotTracked(lotAccounts));
        loadReversed(reversalIds);
        loadConsumptions(reversalIds);
        Result r = decideAndWrite(head, now, timedOut, sweep, submissions);
        return new Result(r.changes(), sweep.isEmpty() ? null : sweep.get(sweep.size() - 1));
    }

    private Set<UUID> lotTracked(Set<UUID> ids) {
        Set<UUID> out = new TreeSet<>(ids);
        out.removeIf(id -> accounts.get(id) == null || !accounts.get(id).has(AccountFlag.LOT_TRACKED));
        return out;
    }

    private Result decideAndWrite(Head head, Instant now, List<HoldState> timedOut, List<UUID> sweep,
            List<List<TransferRequest>> submissions) throws SQLException {
        long batchSeq = head.lastBatchSeq() + 1;
        Engine.Changes ch = new Engine(regionId, batchSeq, head.lastTransferSeq(), head.lastLotSeq(), now, this)
                .run(timedOut, sweep, submissions);
        for (HoldState h : ch.newHolds) {
            if (h.timeoutAt != null && h.timeoutAt.isBefore(holdsDueAt)) {
                holdsDueAt = h.timeoutAt;
            }
        }
        written = write(ch, head, batchSeq, now);
        return new Result(ch, null);
    }

    /** The head after this batch, once {@link #execute} returned (the old one if the batch changed nothing). */
    Head written() {
        return written;
    }

    /** When pending holds may next time out, as far as this batch knows; only a lower bound. */
    Instant holdsDueAt() {
        return holdsDueAt;
    }

    /** The accounts this batch read, as it left them. */
    Map<UUID, AccountState> accountsRead() {
        return accounts;
    }

    /** The open lots this batch read, as it left them. */
    Map<UUID, List<LotState>> lotsRead() {
        return lots;
    }

    // ----------------------------------------------------------------------------------------------- Source

    @Override
    public AccountState account(UUID id) {
        if (!accounts.containsKey(id)) {
            run(() -> loadAccounts(Set.of(id)));
        }
        return accounts.get(id);
    }

    @Override
    public Transfer transfer(UUID id) {
        if (mode == Mode.FROM_MEMORY) {
            // Only new transfers are decided from memory, and they name no other; the primary key refuses a taken id.
            return null;
        }
        if (!transfers.containsKey(id)) {
            run(() -> loadTransfers(Set.of(id)));
        }
        return transfers.get(id);
    }

    @Override
    public HoldState hold(UUID pendingId) {
        if (!holds.containsKey(pendingId)) {
            run(() -> loadHolds(Set.of(pendingId)));
        }
        return holds.get(pendingId);
    }

    @Override
    public List<LotState> lots(UUID accountId) {
        if (!lots.containsKey(accountId)) {
            run(() -> loadLots(Set.of(accountId)));
        }
        return lots.get(accountId);
    }

    @Override
    public long reversedAmount(UUID originalId) {
        if (!reversed.containsKey(originalId)) {
            run(() -> loadReversed(Set.of(originalId)));
        }
        return reversed.get(originalId);
    }

    @Override
    public List<Consumption> consumptions(UUID transferId) {
        if (!consumptions.containsKey(transferId)) {
            run(() -> loadConsumptions(Set.of(transferId)));
        }
        return consumptions.get(transferId);
    }

    @Override
    public Asset asset(String code) {
        String key = regionId + ":" + code;
        Asset a = assets.get(key);
        if (a == null) {
            run(() -> assets.put(key, loadAsset(c, regionId, code)));
            a = assets.get(key);
        }
        return a;
    }

    static Asset loadAsset(Connection c, long regionId, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select expiry_policy, breakage_account_id from ledger_asset "
                + "where region_id = ? and code = ?")) {
            ps.setLong(1, regionId);
            ps.setString(2, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("unknown asset in region " + regionId + ": " + code);
                }
                return new Asset(regionId, code, ExpiryPolicy.parse(rs.getString(1)), rs.getObject(2, UUID.class));
            }
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** On-demand loads happen inside the engine, which cannot throw checked exceptions. */
    private static void run(SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** Carries a SQLException out of the engine to the writer, which unwraps it. */
    static final class SqlFailure extends RuntimeException {
        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    // ----------------------------------------------------------------------------------------------- loads

    /**
     * Accounts from memory, else from the database: locked in id order under the head lock, or read without locks
     * from memory (the write checks their versions). An unknown account is remembered as null for this batch only.
     */
    private void loadAccounts(Collection<UUID> ids) throws SQLException {
        List<UUID> missing = new ArrayList<>();
        for (UUID id : ids) {
            if (accounts.containsKey(id)) {
                continue;
            }
            AccountState known = state == null ? null : state.accounts.get(id);
            if (known != null) {
                take(known);
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.ACCOUNT + " from ledger_account "
                + "where region_id = ? and account_id = any(?::uuid[]) order by account_id"
                + (mode == Mode.LOCKED ? " for update" : ""))) {
            ps.setLong(1, regionId);
            Sql.setUuids(ps, 2, missing);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    take(new AccountState(Sql.account(rs)));
                }
            }
        }
        for (UUID id : missing) {
            accounts.putIfAbsent(id, null);
        }
    }

    private void take(AccountState a) {
        accounts.put(a.id, a);
        versionsRead.put(a.id, a.version);
    }

    private void loadTransfers(Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.TRANSFER + " from ledger_transfer "
                + "where region_id = ? and transfer_id = any(?)")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Transfer t = Sql.transfer(rs);
                    transfers.put(t.id(), t);
                }
            }
        }
        for (UUID id : ids) {
            transfers.putIfAbsent(id, null);
        }
    }

    private void loadHolds(Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.HOLD + " from ledger_hold "
                + "where region_id = ? and pending_id = any(?)")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    HoldState h = Sql.hold(rs);
                    holds.put(h.pendingId, h);
                }
            }
        }
        for (UUID id : ids) {
            holds.putIfAbsent(id, null);
        }
    }

    private List<HoldState> loadTimedOutHolds(Instant now) throws SQLException {
        List<HoldState> timedOut = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.HOLD + " from ledger_hold where region_id = ? "
                + "and status = 'PENDING' and timeout_at is not null and timeout_at <= ? "
                + "order by timeout_at, pending_id limit " + MAX_TIMED_OUT_HOLDS)) {
            ps.setLong(1, regionId);
            Sql.setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    HoldState h = Sql.hold(rs);
                    HoldState known = holds.get(h.pendingId);
                    if (known == null) {
                        holds.put(h.pendingId, h);
                        known = h;
                    }
                    timedOut.add(known);
                }
            }
        }
        return timedOut;
    }

    /** The earliest timeout after {@code now} of a pending hold, or {@link Instant#MAX} if none. */
    private Instant nextHoldTimeout(Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select min(timeout_at) from ledger_hold where region_id = ? "
                + "and status = 'PENDING' and timeout_at is not null and timeout_at > ?")) {
            ps.setLong(1, regionId);
            Sql.setInstant(ps, 2, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Instant t = Sql.instant(rs, 1);
                return t == null ? Instant.MAX : t;
            }
        }
    }

    private List<UUID> expiredLotAccounts(Instant now, UUID after) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct account_id from ledger_lot where region_id = ? "
                + "and remaining > 0 and expires_at <= ? and account_id > ? order by account_id limit " + SWEEP_ACCOUNTS)) {
            ps.setLong(1, regionId);
            Sql.setInstant(ps, 2, now);
            ps.setObject(3, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private void loadLots(Collection<UUID> accountIds) throws SQLException {
        List<UUID> missing = new ArrayList<>();
        for (UUID id : accountIds) {
            if (lots.containsKey(id)) {
                continue;
            }
            List<LotState> known = state == null ? null : state.lots.get(id);
            if (known != null) {
                lots.put(id, known);
            } else {
                missing.add(id);
                lots.put(id, new ArrayList<>());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.LOT + " from ledger_lot "
                + "where region_id = ? and account_id = any(?::uuid[]) and remaining > 0")) {
            ps.setLong(1, regionId);
            Sql.setUuids(ps, 2, missing);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LotState lot = Sql.lot(rs);
                    lots.get(lot.accountId).add(lot);
                }
            }
        }
        for (UUID id : missing) {
            lots.get(id).sort(LotState.CONSUMPTION_ORDER);
        }
    }

    private void loadReversed(Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select reversal_of, sum(amount) from ledger_transfer "
                + "where region_id = ? and reversal_of = any(?) group by reversal_of")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reversed.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        for (UUID id : ids) {
            reversed.putIfAbsent(id, 0L);
        }
    }

    private void loadConsumptions(Collection<UUID> transferIds) throws SQLException {
        if (transferIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select c.transfer_id, c.lot_id, c.account_id, c.amount, "
                + "l.source, l.expires_at from ledger_lot_consumption c join ledger_lot l "
                + "on l.region_id = c.region_id and l.lot_id = c.lot_id "
                + "where c.region_id = ? and c.transfer_id = any(?) order by c.transfer_id, c.ordinal")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuids(c, transferIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Consumption k = new Consumption(rs.getObject(1, UUID.class), rs.getLong(2),
                            rs.getObject(3, UUID.class), rs.getLong(4), rs.getString(5), Sql.instant(rs, 6));
                    consumptions.computeIfAbsent(k.transferId(), x -> new ArrayList<>()).add(k);
                }
            }
        }
        for (UUID id : transferIds) {
            consumptions.putIfAbsent(id, List.of());
        }
    }

    // ----------------------------------------------------------------------------------------------- writes

    /** Parameters of the batch's one write statement, bound in order. */
    private static final class Params {
        final List<Object> values = new ArrayList<>();

        /** Adds a parameter and answers its placeholder. */
        String add(Object value) {
            values.add(value);
            return "?";
        }

        void bind(PreparedStatement ps) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                int index = i + 1;
                if (v instanceof Instant t) {
                    Sql.setInstant(ps, index, t);
                } else if (v instanceof Sql.Literal l) {
                    ps.setObject(index, l.text(), java.sql.Types.OTHER);
                } else {
                    // Long, Integer, byte[], and long[] / boolean[] (sent as binary arrays)
                    ps.setObject(index, v);
                }
            }
        }
    }

    /** Every part of the write runs only once the head row is locked and still at the change this batch expects. */
    private static final String GATE = "(select count(*) from h) = 1";

    /**
     * Writes the batch's changes as one statement: data-modifying CTEs for the head, the journal, lots, holds and
     * accounts. The head is updated first (every other part is gated on it), so the statement takes the head lock
     * before any account row, as every writer does. The statement raises {@value #PRECONDITION_FAILED} if the head
     * moved or an account is not at the version this batch read; a taken transfer id breaks the primary key.
     *
     * @return the new head, or {@code head} if the batch changed nothing
     */
    private Head write(Engine.Changes ch, Head head, long batchSeq, Instant now) throws SQLException {
        // From memory every id was taken to be new. A transfer that was stored stands on the primary key; one that
        // failed must be checked, since the answer for a taken id is EXISTS…, whatever else is wrong with it.
        List<UUID> failed = new ArrayList<>();
        if (mode == Mode.FROM_MEMORY) {
            for (TransferOutcome o : ch.outcomes) {
                if (!o.committed()) {
                    failed.add(o.id());
                }
            }
        }
        if (ch.transfers.isEmpty() && ch.touchedAccounts.isEmpty()) {
            if (mode == Mode.FROM_MEMORY) {
                // Outcomes decided from memory stand only if memory was right: nothing else changed the region.
                requireUnchanged(head, failed);
            }
            return head;
        }
        Head next;
        byte[] hash = head.hash();
        if (ch.transfers.isEmpty()) {
            // Holds released at `now`: later batches must not be stamped earlier.
            next = new Head(head.lastBatchSeq(), head.lastTransferSeq(), head.lastLotSeq(), head.hash(), now,
                    head.changeSeq() + 1);
        } else {
            hash = HashChain.next(head.hash(), regionId, batchSeq, ch.transfers);
            next = new Head(batchSeq, ch.lastSeq, ch.lastLotSeq, hash, now, head.changeSeq() + 1);
        }
        Params p = new Params();
        List<String> ctes = new ArrayList<>();
        ctes.add("h as (update ledger_journal_head set last_batch_seq = " + p.add(next.lastBatchSeq())
                + ", last_transfer_seq = " + p.add(next.lastTransferSeq()) + ", last_lot_seq = " + p.add(next.lastLotSeq())
                + ", head_hash = " + p.add(next.hash()) + ", last_timestamp = " + p.add(now)
                + ", change_seq = change_seq + 1 where region_id = " + p.add(regionId) + " and change_seq = "
                + p.add(head.changeSeq()) + " returning 1)");
        insertTransfers(ctes, p, ch.transfers);
        insertEntries(ctes, p, ch.entries, now);
        insertLots(ctes, p, ch.newLots);
        Set<LotState> newLots = Collections.newSetFromMap(new IdentityHashMap<>());
        newLots.addAll(ch.newLots);
        updateLots(ctes, p, ch.changedLots.stream().filter(l -> !newLots.contains(l)).toArray(LotState[]::new));
        insertConsumptions(ctes, p, ch.consumptions);
        insertHolds(ctes, p, ch.newHolds);
        Set<HoldState> newHolds = Collections.newSetFromMap(new IdentityHashMap<>());
        newHolds.addAll(ch.newHolds);
        updateHolds(ctes, p, ch.changedHolds.stream().filter(h -> !newHolds.contains(h)).toArray(HoldState[]::new));
        int accountRows = updateAccounts(ctes, p, ch.touchedAccounts);
        if (!ch.transfers.isEmpty()) {
            ctes.add("b as (insert into ledger_batch (region_id, batch_seq, first_seq, last_seq, transfer_count, hash, "
                    + "committed_at) select " + p.add(regionId) + ", " + p.add(batchSeq) + ", "
                    + p.add(ch.transfers.get(0).seq()) + ", " + p.add(ch.lastSeq) + ", " + p.add(ch.transfers.size())
                    + ", " + p.add(hash) + ", " + p.add(now) + " where " + GATE + ")");
        }
        String sql = "with " + String.join(", ", ctes) + " select ledger_require(" + GATE + ", 'the journal head of region "
                + regionId + " moved'), ledger_require((select count(*) from a) = " + p.add(accountRows)
                + ", 'an account of region " + regionId + " changed')" + (failed.isEmpty() ? ""
                : ", ledger_require(not exists (select 1 from ledger_transfer where region_id = " + p.add(regionId)
                + " and transfer_id = any(" + p.add(Sql.uuidArray(failed.toArray(new UUID[0]))) + "::uuid[])), "
                + "'a transfer id that failed exists')");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            p.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
        return next;
    }

    /** Raises {@value #PRECONDITION_FAILED} unless the head is still at {@code head}'s change and no id exists. */
    private void requireUnchanged(Head head, List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select ledger_require(change_seq = ?, 'the journal head of region "
                + regionId + " moved'), ledger_require(not exists (select 1 from ledger_transfer t where t.region_id = "
                + "h.region_id and t.transfer_id = any(?::uuid[])), 'a transfer id that failed exists') "
                + "from ledger_journal_head h where region_id = ?")) {
            ps.setLong(1, head.changeSeq());
            Sql.setUuids(ps, 2, ids);
            ps.setLong(3, regionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    private void insertTransfers(List<String> ctes, Params p, List<Transfer> ts) {
        if (ts.isEmpty()) {
            return;
        }
        int n = ts.size();
        UUID[] id = new UUID[n];
        long[] seq = new long[n];
        String[] kind = new String[n];
        UUID[] dr = new UUID[n];
        UUID[] cr = new UUID[n];
        String[] asset = new String[n];
        long[] amount = new long[n];
        UUID[] pending = new UUID[n];
        UUID[] reversal = new UUID[n];
        Instant[] timeout = new Instant[n];
        String[] reason = new String[n];
        String[] meta = new String[n];
        String[] lotSource = new String[n];
        Instant[] lotExpires = new Instant[n];
        boolean[] linked = new boolean[n];
        for (int i = 0; i < n; i++) {
            Transfer t = ts.get(i);
            id[i] = t.id();
            seq[i] = t.seq();
            kind[i] = t.kind().name();
            dr[i] = t.debitAccountId();
            cr[i] = t.creditAccountId();
            asset[i] = t.assetCode();
            amount[i] = t.amount();
            pending[i] = t.pendingId();
            reversal[i] = t.reversalOf();
            timeout[i] = t.timeoutAt();
            reason[i] = t.reason();
            meta[i] = t.metadata().isEmpty() ? null : Metadata.toJson(t.metadata());
            lotSource[i] = t.lotSource();
            lotExpires[i] = t.lotExpiresAt();
            linked[i] = t.linked();
        }
        ctes.add("t as (insert into ledger_transfer (region_id, transfer_id, seq, batch_seq, kind, debit_account_id, "
                + "credit_account_id, asset_code, amount, pending_id, reversal_of, timeout_at, reason, metadata, lot_source, "
                + "lot_expires_at, linked, created_at) select " + p.add(regionId) + ", t.id, t.seq, "
                + p.add(ts.get(0).batchSeq()) + ", t.kind, t.dr, t.cr, t.asset, t.amount, t.pending, t.reversal, t.timeout, "
                + "t.reason, t.meta::jsonb, t.lot_source, t.lot_expires, t.linked, " + p.add(ts.get(0).timestamp())
                + " from unnest(" + p.add(Sql.uuidArray(id)) + "::uuid[], " + p.add(seq) + "::bigint[], "
                + p.add(Sql.textArray(kind)) + "::text[], " + p.add(Sql.uuidArray(dr)) + "::uuid[], "
                + p.add(Sql.uuidArray(cr)) + "::uuid[], " + p.add(Sql.textArray(asset)) + "::text[], " + p.add(amount)
                + "::bigint[], " + p.add(Sql.uuidArray(pending)) + "::uuid[], " + p.add(Sql.uuidArray(reversal))
                + "::uuid[], " + p.add(Sql.instantArray(timeout)) + "::timestamptz[], " + p.add(Sql.textArray(reason))
                + "::text[], " + p.add(Sql.textArray(meta)) + "::text[], " + p.add(Sql.textArray(lotSource)) + "::text[], "
                + p.add(Sql.instantArray(lotExpires)) + "::timestamptz[], " + p.add(linked) + "::boolean[]) "
                + "as t(id, seq, kind, dr, cr, asset, amount, pending, reversal, timeout, reason, meta, lot_source, "
                + "lot_expires, linked) where " + GATE + ")");
    }

    private void insertEntries(List<String> ctes, Params p, List<EntryRow> es, Instant now) {
        if (es.isEmpty()) {
            return;
        }
        int n = es.size();
        UUID[] account = new UUID[n];
        long[] seq = new long[n];
        UUID[] transfer = new UUID[n];
        String[] side = new String[n];
        long[] amount = new long[n];
        long[] balance = new long[n];
        long[] version = new long[n];
        for (int i = 0; i < n; i++) {
            EntryRow e = es.get(i);
            account[i] = e.accountId();
            seq[i] = e.seq();
            transfer[i] = e.transferId();
            side[i] = Sql.code(e.side());
            amount[i] = e.amount();
            balance[i] = e.balanceAfter();
            version[i] = e.version();
        }
        ctes.add("e as (insert into ledger_entry (region_id, account_id, seq, transfer_id, side, amount, balance_after, "
                + "account_version, created_at) select " + p.add(regionId) + ", e.account, e.seq, e.transfer, e.side, "
                + "e.amount, e.balance, e.version, " + p.add(now) + " from unnest(" + p.add(Sql.uuidArray(account))
                + "::uuid[], " + p.add(seq) + "::bigint[], " + p.add(Sql.uuidArray(transfer)) + "::uuid[], "
                + p.add(Sql.textArray(side)) + "::text[], " + p.add(amount) + "::bigint[], " + p.add(balance)
                + "::bigint[], " + p.add(version) + "::bigint[]) as e(account, seq, transfer, side, amount, balance, "
                + "version) where " + GATE + ")");
    }

    private void insertLots(List<String> ctes, Params p, List<LotState> ls) {
        if (ls.isEmpty()) {
            return;
        }
        int n = ls.size();
        long[] lotId = new long[n];
        UUID[] account = new UUID[n];
        String[] source = new String[n];
        long[] amount = new long[n];
        long[] remaining = new long[n];
        Instant[] created = new Instant[n];
        Instant[] expires = new Instant[n];
        UUID[] transfer = new UUID[n];
        for (int i = 0; i < n; i++) {
            LotState l = ls.get(i);
            lotId[i] = l.lotId;
            account[i] = l.accountId;
            source[i] = l.source;
            amount[i] = l.amount;
            remaining[i] = l.remaining;
            created[i] = l.createdAt;
            expires[i] = l.expiresAt;
            transfer[i] = l.transferId;
        }
        ctes.add("l as (insert into ledger_lot (region_id, lot_id, account_id, source, amount, remaining, created_at, "
                + "expires_at, transfer_id) select " + p.add(regionId) + ", l.id, l.account, l.source, l.amount, "
                + "l.remaining, l.created, l.expires, l.transfer from unnest(" + p.add(lotId) + "::bigint[], "
                + p.add(Sql.uuidArray(account)) + "::uuid[], " + p.add(Sql.textArray(source)) + "::text[], "
                + p.add(amount) + "::bigint[], " + p.add(remaining) + "::bigint[], " + p.add(Sql.instantArray(created))
                + "::timestamptz[], " + p.add(Sql.instantArray(expires)) + "::timestamptz[], "
                + p.add(Sql.uuidArray(transfer)) + "::uuid[]) as l(id, account, source, amount, remaining, created, "
                + "expires, transfer) where " + GATE + ")");
    }

    private void updateLots(List<String> ctes, Params p, LotState[] ls) {
        if (ls.length == 0) {
            return;
        }
        long[] lotId = new long[ls.length];
        long[] remaining = new long[ls.length];
        for (int i = 0; i < ls.length; i++) {
            lotId[i] = ls[i].lotId;
            remaining[i] = ls[i].remaining;
        }
        ctes.add("lu as (update ledger_lot l set remaining = v.remaining from unnest(" + p.add(lotId) + "::bigint[], "
                + p.add(remaining) + "::bigint[]) as v(id, remaining) where l.region_id = " + p.add(regionId)
                + " and l.lot_id = v.id and " + GATE + ")");
    }

    private void insertConsumptions(List<String> ctes, Params p, List<Consumption> ks) {
        if (ks.isEmpty()) {
            return;
        }
        int n = ks.size();
        UUID[] transfer = new UUID[n];
        long[] ordinal = new long[n];
        long[] lotId = new long[n];
        UUID[] account = new UUID[n];
        long[] amount = new long[n];
        Map<UUID, Long> ordinals = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Consumption k = ks.get(i);
            transfer[i] = k.transferId();
            ordinal[i] = ordinals.merge(k.transferId(), 1L, Long::sum);
            lotId[i] = k.lotId();
            account[i] = k.accountId();
            amount[i] = k.amount();
        }
        ctes.add("k as (insert into ledger_lot_consumption (region_id, transfer_id, ordinal, lot_id, account_id, amount) "
                + "select " + p.add(regionId) + ", k.transfer, k.ordinal, k.lot, k.account, k.amount from unnest("
                + p.add(Sql.uuidArray(transfer)) + "::uuid[], " + p.add(ordinal) + "::bigint[], " + p.add(lotId)
                + "::bigint[], " + p.add(Sql.uuidArray(account)) + "::uuid[], " + p.add(amount) + "::bigint[]) "
                + "as k(transfer, ordinal, lot, account, amount) where " + GATE + ")");
    }

    private void insertHolds(List<String> ctes, Params p, List<HoldState> hs) {
        if (hs.isEmpty()) {
            return;
        }
        int n = hs.size();
        UUID[] id = new UUID[n];
        UUID[] dr = new UUID[n];
        UUID[] cr = new UUID[n];
        long[] amount = new long[n];
        Instant[] timeout = new Instant[n];
        String[] status = new String[n];
        long[] posted = new long[n];
        Instant[] resolved = new Instant[n];
        for (int i = 0; i < n; i++) {
            HoldState h = hs.get(i);
            id[i] = h.pendingId;
            dr[i] = h.debitAccountId;
            cr[i] = h.creditAccountId;
            amount[i] = h.amount;
            timeout[i] = h.timeoutAt;
            status[i] = h.status.name();
            posted[i] = h.postedAmount;
            resolved[i] = h.resolvedAt;
        }
        ctes.add("hi as (insert into ledger_hold (region_id, pending_id, debit_account_id, credit_account_id, amount, "
                + "timeout_at, status, posted_amount, resolved_at) select " + p.add(regionId) + ", h.id, h.dr, h.cr, "
                + "h.amount, h.timeout, h.status, h.posted, h.resolved from unnest(" + p.add(Sql.uuidArray(id))
                + "::uuid[], " + p.add(Sql.uuidArray(dr)) + "::uuid[], " + p.add(Sql.uuidArray(cr)) + "::uuid[], "
                + p.add(amount) + "::bigint[], " + p.add(Sql.instantArray(timeout)) + "::timestamptz[], "
                + p.add(Sql.textArray(status)) + "::text[], " + p.add(posted) + "::bigint[], "
                + p.add(Sql.instantArray(resolved)) + "::timestamptz[]) as h(id, dr, cr, amount, timeout, status, "
                + "posted, resolved) where " + GATE + ")");
    }

    private void updateHolds(List<String> ctes, Params p, HoldState[] hs) {
        if (hs.length == 0) {
            return;
        }
        UUID[] id = new UUID[hs.length];
        String[] status = new String[hs.length];
        long[] posted = new long[hs.length];
        Instant[] resolved = new Instant[hs.length];
        for (int i = 0; i < hs.length; i++) {
            id[i] = hs[i].pendingId;
            status[i] = hs[i].status.name();
            posted[i] = hs[i].postedAmount;
            resolved[i] = hs[i].resolvedAt;
        }
        ctes.add("hu as (update ledger_hold h set status = v.status, posted_amount = v.posted, resolved_at = v.resolved "
                + "from unnest(" + p.add(Sql.uuidArray(id)) + "::uuid[], " + p.add(Sql.textArray(status)) + "::text[], "
                + p.add(posted) + "::bigint[], " + p.add(Sql.instantArray(resolved)) + "::timestamptz[]) "
                + "as v(id, status, posted, resolved) where h.region_id = " + p.add(regionId) + " and h.pending_id = v.id "
                + "and " + GATE + ")");
    }

    /** Updates each touched account once, if it is still at the version this batch read; answers how many. */
    private int updateAccounts(List<String> ctes, Params p, Collection<AccountState> as) {
        int n = as.size();
        UUID[] id = new UUID[n];
        long[] dp = new long[n];
        long[] cp = new long[n];
        long[] dpe = new long[n];
        long[] cpe = new long[n];
        long[] version = new long[n];
        long[] before = new long[n];
        int i = 0;
        for (AccountState a : as) {
            id[i] = a.id;
            dp[i] = a.debitsPosted;
            cp[i] = a.creditsPosted;
            dpe[i] = a.debitsPending;
            cpe[i] = a.creditsPending;
            version[i] = a.version;
            Long read = versionsRead.get(a.id);
            if (read == null) {
                throw new IllegalStateException("account " + a.id + " was changed but never read by the batch");
            }
            before[i] = read;
            i++;
        }
        ctes.add("a as (update ledger_account a set debits_posted = v.dp, credits_posted = v.cp, debits_pending = v.dpe, "
                + "credits_pending = v.cpe, version = v.version from unnest(" + p.add(Sql.uuidArray(id)) + "::uuid[], "
                + p.add(dp) + "::bigint[], " + p.add(cp) + "::bigint[], " + p.add(dpe) + "::bigint[], " + p.add(cpe)
                + "::bigint[], " + p.add(version) + "::bigint[], " + p.add(before) + "::bigint[]) "
                + "as v(id, dp, cp, dpe, cpe, version, before) where a.region_id = " + p.add(regionId)
                + " and a.account_id = v.id and a.version = v.before and " + GATE + " returning 1)");
        return n;
    }
}
