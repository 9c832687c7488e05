package jp.yui.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.AssetSpec;
import jp.yui.ledger.ExpiryPolicy;
import jp.yui.ledger.LedgerOptions;
import jp.yui.ledger.PostgresLedger;
import jp.yui.ledger.Side;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.ledger.VerificationReport;

/** The Yui scenarios: transfers through {@link PostgresLedger}, one region per scenario. */
final class YuiBench implements AutoCloseable {

    static final String ASSET = "BENCH-PAY";
    static final String REASON = "BENCH";

    /** A scenario's region: its accounts (credit-normal, NO_OVERDRAFT, funded) and the bank that funded them. */
    record Region(long id, UUID[] accounts, UUID bank, long fundingTransfers) {
    }

    /** A scenario's outcome beyond its timing. */
    record Check(long verifyMillis, List<String> problems, long journalTransfers) {
    }

    private final BenchDatabase db;
    private final LedgerOptions options;
    private final HikariDataSource pool;
    private final PostgresLedger ledger;
    /** Transfers answered OK per region, warm-up included: the journal must hold exactly these (and the funding). */
    private final Map<Long, AtomicLong> acknowledged = new ConcurrentHashMap<>();

    YuiBench(BenchDatabase db, LedgerOptions options) {
        this.db = db;
        this.options = options;
        this.pool = db.pool("yui-bench-ledger", options.writerThreads() + 4, true);
        PostgresLedger.migrate(pool);
        this.ledger = PostgresLedger.open(pool, options);
    }

    LedgerOptions options() {
        return options;
    }

