package jp.yui.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jp.yui.ledger.LedgerOptions;

/**
 * {@code java -jar ledger-bench.jar --seconds N --out FILE}: starts a PostgreSQL, measures the baselines and the Yui
 * scenarios on it, checks the books after each, prints a table and writes the JSON report.
 */
public final class Main {

    /** Exit status when a scenario lost or corrupted something: a fast wrong ledger scores zero. */
    static final int EXIT_ERRORS = 3;

    private Main() {}

    public static void main(String[] args) {
        BenchArgs a;
        try {
            a = BenchArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchArgs.USAGE);
            System.exit(2);
            return;
        }
        if (a.help()) {
            System.out.println(BenchArgs.USAGE);
            return;
        }
        int status;
        try {
            status = run(a);
        } catch (Exception e) {
            System.err.println("benchmark failed: " + ClosedLoop.describe(e));
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static int run(BenchArgs a) throws Exception {
        Instant started = Instant.now();
        Map<String, Object> machine = Machine.describe();
        log("Yui ledger benchmark: %d s per scenario after %d s warm-up, %,d accounts, %d threads; machine: %s cores, %s MB, %s",
                a.seconds(), a.warmupSeconds(), a.accounts(), a.threads(), machine.get("cores"), machine.get("memory_mb"),
                machine.get("cpu"));
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load > Runtime.getRuntime().availableProcessors() * 0.5) {
            log("WARNING: load average is %.2f before the benchmark starts: something else is running; numbers will be low",
                    load);
        }
        try (BenchDatabase db = BenchDatabase.start(System.getenv(), a.profileSql(), a.pgSettings())) {
            Map<String, Object> postgres = db.settings();
            log("PostgreSQL %s, %s at %s: fsync=%s synchronous_commit=%s shared_buffers=%s wal_level=%s", postgres.get("version"),
                    db.source(), db.displayUrl(), postgres.get("fsync"), postgres.get("synchronous_commit"),
                    postgres.get("shared_buffers"), postgres.get("wal_level"));
            if (!"on".equals(postgres.get("fsync")) || !"on".equals(postgres.get("synchronous_commit"))) {
                log("WARNING: commits are not durable on this server (fsync=%s, synchronous_commit=%s)",
                        postgres.get("fsync"), postgres.get("synchronous_commit"));
            }

            boolean profile = a.profileSql();
            if (profile) {
                try (Connection c = db.connect("yui-bench-stats")) {
                    PgStats.enableStatements(c);
                } catch (SQLException e) {
                    log("WARNING: --profile-sql needs pg_stat_statements in shared_preload_libraries: %s", e.getMessage());
                    profile = false;
                }
            }
            RawBench raw = null;
            if (a.scenarios().stream().anyMatch(s -> s.startsWith("raw-"))) {
                raw = new RawBench(db, a.accounts());
                long t0 = System.nanoTime();
                raw.setUp();
                log("baseline tables: %,d accounts in %.1f s", a.accounts(), (System.nanoTime() - t0) / 1e9);
            }
            LedgerOptions options = LedgerOptions.defaults();
            YuiBench yui = a.scenarios().stream().anyMatch(s -> !s.startsWith("raw-") && !s.equals("http-cpm"))
                    ? new YuiBench(db, options) : null;
            List<Map<String, Object>> notRun = new ArrayList<>();
            Double serverHeapMb = null;

            List<Report.Row> baselines = new ArrayList<>();
            List<Report.Row> scenarios = new ArrayList<>();
            Map<String, Report.Row> byName = new HashMap<>();
            long region = 0;
            try {
                // The closed-loop scenarios and their baselines first, in turns when there are several rounds.
                List<String> closed = a.scenarios().stream().filter(BenchArgs.CLOSED_LOOP::contains).toList();
                Map<String, List<Round>> rounds = new LinkedHashMap<>();
                Map<String, YuiBench.Region> regions = new HashMap<>();
                for (int k = 1; k <= a.rounds(); k++) {
                    for (String s : closed) {
                        if (a.rounds() > 1) {
                            log("%s: round %d of %d", s, k, a.rounds());
                        }
                        Round round;
                        boolean hot = s.endsWith("-hot");
                        if (s.startsWith("raw-")) {
                            Start before = beforeScenario(db, profile, 0);
                            log("%s: %d JDBC threads, one transaction per transfer%s …", s, a.threads(),
                                    hot ? ", every transfer crediting one account" : "");
                            Measured m = raw.single(s, a.threads(), a.warmupSeconds(), a.seconds(), hot);
                            round = new Round(m, before, endOfScenario(db, null, 0), sqlProfile(db, profile, m));
                        } else {
                            YuiBench.Region r = regions.get(s);
                            if (r == null) {
                                long t0 = System.nanoTime();
                                r = yui.setUp(++region, "bench " + s, a.accounts());
                                regions.put(s, r);
                                log("%s: region %d with %,d funded accounts set up in %.1f s", s, r.id(), a.accounts(),
                                        (System.nanoTime() - t0) / 1e9);
                            }
                            Start before = beforeScenario(db, profile, 0);
                            log("%s: %d closed-loop submitters, one transfer each%s …", s, a.threads(),
                                    hot ? ", every transfer crediting one account" : "");
                            Measured m = yui.single(s, r, a.threads(), a.warmupSeconds(), a.seconds(), hot);
                            round = new Round(m, before, endOfScenario(db, yui, 0), sqlProfile(db, profile, m));
                        }
                        rounds.computeIfAbsent(s, x -> new ArrayList<>()).add(round);
                        if (a.rounds() > 1) {
                            log("%s: round %d: %,.0f transfers/s, %d errors", s, k, round.measured().rate(),
                                    round.measured().errors());
                        }
                    }
                }
                for (String s : closed) {
                    List<Round> done = rounds.get(s);
                    Measured m = Measured.merge(done.stream().map(Round::measured).toList());
                    Map<String, Object> extra = scenarioCounters(Round.total(done), m, profile,
                            done.get(done.size() - 1).sqlProfile());
                    if (done.size() > 1) {
                        extra.put("rounds", done.stream().map(Round::json).toList());
                    }
                    Report.Row row;
                    if (s.startsWith("raw-")) {
                        extra.put("verify_problems", raw.check());
                        row = new Report.Row(s, m, null, extra);
                        baselines.add(row);
                    } else {
                        YuiBench.Region r = regions.get(s);
                        verify(yui, s, r, extra);
                        row = new Report.Row(s, m, byName.get(s.equals("single-hot") ? "raw-hot" : "raw-single"), extra);
                        scenarios.add(row);
                    }
                    byName.put(s, row);
                    log("%s: %,.0f transfers/s, p50 %s ms, p99 %s ms, %d errors%s", s, row.measured().rate(),
                            row.measured().p50Ms(), row.measured().p99Ms(), row.errors(),
                            done.size() > 1 ? " (" + done.size() + " rounds)" : "");
                }

                for (String s : a.scenarios()) {
                    if (closed.contains(s)) {
                        continue;
                    }
                    Report.Row row;
                    switch (s) {
                        case "raw-batch" -> {
                            Start before = beforeScenario(db, profile, 0);
                            log("raw-batch: %d JDBC threads, %d transfers per transaction in one statement …",
                                    a.rawBatchThreads(), a.rawBatch());
                            Measured m = raw.batch(s, a.rawBatchThreads(), a.warmupSeconds(), a.seconds(), a.rawBatch());
                            Map<String, Object> extra = afterScenario(db, null, before, m, profile, 0);
                            extra.put("verify_problems", raw.check());
                            row = new Report.Row(s, m, null, extra);
                            baselines.add(row);
                        }
                        case "http-cpm" -> {
                            row = httpCpm(a, db, profile, byName.get("raw-single"));
                            if (row == null) {
                                notRun.add(Report.notRun("http-cpm", "the server jar is missing: " + a.serverJar()));
                                continue;
                            }
                            scenarios.add(row);
                            serverHeapMb = (Double) row.extra().get("server_heap_mb");
                        }
                        case "bulk" -> {
                            long t0 = System.nanoTime();
                            YuiBench.Region r = yui.setUp(++region, "bench " + s, a.accounts());
                            log("%s: region %d with %,d funded accounts set up in %.1f s", s, r.id(), a.accounts(),
                                    (System.nanoTime() - t0) / 1e9);
                            Start before = beforeScenario(db, profile, 0);
                            log("bulk: open loop, submissions of %,d, at most %d in flight, up to %,d transfers or %d s …",
                                    a.bulkSubmission(), a.bulkWindow(), a.bulkTotal(), a.seconds());
                            Measured m = yui.bulk(r, a.warmupSeconds(), a.seconds(), a.bulkTotal(), a.bulkSubmission(),
                                    a.bulkWindow());
                            Map<String, Object> extra = afterScenario(db, yui, before, m, profile, 0);
                            verify(yui, s, r, extra);
                            row = new Report.Row(s, m, byName.get("raw-batch"), extra);
                            scenarios.add(row);
                        }
                        default -> throw new IllegalStateException("no such scenario: " + s);
                    }
                    byName.put(s, row);
                    log("%s: %,.0f transfers/s, p50 %s ms, p99 %s ms, %d errors", s, row.measured().rate(),
                            row.measured().p50Ms(), row.measured().p99Ms(), row.errors());
                }

                Map<String, Object> storage = yui == null ? null : yui.storage();
                Double rawBytes = raw == null ? null : raw.bytesPerTransfer();

                List<Object> scenarioJson = new ArrayList<>();
                scenarios.forEach(r -> scenarioJson.add(r.json()));
                scenarioJson.addAll(notRun);
                List<Object> baselineJson = new ArrayList<>();
                baselines.forEach(r -> baselineJson.add(r.json()));

                Map<String, Object> run = new LinkedHashMap<>();
                run.put("started_at", started.toString());
                run.put("finished_at", Instant.now().toString());
                run.put("seconds", a.seconds());
                run.put("warmup_seconds", a.warmupSeconds());
                run.put("accounts", a.accounts());
                run.put("threads", a.threads());
                run.put("bulk_total", a.bulkTotal());
                run.put("bulk_submission", a.bulkSubmission());
                run.put("bulk_window", a.bulkWindow());
                run.put("raw_batch", a.rawBatch());
                run.put("raw_batch_threads", a.rawBatchThreads());
                run.put("profile_sql", profile);
                run.put("pg_settings", a.pgSettings());
                run.put("tills", a.tills());
                run.put("residents", a.residents());
                run.put("open_loop_rate", a.openLoopRate());
                run.put("rounds", a.rounds());
                Map<String, Object> ledgerOptions = new LinkedHashMap<>();
                ledgerOptions.put("max_batch", options.maxBatch());
                ledgerOptions.put("queue_capacity", options.queueCapacity());
                ledgerOptions.put("writer_threads", options.writerThreads());
                run.put("ledger_options", ledgerOptions);
                run.put("load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

                Map<String, Object> report = new LinkedHashMap<>();
                report.put("machine", machine);
                report.put("postgres", postgres);
                report.put("scenarios", scenarioJson);
                report.put("bytes_per_transfer", storage == null ? null : storage.get("bytes_per_transfer"));
                report.put("server_heap_mb", serverHeapMb);
                report.put("baselines", baselineJson);
                report.put("storage", storage);
                report.put("raw_bytes_per_transfer", rawBytes);
                report.put("run", run);
                write(a.out(), Json.write(report));

                List<Report.Row> all = new ArrayList<>(baselines);
                all.addAll(scenarios);
                all.sort((x, y) -> Integer.compare(BenchArgs.ALL.indexOf(x.name()), BenchArgs.ALL.indexOf(y.name())));
                System.out.println();
                System.out.print(Report.table(all, notRun));
                for (Report.Row r : scenarios) {
                    if (r.extra().get("open_loop") instanceof Map<?, ?> o) {
                        System.out.printf(Locale.ROOT, "http-cpm open loop: %s charges/s offered, %s/s answered, p50 %s ms, "
                                + "p99 %s ms, %s errors; server heap in use at most %s MB (%s)%n", o.get("offered_per_s"),
                                o.get("achieved_per_s"), o.get("p50_ms"), o.get("p99_ms"), o.get("errors"),
                                r.extra().get("server_heap_mb"), r.extra().get("server_jvm"));
                    }
                }
                if (storage != null) {
                    System.out.printf(Locale.ROOT, "bytes per transfer on disk (ledger_transfer + ledger_entry + ledger_batch "
                            + "with indexes): %s over %,d transfers; the raw baseline's transfer row: %s%n",
                            storage.get("bytes_per_transfer"), (Long) storage.get("transfers"), rawBytes);
                }
                System.out.println("report written to " + a.out().toAbsolutePath());
                return loudErrors(all) ? EXIT_ERRORS : 0;
            } finally {
                if (yui != null) {
                    yui.close();
                }
            }
        }
    }

    /** The region of the http-cpm town on the server's own database. */
    static final long HTTP_CPM_REGION = 60_001;
    /**
     * Payments the http-cpm warm-up makes at least (within {@link #HTTP_WARMUP_MAX_SECONDS}). After 3,000, on a busy
     * 2-core machine, the server's C2 compiler still took about a fifth of its CPU in the measured window (perf), which
     * the window then counted as CPU per payment.
     */
    static final long HTTP_WARMUP_PAYMENTS = 10_000;
    static final long HTTP_WARMUP_MAX_SECONDS = 90;

    /**
     * http-cpm: starts the server on a database of its own, builds a town over HTTP, then 64 tills charge CPM tokens
     * in a closed loop (the rate), then at a fixed offered rate (the latency goal); the server's heap is read from its
     * /prometheus meanwhile. Null if the server jar is missing.
     */
    private static Report.Row httpCpm(BenchArgs a, BenchDatabase db, boolean profile, Report.Row baseline)
            throws Exception {
        if (!java.nio.file.Files.isRegularFile(a.serverJar())) {
            log("http-cpm: not run, no server jar at %s (build it first, or name it with --server-jar)",
                    a.serverJar().toAbsolutePath());
            return null;
        }
        long t0 = System.nanoTime();
        try (HttpCpm cpm = HttpCpm.start(db, a.serverJar(), a.serverJvm(), HTTP_CPM_REGION)) {
            log("http-cpm: server started in %.1f s (pid %d, %s, log %s)", (System.nanoTime() - t0) / 1e9,
                    cpm.server().pid(), String.join(" ", a.serverJvm()), cpm.server().log());
            long t1 = System.nanoTime();
            cpm.setUp(a.tills() / 8, 8, a.residents());
            log("http-cpm: town set up over HTTP in %.1f s: %d shops, %d tills (one API key each), %,d residents "
                    + "topped up with ¥%,d", (System.nanoTime() - t1) / 1e9, a.tills() / 8, cpm.tills(), a.residents(),
                    HttpCpm.TOP_UP);
            cpm.startHeapSampling();
            AtomicLong warmRefills = new AtomicLong();
            Measured warm = null;
            // Both JVMs compile the payment path while it runs: warm up for the warm-up's seconds and at least
            // HTTP_WARMUP_PAYMENTS payments (at most HTTP_WARMUP_MAX_SECONDS), in rounds of fresh tokens.
            long warmed = 0;
            long warmStart = System.nanoTime();
            while (a.warmupSeconds() > 0 && (warm == null || warmed < HTTP_WARMUP_PAYMENTS)
                    && System.nanoTime() - warmStart < HTTP_WARMUP_MAX_SECONDS * 1_000_000_000L) {
                int round = Math.max(a.warmupSeconds(), 5);
                double expected = warm == null ? 500 : Math.max(100, warm.rate());
                cpm.discardTokens();
                double took = cpm.issueTokens((int) Math.min(60_000, Math.ceil(expected * 1.5 * round) + cpm.tills() * 8L));
                log("http-cpm: warm-up, %d tills for %d s (tokens issued in %.1f s) …", cpm.tills(), round, took);
                warm = cpm.closedLoop("http-cpm-warmup", 0, round, warmRefills);
                warmed += warm.allTransfers();
                cpm.addClientErrors(warm.errors());
                log("http-cpm: warm-up: %,.0f payments/s, %d errors", warm.rate(), warm.errors());
            }
            cpm.discardTokens();
            // Tokens live a minute: ask for the window's just before it, 30% more than the warm-up's rate needs.
            double expected = warm == null ? 2_000 : Math.max(200, warm.rate());
            int want = (int) Math.min(150_000, Math.ceil(expected * 1.3 * a.seconds()) + cpm.tills() * 8L);
            double issueSeconds = cpm.issueTokens(want);
            log("http-cpm: %,d tokens issued in %.1f s; %d tills charging for %d s …", want, issueSeconds, cpm.tills(),
                    a.seconds());
            Start before = beforeScenario(db, profile, cpm.server().pid());
            long[] txBefore = cpm.transactions();
            AtomicLong refills = new AtomicLong();
            Measured m = cpm.closedLoop("http-cpm", 0, a.seconds(), refills);
            cpm.addClientErrors(m.errors());
            long[] txAfter = cpm.transactions();
            Map<String, Object> extra = afterScenario(db, null, before, m, profile, cpm.server().pid());
            Map<String, Object> serverDb = new LinkedHashMap<>();
            long payments = Math.max(1, m.allTransfers());
            serverDb.put("commits", txAfter[0] - txBefore[0]);
            serverDb.put("rollbacks", txAfter[1] - txBefore[1]);
            serverDb.put("commits_per_payment", Report.round((double) (txAfter[0] - txBefore[0]) / payments, 2));
            if (profile) {
                // The WAL counters above are the server's too (one PostgreSQL); statements are per database.
                serverDb.put("sql_profile", cpm.statements(25, payments));
            }
            extra.put("server_database", serverDb);
            log("http-cpm: %,.0f payments/s, p50 %s ms, p99 %s ms, %d errors (%d tokens asked for during the window)",
                    m.rate(), m.p50Ms(), m.p99Ms(), m.errors(), refills.get());
            int heapFrom = cpm.heapSamplesMb().size();

            cpm.discardTokens();
            int openSeconds = a.seconds();
            double openIssue = cpm.issueTokens((int) Math.min(150_000, (long) a.openLoopRate() * openSeconds * 21 / 20 + 100));
            log("http-cpm: open loop, %,d charges a second for %d s (tokens issued in %.1f s) …", a.openLoopRate(),
                    openSeconds, openIssue);
            HttpCpm.OpenLoop open = cpm.openLoop(a.openLoopRate(), openSeconds);
            log("http-cpm: open loop answered %,.0f/s, p50 %s ms, p99 %s ms, %d errors", open.achievedPerSecond(),
                    open.p50Ms(), open.p99Ms(), open.errors());
            cpm.stopHeapSampling();
            List<Double> heap = cpm.heapSamplesMb();

            YuiBench.Check check = cpm.check();
            log("http-cpm: verify(region %d) over %,d transfers took %,d ms: %s", HTTP_CPM_REGION, check.journalTransfers(),
                    check.verifyMillis(), check.problems().isEmpty() ? "ok" : check.problems().size() + " PROBLEMS");
            extra.put("open_loop", open.json());
            Double heapMax = heap.stream().max(Double::compare).map(v -> Report.round(v, 1)).orElse(null);
            extra.put("server_heap_mb", heapMax);
            extra.put("server_heap_mb_mean", heap.isEmpty() ? null
                    : Report.round(heap.stream().mapToDouble(Double::doubleValue).average().orElse(0), 1));
            extra.put("server_heap_mb_max_closed_loop", heap.subList(0, Math.min(heapFrom, heap.size())).stream()
                    .max(Double::compare).map(v -> Report.round(v, 1)).orElse(null));
            extra.put("server_heap_samples", heap.size());
            extra.put("server_jvm", String.join(" ", a.serverJvm()));
            extra.put("server_command", cpm.server().command());
            extra.put("region", HTTP_CPM_REGION);
            extra.put("shops", a.tills() / 8);
            extra.put("tills", cpm.tills());
            extra.put("residents", a.residents());
            extra.put("warmup_per_s", warm == null ? null : Report.round(warm.rate(), 1));
            extra.put("tokens_issued", cpm.tokensIssued());
            extra.put("tokens_issued_during_window", refills.get());
            extra.put("verify_ms", check.verifyMillis());
            extra.put("journal_transfers", check.journalTransfers());
            extra.put("payments_acknowledged", cpm.acknowledged());
            extra.put("verify_problems", check.problems());
            return new Report.Row("http-cpm", m, baseline, extra);
        }
    }

    /** The counters at a scenario's start: PostgreSQL's, and the CPU time of our processes and of the machine. */
    record Start(PgStats.Snapshot pg, Map<String, Double> cpu, long[] machine) {
    }

    /** A checkpoint, so no scenario pays for another's dirty pages; then the counters to compare with afterwards. */
    private static Start beforeScenario(BenchDatabase db, boolean profile, long serverPid) throws SQLException {
        checkpoint(db);
        try (Connection c = db.connect("yui-bench-stats")) {
            if (profile) {
                PgStats.resetStatements(c);
            }
            return new Start(PgStats.take(c), CpuTimes.read(serverPid, CpuTimes.postmaster(db.dataDirectory())),
                    Machine.cpuTicks());
        }
    }

    /** Verifies a Yui scenario's region, records what the check found in {@code extra}, and says it. */
    private static void verify(YuiBench yui, String scenario, YuiBench.Region r, Map<String, Object> extra)
            throws Exception {
        YuiBench.Check check = yui.check(r);
        extra.put("region", r.id());
        extra.put("verify_ms", check.verifyMillis());
        extra.put("journal_transfers", check.journalTransfers());
        extra.put("verify_problems", check.problems());
        log("%s: verify(region %d) over %,d transfers took %,d ms: %s", scenario, r.id(), check.journalTransfers(),
                check.verifyMillis(), check.problems().isEmpty() ? "ok" : check.problems().size() + " PROBLEMS");
    }

    /** The counters at a scenario's end (PostgreSQL's read once its statistics reached the shared counters). */
    private static Start endOfScenario(BenchDatabase db, YuiBench yui, long serverPid)
            throws SQLException, InterruptedException {
        Map<String, Double> cpu = CpuTimes.read(serverPid, CpuTimes.postmaster(db.dataDirectory()));
        long[] machine = Machine.cpuTicks();
        Thread.sleep(1_100);
        if (yui != null) {
            yui.flushStatistics();
        }
        try (Connection c = db.connect("yui-bench-stats")) {
            return new Start(PgStats.take(c), cpu, machine);
        }
    }

    /**
     * What the server did during the scenario: WAL, flushes and, when profiling, its top statements; and the CPU our
     * processes used per transfer, and how busy the machine was (other people's work included).
     *
     * @param serverPid the ledger server's process, 0 if none
     */
    private static Map<String, Object> afterScenario(BenchDatabase db, YuiBench yui, Start before,
            Measured m, boolean profile, long serverPid) throws SQLException, InterruptedException {
        Round.Counters counters = new Round.Counters(before, endOfScenario(db, yui, serverPid));
        return scenarioCounters(counters, m, profile, sqlProfile(db, profile, m));
    }

    /** With --profile-sql, the statements that took the server's time since the scenario started; else null. */
    private static Map<String, Object> sqlProfile(BenchDatabase db, boolean profile, Measured m) throws SQLException {
        if (!profile) {
            return null;
        }
        try (Connection c = db.connect("yui-bench-stats")) {
            return PgStats.topStatements(c, 10, m.allTransfers());
        }
    }

    /** The counters of {@link #afterScenario}: one scenario's, or the sum of its rounds'. */
    private static Map<String, Object> scenarioCounters(Round.Counters counters, Measured m, boolean profile,
            Map<String, Object> sqlProfile) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("wal", PgStats.wal(counters.from().pg(), counters.to().pg(), m.allTransfers(), profile));
        if (sqlProfile != null) {
            extra.put("sql_profile", sqlProfile);
        }
        extra.put("cpu", cpu(counters, m.allTransfers()));
        return extra;
    }

