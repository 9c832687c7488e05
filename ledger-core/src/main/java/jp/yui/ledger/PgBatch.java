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
 * One writer batch as one PostgreSQL transaction: lock the region's journal head, load what the batch reads
 * (accounts in ascending id order, {@code FOR UPDATE}), let the {@link Engine} decide, write everything in
 * bulk (one statement per table), extend the hash chain. The caller commits.
 *
 * <p>Loading is done in bulk up front from what the requests name; anything the engine asks for beyond that is
 * loaded on demand. Both are safe because the head lock serialises all writers of the region.
 */
final class PgBatch implements Engine.Source {

    /** What the head row held when locked. */
    record Head(long lastBatchSeq, long lastTransferSeq, long lastLotSeq, byte[] hash, Instant lastTimestamp) {
    }

    /** The outcome of a batch: the engine's changes and, for a sweep, the last account looked at. */
    record Result(Engine.Changes changes, UUID lastSweptAccount) {
    }

    static final int MAX_TIMED_OUT_HOLDS = 10_000;
    static final int SWEEP_ACCOUNTS = 500;

    private final Connection c;
    private final long regionId;
    private final Map<String, Asset> assets;
    private final Map<UUID, AccountState> accounts = new HashMap<>();
    private final Map<UUID, Transfer> transfers = new HashMap<>();
    private final Map<UUID, HoldState> holds = new HashMap<>();
    private final Map<UUID, List<LotState>> lots = new HashMap<>();
    private final Map<UUID, Long> reversed = new HashMap<>();
    private final Map<UUID, List<Consumption>> consumptions = new HashMap<>();

    /** @param assets the ledger's asset cache (assets never change), filled from this batch's connection */
    PgBatch(Connection c, long regionId, Map<String, Asset> assets) {
        this.c = c;
        this.regionId = regionId;
        this.assets = assets;
    }