    /**
     * Creates a region with its asset, a bank account and {@code n} funded accounts, through the ledger's API on
     * connections that do not wait for the WAL flush (set-up is not what is measured).
     */
    Region setUp(long regionId, String name, int n) throws Exception {
        UUID[] accounts = new UUID[n];
        for (int i = 0; i < n; i++) {
            accounts[i] = UUID.randomUUID();
        }
        UUID bank = UUID.randomUUID();
        try (HikariDataSource setupPool = db.pool("yui-bench-setup", 8, false);
             PostgresLedger setup = PostgresLedger.open(setupPool, LedgerOptions.defaults())) {
            setup.createRegion(regionId, name);
            setup.createAsset(regionId, new AssetSpec(ASSET, ExpiryPolicy.never(), UUID.randomUUID()));
            setup.createAccount(regionId, AccountSpec.of(bank, ASSET, Side.DEBIT).withLabel("bank"));
            ExecutorService creators = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> done = new ArrayList<>();
                int chunk = (n + 5) / 6;
                for (int from = 0; from < n; from += chunk) {
                    int start = from;
                    int end = Math.min(n, from + chunk);
                    done.add(creators.submit(() -> {
                        for (int i = start; i < end; i++) {
                            setup.createAccount(regionId, AccountSpec.of(accounts[i], ASSET, Side.CREDIT, AccountFlag.NO_OVERDRAFT));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                creators.shutdown();
            }
            List<CompletableFuture<List<TransferOutcome>>> funding = new ArrayList<>();
            for (int from = 0; from < n; from += 1_000) {
                List<TransferRequest> list = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + 1_000); i++) {
                    list.add(TransferRequest.posted(Uuids.v7(), bank, accounts[i], RawBench.FUNDING, "FUNDING"));
                }
                funding.add(setup.submit(regionId, list));
            }
            for (CompletableFuture<List<TransferOutcome>> f : funding) {
                for (TransferOutcome o : f.get()) {
                    if (o.result() != TransferResult.OK) {
                        throw new IllegalStateException("funding failed: " + o);
                    }
                }
            }
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("vacuum analyze ledger_account");
            s.execute("analyze ledger_transfer");
            s.execute("analyze ledger_entry");
            s.execute("analyze ledger_batch");
        }
        acknowledged.put(regionId, new AtomicLong());
        return new Region(regionId, accounts, bank, n);
    }

    /** Closed loop: {@code threads} submitters, each submitting one transfer and waiting for its outcome. */
    Measured single(String name, Region region, int threads, int warmup, int seconds, boolean hot) throws Exception {
        AtomicLong ok = acknowledged.get(region.id());
        UUID[] a = region.accounts();
        return ClosedLoop.run(name, threads, warmup, seconds, thread -> () -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int i = Workload.debit(a, hot, r);
            UUID from = a[i];
            UUID to = a[Workload.credit(a, hot, i, r)];
            TransferRequest t = TransferRequest.posted(Uuids.v7(), from, to, 1 + r.nextInt(100), REASON);
            TransferOutcome o = ledger.submit(region.id(), List.of(t)).get().get(0);
            if (o.result() != TransferResult.OK) {
                throw new IllegalStateException("transfer answered " + o.result() + ": " + t);
            }
            ok.incrementAndGet();
            return 1;
        });
    }

    /**
     * Open loop: one producer submits lists of {@code size} transfers without waiting for them, up to {@code window}
     * submissions in flight, until {@code total} transfers are committed or {@code seconds} have passed. After a
     * warm-up of the same kind. The rate is what was committed over the time from the first submission to the last
     * outcome.
     */
    Measured bulk(Region region, int warmup, int seconds, long total, int size, int window) throws Exception {
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        long warm = 0;
        if (warmup > 0) {
            warm = openLoop(region, warmup, Long.MAX_VALUE, size, window, samples).transfers();
        }
        Measured m = openLoop(region, seconds, total, size, window, samples);
        return new Measured(m.transfers(), m.submissions(), m.seconds(), m.sortedNanos(), m.errors(), m.errorSamples(),
                warm + m.transfers(), m.perSecond());
    }

    private Measured openLoop(Region region, int seconds, long total, int size, int window, List<String> samples)
            throws InterruptedException {
        AtomicLong ok = acknowledged.get(region.id());
        UUID[] a = region.accounts();
        Semaphore inFlight = new Semaphore(window);
        AtomicLong committed = new AtomicLong();
        AtomicLong submissions = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastOutcome = new AtomicLong();
        Latencies latencies = new Latencies();
        AtomicLongArray timeline = new AtomicLongArray(seconds + 1);
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        long submitted = 0;
        while (submitted < total && System.nanoTime() < deadline) {
            if (!inFlight.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            int n = (int) Math.min(size, total - submitted);
            List<TransferRequest> list = new ArrayList<>(n);
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int k = 0; k < n; k++) {
                int i = Workload.debit(a, false, r);
                list.add(TransferRequest.posted(Uuids.v7(), a[i], a[Workload.credit(a, false, i, r)], 1 + r.nextInt(100),
                        REASON));
            }
            long t0 = System.nanoTime();
            ledger.submit(region.id(), list).whenComplete((outcomes, e) -> {
                long t1 = System.nanoTime();
                try {
                    if (e != null) {
                        errors.incrementAndGet();
                        ClosedLoop.sample(samples, e);
                        return;
                    }
                    long good = 0;
                    for (TransferOutcome o : outcomes) {
                        if (o.result() == TransferResult.OK) {
                            good++;
                        } else {
                            errors.incrementAndGet();
                            ClosedLoop.sample(samples, new IllegalStateException("transfer answered " + o.result()));
                        }
                    }
                    ok.addAndGet(good);
                    timeline.addAndGet((int) Math.min(seconds, (t1 - start) / 1_000_000_000L), good);
                    committed.addAndGet(good);
                    submissions.incrementAndGet();
                    synchronized (latencies) {
                        latencies.add(t1 - t0);
                    }
                    lastOutcome.accumulateAndGet(t1, Math::max);
                } finally {
                    inFlight.release();
                }
            });
            submitted += n;
        }
        inFlight.acquire(window);
        long end = Math.max(lastOutcome.get(), start + 1);
        long[] sorted;
        synchronized (latencies) {
            sorted = latencies.sorted();
        }
        long[] perSecond = ClosedLoop.toArray(timeline);
        int used = (int) Math.min(perSecond.length, (end - start + 999_999_999L) / 1_000_000_000L);
        return new Measured(committed.get(), submissions.get(), (end - start) / 1e9, sorted, errors.get(),
                List.copyOf(samples), committed.get(), Arrays.copyOf(perSecond, used));
    }

    /** Runs {@code verify(region)} and checks the journal holds exactly what was acknowledged. */
    Check check(Region region) throws SQLException {
        long t0 = System.nanoTime();
        VerificationReport report = ledger.verify(region.id());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        List<String> problems = new ArrayList<>(report.problems());
        long stored;
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from ledger_transfer where region_id = ?")) {
            ps.setLong(1, region.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stored = rs.getLong(1);
            }
        }
        long expected = region.fundingTransfers() + acknowledged.get(region.id()).get();
        if (stored != expected) {
            problems.add("region " + region.id() + ": " + expected + " transfers acknowledged (with funding) but "
                    + stored + " in the journal");
        }
        if (report.transfers() != stored) {
            problems.add("verify re-hashed " + report.transfers() + " transfers, the journal holds " + stored);
        }
        return new Check(millis, problems, stored);
    }

    /**
     * The journal's size on disk: table, TOAST and indexes of ledger_transfer, ledger_entry and ledger_batch, in all
     * regions (funding included), and the number of transfers they hold.
     */
    Map<String, Object> storage() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        long totalBytes = 0;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("ledger_transfer", "ledger_entry", "ledger_batch")) {
                try (ResultSet rs = s.executeQuery("select pg_table_size('" + table + "'), pg_indexes_size('" + table
                        + "'), pg_total_relation_size('" + table + "'), (select count(*) from " + table + ")")) {
                    rs.next();
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("rows", rs.getLong(4));
                    t.put("table_bytes", rs.getLong(1));
                    t.put("index_bytes", rs.getLong(2));
                    totalBytes += rs.getLong(3);
                    m.put(table, t);
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*) from ledger_transfer")) {
                rs.next();
                long transfers = rs.getLong(1);
                m.put("transfers", transfers);
                m.put("total_bytes", totalBytes);
                m.put("bytes_per_transfer", transfers == 0 ? null : Math.round(10.0 * totalBytes / transfers) / 10.0);
            }
        }
        return m;
    }

    /**
     * Runs a query on every pooled connection, a second after the scenario: a backend flushes its pending statistics
     * (pg_stat_wal) at the end of a query once a second has passed since its last flush, else only ten seconds later.
     */
    void flushStatistics() throws SQLException {
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                Connection c = pool.getConnection();
                all.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("select 1");
                }
            }
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
    }

    @Override
    public void close() {
        ledger.close();
        pool.close();
    }
}
