package jp.yui.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jp.yui.ledger.LedgerOptions;
import jp.yui.ledger.PostgresLedger;
import jp.yui.ledger.VerificationReport;
import jp.yui.merchant.ChargeRequest;
import jp.yui.merchant.MerchantClient;
import jp.yui.merchant.Payment;

/**
 * The {@code http-cpm} scenario: shops' tills charge residents' CPM tokens through merchant-sdk against the running
 * ledger server, end to end over HTTP on loopback. The town is built over HTTP as its staff would build it (a region,
 * shops with a key per till, residents topped up at the counter); tokens are asked of the server as residents' apps
 * ask for them, shortly before they are used.
 */
final class HttpCpm implements AutoCloseable {

    static final String CURRENCY = "BENCH-YEN";
    /** Each resident's top-up: enough for hundreds of payments of up to ¥1,000. */
    static final long TOP_UP = 1_000_000;
    /** How long the open loop waits for answers after its last charge was due. */
    static final int OPEN_LOOP_GRACE_SECONDS = 60;
    /** Requests the server runs at once (its I/O executor). */
    static final int IO_THREADS = 16;

    /** A resident and the bearer token their app holds. */
    record Resident(UUID id, String bearer) {
    }

    /** The open-loop run: what was offered, what came back, how fast. */
    record OpenLoop(double offeredPerSecond, double achievedPerSecond, long sent, long ok, long errors, Double p50Ms,
            Double p99Ms, Double p999Ms, Double maxMs, List<String> errorSamples) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("offered_per_s", offeredPerSecond);
            m.put("achieved_per_s", Report.round(achievedPerSecond, 1));
            m.put("sent", sent);
            m.put("ok", ok);
            m.put("errors", errors);
            m.put("p50_ms", p50Ms);
            m.put("p99_ms", p99Ms);
            m.put("p99_9_ms", p999Ms);
            m.put("max_ms", maxMs);
            m.put("error_samples", errorSamples);
            return m;
        }
    }

    private final ServerProcess server;
    private final String serverDatabaseUrl;
    private final BenchDatabase db;
    private final long regionId;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService setupPool = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "http-cpm-setup");
        t.setDaemon(true);
        return t;
    });
    private final List<MerchantClient> tills = new ArrayList<>();
    private final List<Resident> residents = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextResident = new AtomicInteger();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong acknowledgedYen = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final List<Double> heapSamplesMb = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean sampling = new AtomicBoolean();
    private Thread sampler;
    private String admin;
    private String cashier;

    private HttpCpm(ServerProcess server, String serverDatabaseUrl, BenchDatabase db, long regionId) {
        this.server = server;
        this.serverDatabaseUrl = serverDatabaseUrl;
        this.db = db;
        this.regionId = regionId;
    }

    /**
     * Starts the server on a database of its own on the benchmark's PostgreSQL.
     *
     * @param jvmFlags the server JVM's flags (heap size and so on), reported with the results
     */
    static HttpCpm start(BenchDatabase db, java.nio.file.Path jar, List<String> jvmFlags, long regionId)
            throws Exception {
        String url = db.createDatabase("server");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("datasources.default.url", url);
        if (!db.user().isEmpty()) {
            settings.put("datasources.default.username", db.user());
        }
        if (!db.password().isEmpty()) {
            settings.put("datasources.default.password", db.password());
        }
        // Demo tokens stand in for the town's OIDC provider; no demo town is seeded.
        settings.put("yui.demo.enabled", "true");
        settings.put("yui.demo.seed", "false");
        // A charge holds one pooled connection for its reserving transaction while it reads the payer's lots through
        // the ledger on a second one; with the defaults (20 connections, an unbounded I/O executor) 64 tills at once
        // take every connection and wait for one another until the pool's 30 s timeout. So: at most IO_THREADS
        // requests run at once (the rest queue in the server), and the pool has two connections for each, and the
        // ledger writers and schedulers besides.
        settings.put("micronaut.executors.io.type", "fixed");
        settings.put("micronaut.executors.io.n-threads", Integer.toString(IO_THREADS));
        settings.put("datasources.default.maximum-pool-size", Integer.toString(2 * IO_THREADS + 8));
        // 64 tills at thousands of payments a second: the per-key limit (50/s by default) is not what is measured.
        settings.put("yui.security.api-key-rate-per-second", "100000");
        settings.put("yui.security.api-key-burst", "100000");
        ServerProcess server = ServerProcess.start(jar, jvmFlags, settings, Duration.ofSeconds(180));
        return new HttpCpm(server, url, db, regionId);
    }

    ServerProcess server() {
        return server;
    }

    // ------------------------------------------------------------------------------------------------- set-up

    /** Builds the town: the region, {@code shops} shops with {@code tillsPerShop} keys each, funded residents. */
    void setUp(int shops, int tillsPerShop, int residentCount) throws Exception {
        String platform = token(Map.of("subject", "bench-platform", "roles", List.of("admin")));
        Map<String, Object> currency = new LinkedHashMap<>();
        currency.put("code", CURRENCY);
        currency.put("walletCeiling", null);
        post("/regions", Map.of("regionId", regionId, "name", "ベンチ町", "zone", "Asia/Tokyo", "currency", currency,
                "points", List.of()), platform, null);
        admin = token(Map.of("subject", "bench-admin", "roles", List.of("admin"), "regionId", regionId));
        cashier = token(Map.of("subject", "bench-cashier", "roles", List.of("cashier"), "regionId", regionId));
        for (int s = 0; s < shops; s++) {
            JsonNode m = post(path("/merchants"), Map.of("name", "Bench Shop " + s, "category", "5411", "city", "Miyaki",
                    "nameJa", "ベンチ商店" + s, "nameKana", "ﾍﾞﾝﾁｼｮｳﾃﾝ"), admin, null);
            String merchantId = m.get("merchantId").asText();
            for (int t = 0; t < tillsPerShop; t++) {
                JsonNode k = post(path("/merchants/" + merchantId + "/api-keys"), Map.of("name", "till " + t), admin, null);
                tills.add(MerchantClient.builder().baseUri(server.base()).apiKey(k.get("apiKey").asText())
                        .requestTimeout(Duration.ofSeconds(30)).build());
            }
        }
        List<Future<Resident>> made = new ArrayList<>();
        for (int i = 0; i < residentCount; i++) {
            int n = i;
            made.add(setupPool.submit(() -> {
                String subject = "bench-resident-" + n;
                JsonNode r = post(path("/residents"), Map.of("displayName", "住民" + n, "subject", subject), cashier, null);
                UUID id = UUID.fromString(r.get("residentId").asText());
                post(path("/residents/" + id + "/topups"), Map.of("amount", TOP_UP, "channel", "COUNTER"), cashier,
                        UUID.randomUUID().toString());
                String bearer = token(Map.of("subject", subject, "roles", List.of("resident"), "regionId", regionId,
                        "residentId", id.toString(), "ttlSeconds", 86_400));
                return new Resident(id, bearer);
            }));
        }
        for (Future<Resident> f : made) {
            residents.add(f.get());
        }
    }

    int tills() {
        return tills.size();
    }

    /**
     * Asks the server for {@code n} fresh tokens, as residents' apps do, spread over the residents (16 at a time).
     * Tokens live a minute, so they are asked for shortly before they are used.
     *
     * @return the seconds it took
     */
    double issueTokens(int n) throws Exception {
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        int per = (n + 15) / 16;
        for (int w = 0; w < 16; w++) {
            int count = Math.min(per, n - w * per);
            if (count <= 0) {
                break;
            }
            done.add(setupPool.submit(() -> {
                for (int i = 0; i < count; i++) {
                    tokens.add(issueToken());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private String issueToken() throws IOException, InterruptedException {
        Resident r = residents.get(Math.floorMod(nextResident.getAndIncrement(), residents.size()));
        JsonNode t = post(path("/residents/" + r.id() + "/cpm-tokens"), Map.of(), r.bearer(), null);
        tokensIssued.incrementAndGet();
        return t.get("token").asText();
    }

    void discardTokens() {
        tokens.clear();
    }

    long tokensIssued() {
        return tokensIssued.get();
    }

    // ------------------------------------------------------------------------------------------------- runs

    /**
     * Closed loop: each till charges a token, waits for the payment, and charges the next. Tokens come from the
     * queue; if it runs low, a refiller asks for more during the run (counted in {@code refills}).
     */
    Measured closedLoop(String name, int warmup, int seconds, AtomicLong refills) throws InterruptedException {
        int threads = tills.size();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread refiller = new Thread(() -> {
            while (running.get()) {
                if (tokens.size() < threads * 8) {
                    try {
                        for (int i = 0; i < 64 && running.get(); i++) {
                            tokens.add(issueToken());
                            refills.incrementAndGet();
                        }
                    } catch (Exception e) {
                        LockSupport.parkNanos(100_000_000L);
                    }
                } else {
                    LockSupport.parkNanos(5_000_000L);
                }
            }
        }, "http-cpm-refill");
        refiller.setDaemon(true);
        refiller.start();
        try {
            return ClosedLoop.run(name, threads, warmup, seconds, thread -> {
                MerchantClient till = tills.get(thread);
                return () -> {
                    String token = nextToken();
                    long amount = 100 + ThreadLocalRandom.current().nextInt(901);
                    Payment p = till.charge(ChargeRequest.of(token, amount));
                    if (p.amount() != amount || p.method() != Payment.Method.CPM) {
                        throw new IllegalStateException("charged " + amount + " by CPM, the server answered " + p);
                    }
                    acknowledged.incrementAndGet();
                    acknowledgedYen.addAndGet(amount);
                    return 1;
                };
            });
        } finally {
            running.set(false);
            refiller.join();
        }
    }

    private String nextToken() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String t;
        while ((t = tokens.poll()) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no CPM token came within 10 s");
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return t;
    }

    /**
     * Open loop: charges are sent at {@code rate} a second on a fixed schedule, round robin over the tills, whatever
     * came back; each latency counts from when its charge was due, so a stall is not hidden by the sender waiting.
     */
    OpenLoop openLoop(int rate, int seconds) throws InterruptedException {
        long n = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        Latencies latencies = new Latencies();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch((int) n);
        long start = System.nanoTime() + 50_000_000L;
        long[] lastDone = {start};
        for (long i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            MerchantClient till = tills.get((int) (i % tills.size()));
            String token = tokens.poll();
            if (token == null) {
                errors.incrementAndGet();
                ClosedLoop.sample(samples, new IllegalStateException("no CPM token left for the open loop"));
                done.countDown();
                continue;
            }
            long amount = 100 + ThreadLocalRandom.current().nextInt(901);
            till.chargeAsync(ChargeRequest.of(token, amount)).whenComplete((p, e) -> {
                long t1 = System.nanoTime();
                try {
                    if (e != null) {
                        errors.incrementAndGet();
                        clientErrors.incrementAndGet();
                        ClosedLoop.sample(samples, e);
                        return;
                    }
                    acknowledged.incrementAndGet();
                    acknowledgedYen.addAndGet(amount);
                    ok.incrementAndGet();
                    synchronized (latencies) {
                        latencies.add(t1 - due);
                        lastDone[0] = Math.max(lastDone[0], t1);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(OPEN_LOOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
            // Unanswered charges count as errors; the server may still complete them (see check()).
            long open = done.getCount();
            errors.addAndGet(open);
            clientErrors.addAndGet(open);
            ClosedLoop.sample(samples, new IllegalStateException(open + " charges still unanswered "
                    + OPEN_LOOP_GRACE_SECONDS + " s after the last was sent"));
        }
        long[] sorted;
        double took;
        synchronized (latencies) {
            sorted = latencies.sorted();
            took = (lastDone[0] - start) / 1e9;
        }
        return new OpenLoop(rate, took <= 0 ? 0 : ok.get() / took, n, ok.get(), errors.get(),
                Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                Latencies.percentileMillis(sorted, 99.9), Latencies.percentileMillis(sorted, 100), List.copyOf(samples));
    }

    /** Counts errors of the closed loop too (they do not pass through {@link #openLoop}). */
    void addClientErrors(long n) {
        clientErrors.addAndGet(n);
    }

    // ------------------------------------------------------------------------------------------------- heap

    /** Reads the server's heap in use ({@code jvm_memory_used_bytes{area="heap"}} on /prometheus) every second. */
    void startHeapSampling() {
        sampling.set(true);
        sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.base().resolve("/prometheus"))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    Double mb = heapMb(r.body());
                    if (mb != null) {
                        heapSamplesMb.add(mb);
                    }
                } catch (IOException e) {
                    // a missed sample
                } catch (InterruptedException e) {
                    return;
                }
                LockSupport.parkNanos(1_000_000_000L);
            }
        }, "http-cpm-heap");
        sampler.setDaemon(true);
        sampler.start();
    }

    void stopHeapSampling() throws InterruptedException {
        sampling.set(false);
        if (sampler != null) {
            sampler.join(10_000);
        }
    }

    /** The sum of {@code jvm_memory_used_bytes{area="heap",…}} in a Prometheus text page, in MB; null if absent. */
    static Double heapMb(String prometheus) {
        double sum = 0;
        boolean any = false;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                String value = line.substring(line.lastIndexOf(' ') + 1).trim();
                sum += Double.parseDouble(value);
                any = true;
            }
        }
        return any ? sum / (1024 * 1024) : null;
    }

    /** Heap samples taken so far, in MB. */
    List<Double> heapSamplesMb() {
        synchronized (heapSamplesMb) {
            return List.copyOf(heapSamplesMb);
        }
    }

    // ------------------------------------------------------------------------------------------------- check

    /**
     * The books after the runs: {@code verify(region)} on the server's database, every acknowledged payment stored
     * once as DONE with its ledger transfer, and nothing stored that no till was told about (beyond charges whose
     * answer was lost to a client-side error).
     */
    YuiBench.Check check() throws SQLException, InterruptedException {
        List<String> problems = new ArrayList<>();
        waitUntilQuiet();
        long t0 = System.nanoTime();
        long stored;
        long storedYen;
        long pending;
        long ledgerTransfers;
        long ledgerYen;
        VerificationReport report;
        try (HikariDataSource pool = db.pool("yui-bench-server-check", serverDatabaseUrl, 2, true);
             PostgresLedger ledger = PostgresLedger.open(pool, LedgerOptions.defaults())) {
            report = ledger.verify(regionId);
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("select count(*) filter (where status = 'DONE'), "
                         + "coalesce(sum(amount) filter (where status = 'DONE'), 0), count(*) filter (where status <> 'DONE'), "
                         + "(select count(*) from ledger_transfer where region_id = ? and reason = 'PAY'), "
                         + "(select coalesce(sum(amount), 0) from ledger_transfer where region_id = ? and reason = 'PAY') "
                         + "from payment where region_id = ?")) {
                ps.setLong(1, regionId);
                ps.setLong(2, regionId);
                ps.setLong(3, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                    storedYen = rs.getLong(2);
                    pending = rs.getLong(3);
                    ledgerTransfers = rs.getLong(4);
                    ledgerYen = rs.getLong(5);
                }
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        problems.addAll(report.problems());
        long acked = acknowledged.get();
        if (stored < acked) {
            problems.add(acked + " payments acknowledged but only " + stored + " stored as DONE");
        }
        if (stored > acked + clientErrors.get()) {
            problems.add(stored + " payments stored as DONE but only " + acked + " acknowledged (and " + clientErrors.get()
                    + " client errors)");
        }
        if (stored == acked && storedYen != acknowledgedYen.get()) {
            problems.add("payments stored sum to ¥" + storedYen + ", acknowledged ones to ¥" + acknowledgedYen.get());
        }
        if (pending != 0) {
            problems.add(pending + " payments left PENDING");
        }
        if (ledgerTransfers != stored || ledgerYen != storedYen) {
            problems.add("the ledger holds " + ledgerTransfers + " payment transfers (¥" + ledgerYen + ") for " + stored
                    + " payments (¥" + storedYen + ")");
        }
        return new YuiBench.Check(millis, problems, report.transfers());
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Waits (up to two minutes) until the server's payments stop changing for 3 s: charges it still had queued. */
    private void waitUntilQuiet() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now;
            try (Connection c = java.sql.DriverManager.getConnection(serverDatabaseUrl, db.user(), db.password());
                 PreparedStatement ps = c.prepareStatement("select count(*), count(*) filter (where status <> 'DONE') "
                         + "from payment where region_id = ?")) {
                ps.setLong(1, regionId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    now = rs.getLong(1) * 1_000_003 + rs.getLong(2);
                }
            }
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 3_000_000_000L) {
                return;
            }
            Thread.sleep(500);
        }
    }

    /** Transactions committed and rolled back in the server's database so far ({@code pg_stat_database}). */
    long[] transactions() throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(serverDatabaseUrl, db.user(), db.password());
             PreparedStatement ps = c.prepareStatement(
                     "select xact_commit, xact_rollback from pg_stat_database where datname = current_database()")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** With --profile-sql: the server database's costliest statements since the last reset, per payment. */
    Map<String, Object> statements(int limit, long payments) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(serverDatabaseUrl, db.user(), db.password())) {
            PgStats.enableStatements(c);
            return PgStats.topStatements(c, limit, payments);
        }
    }

    // ------------------------------------------------------------------------------------------------- HTTP

    private String path(String rest) {
        return "/regions/" + regionId + rest;
    }

    private String token(Map<String, Object> claims) throws IOException, InterruptedException {
        return post("/demo/token", claims, null, null).get("access_token").asText();
    }

    /** POSTs JSON and answers the JSON body; throws unless 2xx. */
    private JsonNode post(String path, Object body, String bearer, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? json.createObjectNode() : json.readTree(r.body());
    }

    @Override
    public void close() {
        sampling.set(false);
        tills.forEach(MerchantClient::close);
        setupPool.shutdownNow();
        server.close();
    }
}