    /** CPU per unit of our processes between the counters, how busy the machine was, and what others used of it. */
    static Map<String, Object> cpu(Round.Counters counters, long units) {
        Map<String, Object> cpu = CpuTimes.perUnit(counters.from().cpu(), counters.to().cpu(), units);
        cpu.putAll(Machine.busy(counters.from().machine(), counters.to().machine()));
        if (cpu.get("machine_cpu_ms") instanceof Long machine) {
            double ours = 0;
            for (Map.Entry<String, Object> e : cpu.entrySet()) {
                if (e.getKey().endsWith("_cpu_ms") && !e.getKey().startsWith("machine") && !e.getKey().contains("_kernel")
                        && e.getValue() instanceof Double d) {
                    ours += d;
                }
            }
            // CPU time no process of this benchmark used: other people's builds on a shared machine.
            cpu.put("others_cpu_ms", Math.max(0, Math.round(machine - ours)));
            cpu.put("others_share_of_busy", machine == 0 ? null : Report.round(Math.max(0, machine - ours) / machine, 3));
        }
        return cpu;
    }

    /** Prints every scenario that lost or corrupted something; true if any did. */
    private static boolean loudErrors(List<Report.Row> rows) {
        boolean any = false;
        for (Report.Row r : rows) {
            if (r.errors() == 0) {
                continue;
            }
            any = true;
            System.err.println();
            System.err.println("!!!!!!!!!! " + r.name() + ": " + r.errors() + " ERRORS — this result does not count (ratio 0) !!!!!!!!!!");
            r.measured().errorSamples().forEach(e -> System.err.println("  failure: " + e));
            if (r.extra().get("verify_problems") instanceof List<?> problems) {
                problems.stream().limit(20).forEach(p -> System.err.println("  verify: " + p));
            }
        }
        return any;
    }

    /** Starts each scenario from a fresh checkpoint, so no scenario pays for another's dirty pages. */
    private static void checkpoint(BenchDatabase db) {
        try (Connection c = db.connect("yui-bench-checkpoint"); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        } catch (SQLException e) {
            log("(no checkpoint: %s)", e.getMessage());
        }
    }

    private static void write(Path out, String json) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, json, StandardCharsets.UTF_8);
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
