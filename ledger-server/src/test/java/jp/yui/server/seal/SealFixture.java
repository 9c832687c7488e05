package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.ledger.Transfer;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.ServerTest;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with towns whose journals hold batches of every kind of transfer, and the steps of an audit: seal,
 * download the export and the public key, run {@code verify-export} and read what it printed.
 */
abstract class SealFixture extends ServerTest {

    static final String YEN = "MIYAKI-PAY";
    private static final AtomicLong REGIONS = new AtomicLong(300);

    @TempDir
    Path files;

    final List<Long> regions = new ArrayList<>();

    /** Demo tokens, no demo town, and no job running on its own while a test looks. */
    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new java.util.HashMap<>(Map.of("yui.demo.seed", "false", "yui.seals.initial-delay", "1h",
                "yui.expiry.initial-delay", "1h", "yui.reconcile.initial-delay", "1h"));
        p.putAll(more());
        return p;
    }

    /** Settings of a subclass's server. */
    Map<String, String> more() {
        return Map.of();
    }

    /** A town made over HTTP by a platform admin: its currency and chart of accounts, no transfers yet. */
    long newRegion() {
        long id = REGIONS.incrementAndGet();
        String platform = token("platform-admin", List.of("admin"), null, null);
        http().retrieve(post("/regions", Map.of("regionId", id, "name", "みやき町", "zone", "Asia/Tokyo",
                "currency", Map.of("code", YEN, "walletCeiling", 100_000), "points", List.of()), platform),
                Argument.mapOf(String.class, Object.class));
        regions.add(id);
        return id;
    }

    String finance(long region) {
        return token("finance-" + region, List.of("finance"), region, null);
    }

    String tokenFor(String role, long region) {
        return token(role + "-" + region, List.of(role), region,
                role.equals("resident") ? UUID.randomUUID() : null);
    }

    Ledger ledger() {
        return applicationContext.getBean(Ledger.class);
    }

    /**
     * One ledger batch of {@code size} transfers (one submission commits as one batch): yen taken in at the bank,
     * the first with metadata that needs escaping, and from the third on a lot-tracked wallet credited with a lot
     * and an expiry, a hold with a timeout and its partial post, so every field of the canonical form is exercised.
     */
    List<Transfer> batch(long region, int size) {
        UUID bank = Regions.account(region, Purpose.BANK, YEN);
        UUID fees = Regions.account(region, Purpose.FEE_REVENUE, YEN);
        UUID wallet = ledger().createAccount(region, AccountSpec.of(UUID.nameUUIDFromBytes(("wallet-" + region)
                .getBytes(StandardCharsets.UTF_8)), YEN, Side.CREDIT, AccountFlag.NO_OVERDRAFT, AccountFlag.LOT_TRACKED)).id();
        List<TransferRequest> requests = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            UUID id = UUID.randomUUID();
            TransferRequest r;
            switch (i % 4) {
                case 0 -> r = TransferRequest.posted(id, bank, fees, 100 + i, "FEE")
                        .withMetadata(Map.of("memo", "\"quoted\" \\ back|slash 結", "till", "3"));
                case 1 -> r = TransferRequest.posted(id, bank, wallet, 1_000 + i, "TOP_UP")
                        .withLot("PAID", Instant.now().plus(Duration.ofDays(400)).truncatedTo(ChronoUnit.DAYS));
                case 2 -> r = TransferRequest.pending(id, wallet, fees, 50, "HOLD", Duration.ofMinutes(30));
                default -> r = TransferRequest.postPending(id, requests.get(i - 1).id(), 20);
            }
            requests.add(r);
        }
        List<Transfer> out = new ArrayList<>();
        for (TransferOutcome o : ledger().execute(region, requests)) {
            assertThat(o.result()).as("%s", o).isEqualTo(TransferResult.OK);
            out.add(o.transfer());
        }
        assertThat(out).extracting(Transfer::batchSeq).containsOnly(out.get(0).batchSeq());
        return out;
    }

    /** Seals the region on demand as its finance officer. */
    Map<String, Object> seal(long region) {
        return http().retrieve(post("/regions/" + region + "/seals", Map.of(), finance(region)),
                Argument.mapOf(String.class, Object.class));
    }

    /** The region's public seal key, saved as the auditor would. */
    Path publicKey(long region) throws IOException {
        String pem = http().retrieve(get("/regions/" + region + "/seals/public-key", finance(region)), String.class);
        Path file = files.resolve("key-" + region + "-" + UUID.randomUUID() + ".pem");
        Files.writeString(file, pem);
        return file;
    }

    /** A raw GET through the JDK's client, as {@code curl} would make it: the body streams into a file. */
    HttpResponse<Path> download(String pathAndQuery, String token) throws IOException, InterruptedException {
        URI base = applicationContext.getBean(EmbeddedServer.class).getURI();
        Path file = files.resolve("export-" + UUID.randomUUID() + ".jsonl");
        return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
    }

    /** The region's export, downloaded by its finance officer. */
    Path export(long region, String query) throws IOException, InterruptedException {
        HttpResponse<Path> r = download("/regions/" + region + "/journal/export" + query, finance(region));
        assertThat(r.statusCode()).as(Files.readString(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(SealController.NDJSON);
        return r.body();
    }

    /** What {@code verify-export} answered. */
    record Run(int exit, String out, String err) {
    }

    /** Runs {@code verify-export} with these arguments, as {@code Application.main} would, capturing its output. */
    static Run verifyExport(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] strings = java.util.Arrays.stream(args).map(Object::toString).toArray(String[]::new);
        int exit = VerifyExportCommand.run(strings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A copy of the export with its lines changed by {@code edit} (which may drop, add or swap lines). */
    Path altered(Path export, java.util.function.UnaryOperator<List<String>> edit) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(export, StandardCharsets.UTF_8));
        Path file = files.resolve("altered-" + UUID.randomUUID() + ".jsonl");
        Files.write(file, edit.apply(lines), StandardCharsets.UTF_8);
        return file;
    }

    /** The index of the line of transfer seq {@code seq}. */
    static int lineOfSeq(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"type\":\"transfer\",\"seq\":" + seq + ",")) {
                return i;
            }
        }
        throw new AssertionError("no transfer seq " + seq);
    }

    @AfterAll
    void everyRegionStillVerifies() {
        for (long id : regions) {
            assertThat(ledger().verify(id).problems()).as("verify region %s", id).isEmpty();
        }
    }
}