    /** Locks the head row; empty if the region does not exist. */
    static Head lockHead(Connection c, long regionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_batch_seq, last_transfer_seq, last_lot_seq, head_hash, "
                + "last_timestamp from ledger_journal_head where region_id = ? for update")) {
            ps.setLong(1, regionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("unknown region: " + regionId);
                }
                return new Head(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4), Sql.instant(rs, 5));
            }
        }
    }

    /**
     * Decides and writes a batch.
     *
     * @param submissions the submissions of the batch, in order
     * @param sweepAfter  for a sweep, the account id to continue after ({@code new UUID(0, 0)} to start); null for
     *                    a batch of requests
     */
    Result execute(Head head, Instant now, List<List<TransferRequest>> submissions, UUID sweepAfter) throws SQLException {
        List<TransferRequest> requests = new ArrayList<>();
        submissions.forEach(requests::addAll);
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
        lockAccounts(accountIds);
        Set<UUID> lotAccounts = new TreeSet<>(Engine.likelyDebited(requests, this));
        lotAccounts.addAll(sweep);
        lotAccounts.removeIf(id -> accounts.get(id) == null || !accounts.get(id).has(AccountFlag.LOT_TRACKED));
        loadLots(lotAccounts);
        loadReversed(reversalIds);
        loadConsumptions(reversalIds);

        long batchSeq = head.lastBatchSeq() + 1;
        Engine.Changes ch = new Engine(regionId, batchSeq, head.lastTransferSeq(), head.lastLotSeq(), now, this)
                .run(timedOut, sweep, submissions);
        write(ch, head, batchSeq, now);
        return new Result(ch, sweep.isEmpty() ? null : sweep.get(sweep.size() - 1));
    }

    // ----------------------------------------------------------------------------------------------- Source

    @Override
    public AccountState account(UUID id) {
        if (!accounts.containsKey(id)) {
            run(() -> lockAccounts(Set.of(id)));
        }
        return accounts.get(id);
    }

    @Override
    public Transfer transfer(UUID id) {
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

    private void lockAccounts(Collection<UUID> ids) throws SQLException {
        List<UUID> missing = new ArrayList<>();
        for (UUID id : ids) {
            if (!accounts.containsKey(id)) {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.ACCOUNT + " from ledger_account "
                + "where region_id = ? and account_id = any(?) order by account_id for update")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuids(c, missing));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AccountState a = new AccountState(Sql.account(rs));
                    accounts.put(a.id, a);
                }
            }
        }
        for (UUID id : missing) {
            accounts.putIfAbsent(id, null);
        }
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
            if (!lots.containsKey(id)) {
                missing.add(id);
                lots.put(id, new ArrayList<>());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + Sql.LOT + " from ledger_lot "
                + "where region_id = ? and account_id = any(?) and remaining > 0")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuids(c, missing));
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

    private void write(Engine.Changes ch, Head head, long batchSeq, Instant now) throws SQLException {
        insertTransfers(ch.transfers);
        insertEntries(ch.entries, now);
        insertLots(ch.newLots);
        Set<LotState> newLots = Collections.newSetFromMap(new IdentityHashMap<>());
        newLots.addAll(ch.newLots);
        updateLots(ch.changedLots.stream().filter(l -> !newLots.contains(l)).toArray(LotState[]::new));
        insertConsumptions(ch.consumptions);
        insertHolds(ch.newHolds);
        Set<HoldState> newHolds = Collections.newSetFromMap(new IdentityHashMap<>());
        newHolds.addAll(ch.newHolds);
        updateHolds(ch.changedHolds.stream().filter(h -> !newHolds.contains(h)).toArray(HoldState[]::new));
        updateAccounts(ch.touchedAccounts);
        if (ch.transfers.isEmpty()) {
            if (!ch.touchedAccounts.isEmpty()) {
                // Holds released at `now`: later batches must not be stamped earlier.
                try (PreparedStatement ps = c.prepareStatement(
                        "update ledger_journal_head set last_timestamp = ? where region_id = ?")) {
                    Sql.setInstant(ps, 1, now);
                    ps.setLong(2, regionId);
                    ps.executeUpdate();
                }
            }
            return;
        }
        byte[] hash = HashChain.next(head.hash(), regionId, batchSeq, ch.transfers);
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_batch (region_id, batch_seq, first_seq, "
                + "last_seq, transfer_count, hash, committed_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, regionId);
            ps.setLong(2, batchSeq);
            ps.setLong(3, ch.transfers.get(0).seq());
            ps.setLong(4, ch.lastSeq);
            ps.setInt(5, ch.transfers.size());
            ps.setBytes(6, hash);
            Sql.setInstant(ps, 7, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update ledger_journal_head set last_batch_seq = ?, "
                + "last_transfer_seq = ?, last_lot_seq = ?, head_hash = ?, last_timestamp = ? where region_id = ?")) {
            ps.setLong(1, batchSeq);
            ps.setLong(2, ch.lastSeq);
            ps.setLong(3, ch.lastLotSeq);
            ps.setBytes(4, hash);
            Sql.setInstant(ps, 5, now);
            ps.setLong(6, regionId);
            ps.executeUpdate();
        }
    }

    private void insertTransfers(List<Transfer> ts) throws SQLException {
        if (ts.isEmpty()) {
            return;
        }
        int n = ts.size();
        UUID[] id = new UUID[n];
        Long[] seq = new Long[n];
        String[] kind = new String[n];
        UUID[] dr = new UUID[n];
        UUID[] cr = new UUID[n];
        String[] asset = new String[n];
        Long[] amount = new Long[n];
        UUID[] pending = new UUID[n];
        UUID[] reversal = new UUID[n];
        String[] timeout = new String[n];
        String[] reason = new String[n];
        String[] meta = new String[n];
        String[] lotSource = new String[n];
        String[] lotExpires = new String[n];
        String[] linked = new String[n];
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
            timeout[i] = Sql.text(t.timeoutAt());
            reason[i] = t.reason();
            meta[i] = t.metadata().isEmpty() ? null : Metadata.toJson(t.metadata());
            lotSource[i] = t.lotSource();
            lotExpires[i] = Sql.text(t.lotExpiresAt());
            linked[i] = t.linked() ? "t" : "f";
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_transfer (region_id, transfer_id, seq, "
                + "batch_seq, kind, debit_account_id, credit_account_id, asset_code, amount, pending_id, reversal_of, "
                + "timeout_at, reason, metadata, lot_source, lot_expires_at, linked, created_at) "
                + "select ?, t.id, t.seq, ?, t.kind, t.dr, t.cr, t.asset, t.amount, t.pending, t.reversal, "
                + "t.timeout::timestamptz, t.reason, t.meta::jsonb, t.lot_source, t.lot_expires::timestamptz, "
                + "t.linked::boolean, ? from unnest(?::uuid[], ?::bigint[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], "
                + "?::bigint[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                + "as t(id, seq, kind, dr, cr, asset, amount, pending, reversal, timeout, reason, meta, lot_source, "
                + "lot_expires, linked)")) {
            int p = 1;
            ps.setLong(p++, regionId);
            ps.setLong(p++, ts.get(0).batchSeq());
            Sql.setInstant(ps, p++, ts.get(0).timestamp());
            ps.setArray(p++, Sql.uuidArray(c, id));
            ps.setArray(p++, Sql.longs(c, seq));
            ps.setArray(p++, Sql.texts(c, kind));
            ps.setArray(p++, Sql.uuidArray(c, dr));
            ps.setArray(p++, Sql.uuidArray(c, cr));
            ps.setArray(p++, Sql.texts(c, asset));
            ps.setArray(p++, Sql.longs(c, amount));
            ps.setArray(p++, Sql.uuidArray(c, pending));
            ps.setArray(p++, Sql.uuidArray(c, reversal));
            ps.setArray(p++, Sql.texts(c, timeout));
            ps.setArray(p++, Sql.texts(c, reason));
            ps.setArray(p++, Sql.texts(c, meta));
            ps.setArray(p++, Sql.texts(c, lotSource));
            ps.setArray(p++, Sql.texts(c, lotExpires));
            ps.setArray(p, Sql.texts(c, linked));
            ps.executeUpdate();
        }
    }

    private void insertEntries(List<EntryRow> es, Instant now) throws SQLException {
        if (es.isEmpty()) {
            return;
        }
        int n = es.size();
        UUID[] account = new UUID[n];
        Long[] seq = new Long[n];
        UUID[] transfer = new UUID[n];
        String[] side = new String[n];
        Long[] amount = new Long[n];
        Long[] balance = new Long[n];
        Long[] version = new Long[n];
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
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_entry (region_id, account_id, seq, transfer_id, "
                + "side, amount, balance_after, account_version, created_at) select ?, e.account, e.seq, e.transfer, "
                + "e.side, e.amount, e.balance, e.version, ? from unnest(?::uuid[], ?::bigint[], ?::uuid[], ?::text[], "
                + "?::bigint[], ?::bigint[], ?::bigint[]) as e(account, seq, transfer, side, amount, balance, version)")) {
            ps.setLong(1, regionId);
            Sql.setInstant(ps, 2, now);
            ps.setArray(3, Sql.uuidArray(c, account));
            ps.setArray(4, Sql.longs(c, seq));
            ps.setArray(5, Sql.uuidArray(c, transfer));
            ps.setArray(6, Sql.texts(c, side));
            ps.setArray(7, Sql.longs(c, amount));
            ps.setArray(8, Sql.longs(c, balance));
            ps.setArray(9, Sql.longs(c, version));
            ps.executeUpdate();
        }
    }

    private void insertLots(List<LotState> ls) throws SQLException {
        if (ls.isEmpty()) {
            return;
        }
        int n = ls.size();
        Long[] lotId = new Long[n];
        UUID[] account = new UUID[n];
        String[] source = new String[n];
        Long[] amount = new Long[n];
        Long[] remaining = new Long[n];
        String[] created = new String[n];
        String[] expires = new String[n];
        UUID[] transfer = new UUID[n];
        for (int i = 0; i < n; i++) {
            LotState l = ls.get(i);
            lotId[i] = l.lotId;
            account[i] = l.accountId;
            source[i] = l.source;
            amount[i] = l.amount;
            remaining[i] = l.remaining;
            created[i] = Sql.text(l.createdAt);
            expires[i] = Sql.text(l.expiresAt);
            transfer[i] = l.transferId;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_lot (region_id, lot_id, account_id, source, "
                + "amount, remaining, created_at, expires_at, transfer_id) select ?, l.id, l.account, l.source, l.amount, "
                + "l.remaining, l.created::timestamptz, l.expires::timestamptz, l.transfer from unnest(?::bigint[], "
                + "?::uuid[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::uuid[]) "
                + "as l(id, account, source, amount, remaining, created, expires, transfer)")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.longs(c, lotId));
            ps.setArray(3, Sql.uuidArray(c, account));
            ps.setArray(4, Sql.texts(c, source));
            ps.setArray(5, Sql.longs(c, amount));
            ps.setArray(6, Sql.longs(c, remaining));
            ps.setArray(7, Sql.texts(c, created));
            ps.setArray(8, Sql.texts(c, expires));
            ps.setArray(9, Sql.uuidArray(c, transfer));
            ps.executeUpdate();
        }
    }

    private void updateLots(LotState[] ls) throws SQLException {
        if (ls.length == 0) {
            return;
        }
        Long[] lotId = new Long[ls.length];
        Long[] remaining = new Long[ls.length];
        for (int i = 0; i < ls.length; i++) {
            lotId[i] = ls[i].lotId;
            remaining[i] = ls[i].remaining;
        }
        try (PreparedStatement ps = c.prepareStatement("update ledger_lot l set remaining = v.remaining "
                + "from unnest(?::bigint[], ?::bigint[]) as v(id, remaining) where l.region_id = ? and l.lot_id = v.id")) {
            ps.setArray(1, Sql.longs(c, lotId));
            ps.setArray(2, Sql.longs(c, remaining));
            ps.setLong(3, regionId);
            ps.executeUpdate();
        }
    }

    private void insertConsumptions(List<Consumption> ks) throws SQLException {
        if (ks.isEmpty()) {
            return;
        }
        int n = ks.size();
        UUID[] transfer = new UUID[n];
        Long[] ordinal = new Long[n];
        Long[] lotId = new Long[n];
        UUID[] account = new UUID[n];
        Long[] amount = new Long[n];
        Map<UUID, Long> ordinals = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Consumption k = ks.get(i);
            transfer[i] = k.transferId();
            ordinal[i] = ordinals.merge(k.transferId(), 1L, Long::sum);
            lotId[i] = k.lotId();
            account[i] = k.accountId();
            amount[i] = k.amount();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_lot_consumption (region_id, transfer_id, "
                + "ordinal, lot_id, account_id, amount) select ?, k.transfer, k.ordinal, k.lot, k.account, k.amount "
                + "from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::uuid[], ?::bigint[]) "
                + "as k(transfer, ordinal, lot, account, amount)")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuidArray(c, transfer));
            ps.setArray(3, Sql.longs(c, ordinal));
            ps.setArray(4, Sql.longs(c, lotId));
            ps.setArray(5, Sql.uuidArray(c, account));
            ps.setArray(6, Sql.longs(c, amount));
            ps.executeUpdate();
        }
    }

    private void insertHolds(List<HoldState> hs) throws SQLException {
        if (hs.isEmpty()) {
            return;
        }
        int n = hs.size();
        UUID[] id = new UUID[n];
        UUID[] dr = new UUID[n];
        UUID[] cr = new UUID[n];
        Long[] amount = new Long[n];
        String[] timeout = new String[n];
        String[] status = new String[n];
        Long[] posted = new Long[n];
        String[] resolved = new String[n];
        for (int i = 0; i < n; i++) {
            HoldState h = hs.get(i);
            id[i] = h.pendingId;
            dr[i] = h.debitAccountId;
            cr[i] = h.creditAccountId;
            amount[i] = h.amount;
            timeout[i] = Sql.text(h.timeoutAt);
            status[i] = h.status.name();
            posted[i] = h.postedAmount;
            resolved[i] = Sql.text(h.resolvedAt);
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_hold (region_id, pending_id, debit_account_id, "
                + "credit_account_id, amount, timeout_at, status, posted_amount, resolved_at) select ?, h.id, h.dr, h.cr, "
                + "h.amount, h.timeout::timestamptz, h.status, h.posted, h.resolved::timestamptz from unnest(?::uuid[], "
                + "?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[]) "
                + "as h(id, dr, cr, amount, timeout, status, posted, resolved)")) {
            ps.setLong(1, regionId);
            ps.setArray(2, Sql.uuidArray(c, id));
            ps.setArray(3, Sql.uuidArray(c, dr));
            ps.setArray(4, Sql.uuidArray(c, cr));
            ps.setArray(5, Sql.longs(c, amount));
            ps.setArray(6, Sql.texts(c, timeout));
            ps.setArray(7, Sql.texts(c, status));
            ps.setArray(8, Sql.longs(c, posted));
            ps.setArray(9, Sql.texts(c, resolved));
            ps.executeUpdate();
        }
    }

    private void updateHolds(HoldState[] hs) throws SQLException {
        if (hs.length == 0) {
            return;
        }
        UUID[] id = new UUID[hs.length];
        String[] status = new String[hs.length];
        Long[] posted = new Long[hs.length];
        String[] resolved = new String[hs.length];
        for (int i = 0; i < hs.length; i++) {
            id[i] = hs[i].pendingId;
            status[i] = hs[i].status.name();
            posted[i] = hs[i].postedAmount;
            resolved[i] = Sql.text(hs[i].resolvedAt);
        }
        try (PreparedStatement ps = c.prepareStatement("update ledger_hold h set status = v.status, posted_amount = "
                + "v.posted, resolved_at = v.resolved::timestamptz from unnest(?::uuid[], ?::text[], ?::bigint[], "
                + "?::text[]) as v(id, status, posted, resolved) where h.region_id = ? and h.pending_id = v.id")) {
            ps.setArray(1, Sql.uuidArray(c, id));
            ps.setArray(2, Sql.texts(c, status));
            ps.setArray(3, Sql.longs(c, posted));
            ps.setArray(4, Sql.texts(c, resolved));
            ps.setLong(5, regionId);
            ps.executeUpdate();
        }
    }

    private void updateAccounts(Collection<AccountState> as) throws SQLException {
        if (as.isEmpty()) {
            return;
        }
        int n = as.size();
        UUID[] id = new UUID[n];
        Long[] dp = new Long[n];
        Long[] cp = new Long[n];
        Long[] dpe = new Long[n];
        Long[] cpe = new Long[n];
        Long[] version = new Long[n];
        int i = 0;
        for (AccountState a : as) {
            id[i] = a.id;
            dp[i] = a.debitsPosted;
            cp[i] = a.creditsPosted;
            dpe[i] = a.debitsPending;
            cpe[i] = a.creditsPending;
            version[i] = a.version;
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("update ledger_account a set debits_posted = v.dp, "
                + "credits_posted = v.cp, debits_pending = v.dpe, credits_pending = v.cpe, version = v.version "
                + "from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) "
                + "as v(id, dp, cp, dpe, cpe, version) where a.region_id = ? and a.account_id = v.id")) {
            ps.setArray(1, Sql.uuidArray(c, id));
            ps.setArray(2, Sql.longs(c, dp));
            ps.setArray(3, Sql.longs(c, cp));
            ps.setArray(4, Sql.longs(c, dpe));
            ps.setArray(5, Sql.longs(c, cpe));
            ps.setArray(6, Sql.longs(c, version));
            ps.setLong(7, regionId);
            ps.executeUpdate();
        }
    }
}
