package jp.yui.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of the benchmark.
 *
 * @param seconds        measured seconds per scenario (bulk stops earlier once it committed {@code bulkTotal})
 * @param warmupSeconds  unmeasured seconds before each scenario (JIT, caches, connections)
 * @param out            where the JSON report goes
 * @param accounts       accounts per scenario
 * @param threads        closed-loop submitters (Yui) and JDBC threads (baselines)
 * @param bulkTotal      transfers the bulk scenario commits at most
 * @param bulkSubmission transfers per bulk submission
 * @param bulkWindow     bulk submissions in flight at most (the producer waits beyond that)
 * @param rawBatch       transfers per raw-batch transaction
 * @param rawBatchThreads JDBC threads of raw-batch
 * @param scenarios      the scenarios to run, in the order they run
 * @param profileSql     whether to record each scenario's top statements (pg_stat_statements) and WAL sync time
 * @param pgSettings     extra settings for the embedded PostgreSQL, in the order given
 * @param serverJar      the ledger server's runnable jar, for http-cpm
 * @param serverJvm      the server JVM's flags (http-cpm)
 * @param tills          merchant-sdk clients charging at once in http-cpm, one API key each (8 per shop)
 * @param residents      residents of the http-cpm town, each topped up once
 * @param openLoopRate   charges a second offered in http-cpm's open-loop run (its p99 is the latency goal)
 * @param rounds         times the closed-loop scenarios and their baselines run, taking turns (see {@link #CLOSED_LOOP})
 * @param help           whether only the usage was asked for
 */
record BenchArgs(int seconds, int warmupSeconds, Path out, int accounts, int threads, long bulkTotal,
        int bulkSubmission, int bulkWindow, int rawBatch, int rawBatchThreads, List<String> scenarios, boolean profileSql,
        Map<String, String> pgSettings, Path serverJar, List<String> serverJvm, int tills, int residents,
        int openLoopRate, int rounds, boolean help) {

    /** Every scenario, in the order they run: each baseline right before the Yui scenario compared with it. */
    static final List<String> ALL = List.of("raw-single", "single-uniform", "raw-hot", "single-hot", "raw-batch", "bulk",
            "http-cpm");

    /**
     * The scenarios {@code --rounds} repeats: each baseline and the Yui scenario compared with it run in turns, so a
     * busy spell of a shared machine falls on both, not on one of them.
     */
    static final List<String> CLOSED_LOOP = List.of("raw-single", "single-uniform", "raw-hot", "single-hot");

    /** The server's default JVM flags in http-cpm: the heap goal (issue 6) is 512 MB. */
    static final String SERVER_JVM = "-Xmx512m";

    /** The options that take a value. */
    private static final Set<String> OPTIONS = Set.of("--seconds", "--warmup", "--out", "--accounts", "--threads",
            "--bulk-total", "--bulk-submission", "--bulk-window", "--raw-batch", "--raw-batch-threads", "--only", "--pg",
            "--server-jar", "--server-jvm", "--tills", "--residents", "--open-loop-rate", "--rounds");

    static final String USAGE = String.join("\n",
            "usage: java -jar ledger-bench.jar [--seconds N] [--out FILE] [options]",
            "",
            "  --seconds N            measured seconds per scenario (default 20)",
            "  --warmup N             unmeasured warm-up seconds before each scenario (default: seconds/5, at least 1)",
            "  --out FILE             JSON report (default bench-result.json)",
            "  --accounts N           accounts per scenario (default 10000)",
            "  --threads N            closed-loop submitters and raw-single/raw-hot JDBC threads (default 16)",
            "  --bulk-total N         most transfers the bulk scenario commits (default 1000000)",
            "  --bulk-submission N    transfers per bulk submission (default 1000)",
            "  --bulk-window N        bulk submissions in flight at most (default 4)",
            "  --raw-batch N          transfers per raw-batch transaction (default 100)",
            "  --raw-batch-threads N  JDBC threads of raw-batch (default: 2 per core, here " + defaultRawBatchThreads() + ")",
            "  --only A,B,...         run only these of " + String.join(", ", ALL),
            "  --pg NAME=VALUE        a setting for the embedded PostgreSQL, e.g. --pg shared_buffers=1GB (repeatable;",
            "                         fsync, synchronous_commit and full_page_writes stay on)",
            "  --server-jar FILE      the ledger server for http-cpm (default ledger-server/target/ledger-server.jar)",
            "  --server-jvm FLAGS     its JVM flags, space-separated (default " + SERVER_JVM + ")",
            "  --tills N              http-cpm: merchant-sdk tills charging at once, 8 per shop (default 64)",
            "  --residents N          http-cpm: residents, each topped up with ¥1,000,000 (default 1000)",
            "  --open-loop-rate N     http-cpm: charges a second offered in its open-loop run (default 1000)",
            "  --rounds N             run raw-single, single-uniform, raw-hot and single-hot N times each, in turns, and",
            "                         report each over all its rounds (default 1); every round has its own warm-up",
            "  --profile-sql          also record each scenario's top statements (pg_stat_statements) and WAL flush",
            "                         time (embedded PostgreSQL, or a server that preloads pg_stat_statements)",
            "  --help                 this text",
            "",
            "PostgreSQL: an embedded one of its own (fsync=on, synchronous_commit=on), or the server named by",
            "YUI_BENCH_DATABASE_URL (user and password from YUI_BENCH_DATABASE_USER / YUI_BENCH_DATABASE_PASSWORD or",
            "the URL), in which it creates a database of its own and drops it at the end.");

    BenchArgs {
        positive("seconds", seconds);
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0: " + warmupSeconds);
        }
        positive("accounts", accounts);
        if (accounts < 2) {
            throw new IllegalArgumentException("--accounts must be at least 2: " + accounts);
        }
        positive("threads", threads);
        positive("bulk-total", bulkTotal);
        positive("bulk-submission", bulkSubmission);
        positive("bulk-window", bulkWindow);
        positive("raw-batch", rawBatch);
        positive("raw-batch-threads", rawBatchThreads);
        positive("tills", tills);
        if (tills % 8 != 0) {
            throw new IllegalArgumentException("--tills must be a multiple of 8 (8 tills per shop): " + tills);
        }
        positive("residents", residents);
        positive("open-loop-rate", openLoopRate);
        positive("rounds", rounds);
        if (rounds > 1 && profileSql) {
            throw new IllegalArgumentException("--profile-sql profiles one run of each scenario: use it without --rounds");
        }
        serverJvm = List.copyOf(serverJvm);
        scenarios = List.copyOf(scenarios);
        pgSettings = Collections.unmodifiableMap(new LinkedHashMap<>(pgSettings));
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("--" + name + " must be > 0: " + value);
        }
    }

    static BenchArgs defaults() {
        return parse();
    }

    /**
     * Parses {@code --name value} and {@code --name=value} options.
     *
     * @throws IllegalArgumentException naming the option that is unknown, lacks its value or has a bad one
     */
    static BenchArgs parse(String... args) {
        int seconds = 20;
        Integer warmup = null;
        Path out = Path.of("bench-result.json");
        int accounts = 10_000;
        int threads = 16;
        long bulkTotal = 1_000_000;
        int bulkSubmission = 1_000;
        int bulkWindow = 4;
        int rawBatch = 100;
        int rawBatchThreads = defaultRawBatchThreads();
        List<String> scenarios = ALL;
        boolean profileSql = false;
        Map<String, String> pgSettings = new LinkedHashMap<>();
        Path serverJar = Path.of("ledger-server", "target", "ledger-server.jar");
        List<String> serverJvm = List.of(SERVER_JVM);
        int tills = 64;
        int residents = 1_000;
        int openLoopRate = 1_000;
        int rounds = 1;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--profile-sql")) {
                profileSql = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (!OPTIONS.contains(name)) {
                    throw new IllegalArgumentException("unknown option: " + name);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--seconds" -> seconds = intValue(name, value);
                case "--warmup" -> warmup = intValue(name, value);
                case "--out" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--out needs a file name");
                    }
                    out = Path.of(value);
                }
                case "--accounts" -> accounts = intValue(name, value);
                case "--threads" -> threads = intValue(name, value);
                case "--bulk-total" -> bulkTotal = longValue(name, value);
                case "--bulk-submission" -> bulkSubmission = intValue(name, value);
                case "--bulk-window" -> bulkWindow = intValue(name, value);
                case "--raw-batch" -> rawBatch = intValue(name, value);
                case "--raw-batch-threads" -> rawBatchThreads = intValue(name, value);
                case "--only" -> scenarios = scenarios(value);
                case "--server-jar" -> serverJar = Path.of(value);
                case "--server-jvm" -> serverJvm = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                case "--tills" -> tills = intValue(name, value);
                case "--residents" -> residents = intValue(name, value);
                case "--open-loop-rate" -> openLoopRate = intValue(name, value);
                case "--rounds" -> rounds = intValue(name, value);
                case "--pg" -> {
                    int at = value.indexOf('=');
                    String setting = at < 0 ? "" : value.substring(0, at).trim();
                    if (!setting.matches("[a-z_][a-z0-9_.]*")) {
                        throw new IllegalArgumentException("--pg needs NAME=VALUE: " + value);
                    }
                    if (setting.equals("fsync") || setting.equals("synchronous_commit") || setting.equals("full_page_writes")) {
                        throw new IllegalArgumentException("--pg may not change " + setting + ": the benchmark measures durable commits");
                    }
                    pgSettings.put(setting, value.substring(at + 1).trim());
                }
                default -> throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        int warmupSeconds = warmup != null ? warmup : Math.max(1, seconds / 5);
        return new BenchArgs(seconds, warmupSeconds, out, accounts, threads, bulkTotal, bulkSubmission, bulkWindow,
                rawBatch, rawBatchThreads, scenarios, profileSql, pgSettings, serverJar, serverJvm, tills, residents,
                openLoopRate, rounds, help);
    }

    /**
     * Two per core: more threads only wait for each other's row locks (on 2 cores, 16 threads committed fewer batched
     * transfers per second than 4).
     */
    static int defaultRawBatchThreads() {
        return Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    private static List<String> scenarios(String value) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : value.split(",")) {
            String name = s.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("unknown scenario in --only: " + name + " (known: " + String.join(", ", ALL) + ")");
            }
            wanted.add(name);
        }
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("--only names no scenario");
        }
        List<String> ordered = new ArrayList<>();
        for (String s : ALL) {
            if (wanted.contains(s)) {
                ordered.add(s);
            }
        }
        return ordered;
    }

    private static int intValue(String name, String value) {
        long v = longValue(name, value);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
        return (int) v;
    }

    private static long longValue(String name, String value) {
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number: " + value);
        }
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
