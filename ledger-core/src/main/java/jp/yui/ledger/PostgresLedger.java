package jp.yui.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The ledger on PostgreSQL. Each region's transfers go through that region's writer, which commits what is
 * waiting as one transaction (see {@link RegionWriter}); the journal head row of the region is locked first, so
 * several processes may share one database safely. Reads go straight to the database.
 *
 * <p>The schema ships in this jar as Flyway migrations ({@code classpath:db/yui-ledger}, history table
 * {@code ledger_schema_history}) and is applied by {@link #migrate(DataSource)} or {@link #create}.
 */
public final class PostgresLedger implements Ledger {

    /** Where the migrations are, for callers that run Flyway themselves. */
    public static final String MIGRATIONS = "classpath:db/yui-ledger";
    /** Flyway's history table for the ledger's migrations, apart from any application's own. */
    public static final String HISTORY_TABLE = "ledger_schema_history";

    private final DataSource dataSource;
    private final LedgerOptions options;
    private final ExecutorService executor;
    private final Map<Long, RegionWriter> writers = new ConcurrentHashMap<>();
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private PostgresLedger(DataSource dataSource, LedgerOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.options = Objects.requireNonNull(options, "options");
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(options.writerThreads(), r -> {
            Thread t = new Thread(r, "yui-ledger-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Applies the ledger's migrations to the database (idempotent), then opens the ledger on it. */
    public static PostgresLedger create(DataSource dataSource, LedgerOptions options) {
        migrate(dataSource);
        return open(dataSource, options);
    }

    /** Opens the ledger on a database whose schema is already migrated. */
    public static PostgresLedger open(DataSource dataSource, LedgerOptions options) {
        return new PostgresLedger(dataSource, options);
    }

    /** Applies the ledger's Flyway migrations; a schema that already holds other tables is fine. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    // ----------------------------------------------------------------------------------------------- set-up

    @Override
    public void createRegion(long regionId, String name) {
        Regions.requireValid(regionId, name);
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into ledger_region (region_id, name) values (?, ?) on conflict (region_id) do nothing")) {
                ps.setLong(1, regionId);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into ledger_journal_head (region_id, head_hash, "
                    + "last_timestamp) values (?, ?, ?) on conflict (region_id) do nothing")) {
                ps.setLong(1, regionId);
                ps.setBytes(2, HashChain.GENESIS);
                Sql.setInstant(ps, 3, Instant.EPOCH);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select name from ledger_region where region_id = ?")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getString(1).equals(name)) {
                        throw new IllegalArgumentException(
                                "region " + regionId + " exists with another name: " + rs.getString(1));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Asset createAsset(long regionId, AssetSpec spec) {
        Asset wanted = new Asset(regionId, spec.code(), spec.expiry(), spec.breakageAccountId());
        return inTransaction(c -> {
            PgBatch.lockHead(c, regionId);
            Asset existing = loadAsset(c, regionId, spec.code());
            if (existing != null) {
                if (!existing.equals(wanted)) {
                    throw new IllegalArgumentException("asset " + spec.code() + " exists with another spec: " + existing);
                }
                return existing;
            }
            if (loadAccount(c, regionId, spec.breakageAccountId()) != null) {
                throw new IllegalArgumentException("breakage account id is taken: " + spec.breakageAccountId());
            }
            try (PreparedStatement ps = c.prepareStatement("insert into ledger_asset (region_id, code, expiry_policy, "
                    + "breakage_account_id) values (?, ?, ?, ?)")) {
                ps.setLong(1, regionId);
                ps.setString(2, spec.code());
                ps.setString(3, spec.expiry().toString());
                ps.setObject(4, spec.breakageAccountId());
                ps.executeUpdate();
            }
            insertAccount(c, regionId, Regions.breakageSpec(spec));
            return wanted;
        });
    }

    @Override
    public Account createAccount(long regionId, AccountSpec spec) {
        return inTransaction(c -> {
            requireRegion(c, regionId);
            if (loadAsset(c, regionId, spec.assetCode()) == null) {
                throw new IllegalArgumentException("unknown asset in region " + regionId + ": " + spec.assetCode());
            }
            insertAccount(c, regionId, spec);
            Account a = loadAccount(c, regionId, spec.id());
            Regions.requireSameSpec(a, spec);
            return a;
        });
    }

    private static void insertAccount(Connection c, long regionId, AccountSpec spec) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_account (region_id, account_id, asset_code, "
                + "normal_side, flags, ceiling, label) values (?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (region_id, account_id) do nothing")) {
            ps.setLong(1, regionId);
            ps.setObject(2, spec.id());
            ps.setString(3, spec.assetCode());
            ps.setString(4, Sql.code(spec.normal()));
            ps.setArray(5, Sql.flags(c, spec.flags()));
            if (spec.ceiling() == null) {
                ps.setNull(6, java.sql.Types.BIGINT);
            } else {
                ps.setLong(6, spec.ceiling());
            }
            ps.setString(7, spec.label());
            ps.executeUpdate();
        }
    }

    @Override
    public Account updateAccount(long regionId, UUID accountId, Set<AccountFlag> flags, Long ceiling) {
        Objects.requireNonNull(flags, "flags");
        return inTransaction(c -> {
            // In order with the writer: it holds the head lock for a whole batch. The writers' memory of the region
            // holds this account's flags and ceiling: the new change_seq tells them to read it again.
            PgBatch.lockHead(c, regionId);
            try (PreparedStatement ps = c.prepareStatement(
                    "update ledger_journal_head set change_seq = change_seq + 1 where region_id = ?")) {
                ps.setLong(1, regionId);
                ps.executeUpdate();
            }
            Account a = loadAccount(c, regionId, accountId);
            if (a == null) {
                throw new IllegalArgumentException("unknown account in region " + regionId + ": " + accountId);
            }
            AccountSpec updated = Regions.updatedSpec(a, flags, ceiling);
            try (PreparedStatement ps = c.prepareStatement(
                    "update ledger_account set flags = ?, ceiling = ? where region_id = ? and account_id = ?")) {
                ps.setArray(1, Sql.flags(c, updated.flags()));
                if (ceiling == null) {
                    ps.setNull(2, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(2, ceiling);
                }
                ps.setLong(3, regionId);
                ps.setObject(4, accountId);
                ps.executeUpdate();
            }
            return loadAccount(c, regionId, accountId);
        });
    }

    // ----------------------------------------------------------------------------------------------- writes

    @Override
    public CompletableFuture<List<TransferOutcome>> submit(long regionId, List<TransferRequest> transfers) {
        List<TransferRequest> requests;
        try {
            requireOpen();
            requests = List.copyOf(transfers);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writer(regionId).submit(requests);
    }

    @Override
    public SweepResult sweepExpired(long regionId) {
        requireOpen();
        long transfers = 0;
        long amount = 0;
        UUID after = new UUID(0, 0);
        while (true) {
            PgBatch.Result r;
            try {
                r = writer(regionId).sweep(after).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
            transfers += r.changes().sweptTransfers;
            amount += r.changes().sweptAmount;
            if (r.lastSweptAccount() == null) {
                return new SweepResult(transfers, amount);
            }
            after = r.lastSweptAccount();
        }
    }

    private RegionWriter writer(long regionId) {
        return writers.computeIfAbsent(regionId,
                id -> new RegionWriter(id, dataSource, options, assets, executor));
    }

    // ----------------------------------------------------------------------------------------------- reads

    @Override
    public Optional<Asset> asset(long regionId, String assetCode) {
        return Optional.ofNullable(query(c -> loadAsset(c, regionId, assetCode)));
    }

    @Override
    public Optional<Account> account(long regionId, UUID accountId) {
        return Optional.ofNullable(query(c -> loadAccount(c, regionId, accountId)));
    }

    @Override
    public Optional<Transfer> transfer(long regionId, UUID transferId) {
        return Optional.ofNullable(query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + Sql.TRANSFER + " from ledger_transfer where region_id = ? and transfer_id = ?")) {
                ps.setLong(1, regionId);
                ps.setObject(2, transferId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Sql.transfer(rs) : null;
                }
            }
        }));
    }

    @Override
    public Optional<Hold> hold(long regionId, UUID pendingId) {
        return Optional.ofNullable(query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + Sql.HOLD + " from ledger_hold where region_id = ? and pending_id = ?")) {
                ps.setLong(1, regionId);
                ps.setObject(2, pendingId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Sql.hold(rs).toHold() : null;
                }
            }
        }));
    }

    @Override
    public long balanceAt(long regionId, UUID accountId, Instant at) {
        Objects.requireNonNull(at, "at");
        return query(c -> {
            requireAccount(c, regionId, accountId);
            long lastSeq = lastSeqBefore(c, regionId, at, true);
            try (PreparedStatement ps = c.prepareStatement("select balance_after from ledger_entry where region_id = ? "
                    + "and account_id = ? and seq <= ? order by seq desc limit 1")) {
                ps.setLong(1, regionId);
                ps.setObject(2, accountId);
                ps.setLong(3, lastSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** The last journal seq committed before (or at, if inclusive) an instant; 0 if none. */
    private static long lastSeqBefore(Connection c, long regionId, Instant at, boolean inclusive) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_seq from ledger_batch where region_id = ? "
                + "and committed_at " + (inclusive ? "<=" : "<") + " ? order by committed_at desc, batch_seq desc limit 1")) {
            ps.setLong(1, regionId);
            Sql.setInstant(ps, 2, at);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    @Override
    public StatementPage statement(long regionId, UUID accountId, Instant from, Instant to, long afterSeq, int limit) {
        Regions.requireLimit(limit, 1_000);
        return query(c -> {
            requireAccount(c, regionId, accountId);
            long lower = Math.max(afterSeq, from == null ? 0 : lastSeqBefore(c, regionId, from, false));
            long upper = to == null ? Long.MAX_VALUE : lastSeqBefore(c, regionId, to, false);
            List<StatementEntry> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select e.seq, e.transfer_id, t.kind, e.side, e.amount, "
                    + "e.balance_after, t.reason, e.created_at from ledger_entry e join ledger_transfer t "
                    + "on t.region_id = e.region_id and t.transfer_id = e.transfer_id where e.region_id = ? "
                    + "and e.account_id = ? and e.seq > ? and e.seq <= ? order by e.seq limit ?")) {
                ps.setLong(1, regionId);
                ps.setObject(2, accountId);
                ps.setLong(3, lower);
                ps.setLong(4, upper);
                ps.setInt(5, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new StatementEntry(rs.getLong(1), rs.getObject(2, UUID.class),
                                TransferKind.valueOf(rs.getString(3)), Sql.side(rs.getString(4)), rs.getLong(5),
                                rs.getLong(6), rs.getString(7), Sql.instant(rs, 8)));
                    }
                }
            }
            boolean more = page.size() > limit;
            List<StatementEntry> entries = more ? page.subList(0, limit) : page;
            return new StatementPage(entries, more ? entries.get(limit - 1).seq() : null);
        });
    }

    @Override
    public List<Lot> openLots(long regionId, UUID accountId) {
        return query(c -> {
            List<LotState> lots = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + Sql.LOT + " from ledger_lot where region_id = ? and account_id = ? and remaining > 0")) {
                ps.setLong(1, regionId);
                ps.setObject(2, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lots.add(Sql.lot(rs));
                    }
                }
            }
            if (lots.isEmpty()) {
                // An account with open lots exists; only an empty answer needs a second statement to tell an empty
                // account from an unknown one (payments read the lots of every payer, so this saves a round trip).
                requireAccount(c, regionId, accountId);
            }
            lots.sort(LotState.CONSUMPTION_ORDER);
            return lots.stream().map(LotState::toLot).collect(java.util.stream.Collectors.toList());
        });
    }

    @Override
    public List<Lot> expiringLots(long regionId, Instant until, long afterLotId, int limit) {
        Regions.requireLimit(limit, 10_000);
        Objects.requireNonNull(until, "until");
        return query(c -> {
            Instant afterExpiry = Instant.MIN;
            if (afterLotId != 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "select expires_at from ledger_lot where region_id = ? and lot_id = ? and expires_at is not null")) {
                    ps.setLong(1, regionId);
                    ps.setLong(2, afterLotId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalArgumentException("no expiring lot " + afterLotId + " in region " + regionId);
                        }
                        afterExpiry = Sql.instant(rs, 1);
                    }
                }
            }
            List<Lot> lots = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Sql.LOT + " from ledger_lot where region_id = ? "
                    + "and remaining > 0 and expires_at is not null and expires_at < ? and (expires_at, lot_id) > (?, ?) "
                    + "order by expires_at, lot_id limit ?")) {
                ps.setLong(1, regionId);
                Sql.setInstant(ps, 2, until);
                if (afterLotId == 0) {
                    ps.setObject(3, java.time.OffsetDateTime.MIN);
                } else {
                    Sql.setInstant(ps, 3, afterExpiry);
                }
                ps.setLong(4, afterLotId);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lots.add(Sql.lot(rs).toLot());
                    }
                }
            }
            return lots;
        });
    }

    @Override
    public List<Transfer> journal(long regionId, long afterSeq, int limit) {
        Regions.requireLimit(limit, 10_000);
        return query(c -> {
            List<Transfer> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Sql.TRANSFER + " from ledger_transfer "
                    + "where region_id = ? and seq > ? order by seq limit ?")) {
                ps.setLong(1, regionId);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Sql.transfer(rs));
                    }
                }
            }
            return out;
        });
    }

    // ----------------------------------------------------------------------------------------------- verify

    @Override
    public VerificationReport verify(long regionId) {
        return inTransaction(c -> {
            // One snapshot for every check, so a batch committing meanwhile cannot look like a broken invariant.
            try (var st = c.createStatement()) {
                st.execute("set transaction isolation level repeatable read, read only");
            }
            requireRegion(c, regionId);
            List<String> problems = new ArrayList<>();
            byte[] head;
            try (PreparedStatement ps = c.prepareStatement("select head_hash from ledger_journal_head where region_id = ?")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    head = rs.getBytes(1);
                }
            }
            List<ChainCheck.Batch> batches = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select batch_seq, first_seq, transfer_count, hash from ledger_batch "
                    + "where region_id = ? order by batch_seq")) {
                ps.setLong(1, regionId);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batches.add(new ChainCheck.Batch(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4)));
                    }
                }
            }
            ChainCheck chain = new ChainCheck(regionId, problems);
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + Sql.TRANSFER + " from ledger_transfer where region_id = ? order by seq")) {
                ps.setLong(1, regionId);
                ps.setFetchSize(2_000);
                try (ResultSet rs = ps.executeQuery()) {
                    chain.walk(batches.iterator(), new TransferCursor(rs), head);
                }
            }

            List<Account> accounts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Sql.ACCOUNT + " from ledger_account where region_id = ?")) {
                ps.setLong(1, regionId);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        accounts.add(Sql.account(rs));
                    }
                }
            }
            Map<UUID, long[]> held = pairs(c, regionId, "select account_id, sum(d), sum(c) from ("
                    + "select debit_account_id as account_id, amount as d, 0 as c from ledger_hold where region_id = ? "
                    + "and status = 'PENDING' union all select credit_account_id, 0, amount from ledger_hold "
                    + "where region_id = ? and status = 'PENDING') h group by account_id", 2);
            Map<UUID, long[]> entrySums = pairs(c, regionId, "select account_id, "
                    + "sum(case when side = 'D' then amount else 0 end), sum(case when side = 'C' then amount else 0 end) "
                    + "from ledger_entry where region_id = ? group by account_id", 1);
            Map<UUID, Long> lotSums = new HashMap<>();
            pairs(c, regionId, "select account_id, sum(remaining), 0 from ledger_lot where region_id = ? "
                    + "and remaining > 0 group by account_id", 1).forEach((k, v) -> lotSums.put(k, v[0]));
            Invariants.accounts(accounts, held, lotSums, entrySums, problems);

            try (PreparedStatement ps = c.prepareStatement("select account_id, seq, running, balance_after from ("
                    + "select e.account_id, e.seq, e.balance_after, sum(case when e.side = a.normal_side then e.amount "
                    + "else -e.amount end) over (partition by e.account_id order by e.seq) as running from ledger_entry e "
                    + "join ledger_account a on a.region_id = e.region_id and a.account_id = e.account_id "
                    + "where e.region_id = ?) x where running <> balance_after order by account_id, seq")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    UUID last = null;
                    while (rs.next()) {
                        UUID account = rs.getObject(1, UUID.class);
                        if (!account.equals(last)) {
                            problems.add(Invariants.runningBalance(account, rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                            last = account;
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select l.lot_id, l.amount, coalesce(k.consumed, 0), l.remaining "
                    + "from ledger_lot l left join (select lot_id, sum(amount) as consumed from ledger_lot_consumption "
                    + "where region_id = ? group by lot_id) k on k.lot_id = l.lot_id where l.region_id = ? "
                    + "and l.remaining <> l.amount - coalesce(k.consumed, 0) order by l.lot_id")) {
                ps.setLong(1, regionId);
                ps.setLong(2, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        problems.add(Invariants.lotConsumption(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            String posting = "('POSTED', 'POST_PENDING', 'REVERSAL', 'EXPIRY')";
            try (PreparedStatement ps = c.prepareStatement("select e.account_id, e.seq from ledger_entry e "
                    + "left join ledger_transfer t on t.region_id = e.region_id and t.seq = e.seq where e.region_id = ? "
                    + "and (t.transfer_id is null or t.transfer_id <> e.transfer_id or t.amount <> e.amount "
                    + "or t.kind not in " + posting + " or (e.side = 'D' and t.debit_account_id <> e.account_id) "
                    + "or (e.side = 'C' and t.credit_account_id <> e.account_id)) order by e.seq, e.account_id")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        problems.add(Invariants.strayEntry(rs.getObject(1, UUID.class), rs.getLong(2)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select t.transfer_id, t.seq from ledger_transfer t "
                    + "where t.region_id = ? and t.kind in " + posting + " and (not exists (select 1 from ledger_entry e "
                    + "where e.region_id = t.region_id and e.account_id = t.debit_account_id and e.seq = t.seq "
                    + "and e.side = 'D') or not exists (select 1 from ledger_entry e where e.region_id = t.region_id "
                    + "and e.account_id = t.credit_account_id and e.seq = t.seq and e.side = 'C')) order by t.seq")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        problems.add(Invariants.missingEntry(rs.getObject(1, UUID.class), rs.getLong(2)));
                    }
                }
            }
            return new VerificationReport(regionId, chain.transfers(), chain.batches(), problems);
        });
    }

    /** Per account id, the two sums a query returns; the region id is bound to its first {@code binds} parameters. */
    private static Map<UUID, long[]> pairs(Connection c, long regionId, String sql, int binds) throws SQLException {
        Map<UUID, long[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= binds; i++) {
                ps.setLong(i, regionId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return out;
    }

    /** Streams transfers from a result set for the chain check. */
    private static final class TransferCursor implements Iterator<Transfer> {
        private final ResultSet rs;
        private Boolean ready;

        TransferCursor(ResultSet rs) {
            this.rs = rs;
        }

        @Override
        public boolean hasNext() {
            if (ready == null) {
                try {
                    ready = rs.next();
                } catch (SQLException e) {
                    throw new PgBatch.SqlFailure(e);
                }
            }
            return ready;
        }

        @Override
        public Transfer next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = null;
            try {
                return Sql.transfer(rs);
            } catch (SQLException e) {
                throw new PgBatch.SqlFailure(e);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- plumbing

    private static Asset loadAsset(Connection c, long regionId, String code) throws SQLException {
        try {
            return PgBatch.loadAsset(c, regionId, code);
        } catch (IllegalStateException unknown) {
            return null;
        }
    }

    private static Account loadAccount(Connection c, long regionId, UUID accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select " + Sql.ACCOUNT + " from ledger_account where region_id = ? and account_id = ?")) {
            ps.setLong(1, regionId);
            ps.setObject(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Sql.account(rs) : null;
            }
        }
    }

    private static void requireAccount(Connection c, long regionId, UUID accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from ledger_account where region_id = ? and account_id = ?")) {
            ps.setLong(1, regionId);
            ps.setObject(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("unknown account in region " + regionId + ": " + accountId);
                }
            }
        }
    }

    private static void requireRegion(Connection c, long regionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from ledger_region where region_id = ?")) {
            ps.setLong(1, regionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("unknown region: " + regionId);
                }
            }
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Work<T> work) {
        requireOpen();
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new LedgerUnavailableException("ledger query failed: " + e.getMessage(), e);
        } catch (PgBatch.SqlFailure e) {
            throw new LedgerUnavailableException("ledger query failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private <T> T inTransaction(Work<T> work) {
        return query(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException broken) {
                    e.addSuppressed(broken);
                }
                throw e;
            }
        });
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("ledger is closed");
        }
    }

    /**
     * Refuses new work, lets the writers finish what is queued (up to 30 seconds), then stops their threads; what is
     * still queued then fails with {@link IllegalStateException} (nothing of it was written).
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        writers.values().forEach(w -> w.failQueued(new IllegalStateException("ledger closed before this was written")));
    }
}
