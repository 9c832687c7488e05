package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.type.Argument;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import jp.yui.server.infra.Problem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seals time-stamped by an RFC 3161 authority ({@code yui.seals.tsa-url}): here a real one built with
 * BouncyCastle on a loopback port ({@link LocalTsa}). The token is over the seal statement's digest, travels in the
 * export, and the verifier checks it; an authority that fails means no seal rather than an unstamped one.
 */
class SealTsaTest extends SealFixture {

    private final LocalTsa tsa = LocalTsa.start("Yui Test TSA");

    @Override
    Map<String, String> more() {
        return Map.of("yui.seals.tsa-url", tsa.url(), "yui.seals.tsa-timeout", "5s");
    }

    @AfterEach
    void authorityBackUp() {
        tsa.mode = LocalTsa.Mode.STAMP;
    }

    @AfterAll
    void stopAuthority() {
        tsa.close();
    }

    @Test
    void sealCarriesATokenOverItsStatementAndTheExportVerifiesWithIt() throws Exception {
        long region = newRegion();
        batch(region, 2);

        Map<String, Object> seal = seal(region);

        @SuppressWarnings("unchecked")
        Map<String, Object> timestamp = (Map<String, Object>) seal.get("timestamp");
        assertThat(timestamp).containsEntry("status", "STAMPED").containsEntry("authority", "CN=Yui Test TSA")
                .containsKeys("time", "token");
        SealStatement statement = new SealStatement(region, 1, ((Number) seal.get("batchSeq")).longValue(), 2,
                (String) seal.get("headHash"), Instant.parse((String) seal.get("sealedAt")), (String) seal.get("keyId"));
        assertThat(HexFormat.of().formatHex(tsa.lastDigest())).isEqualTo(HexFormat.of().formatHex(statement.digest()));

        Path export = export(region, "");
        Path key = publicKey(region);
        Path tsaCert = files.resolve("tsa.pem");
        Files.writeString(tsaCert, tsa.certificatePem());
        Run carried = verifyExport("--export", export, "--public-key", key);
        Run trusted = verifyExport("--export", export, "--public-key", key, "--tsa-cert", tsaCert);

        assertThat(carried.exit()).as(carried.toString()).isZero();
        assertThat(carried.out()).contains("; time-stamped " + timestamp.get("time") + " by CN=Yui Test TSA (checked with the "
                + "certificate the token carries; give --tsa-cert to check who made it)\n")
                .endsWith("OK: 2 transfers, 1 batch, 1 seal verified up to seq 2\n");
        assertThat(trusted.exit()).as(trusted.toString()).isZero();
        assertThat(trusted.out()).contains(" by CN=Yui Test TSA (checked with the given TSA certificate)\n");
    }

    @Test
    void tokenOfAnotherSealIsRefused() throws Exception {
        long region = newRegion();
        batch(region, 1);
        Map<String, Object> first = seal(region);
        Map<String, Object> second = seal(region);
        Path export = export(region, "");

        Path swapped = altered(export, lines -> {
            lines.set(1, lines.get(1).replace(token(first), token(second)));
            return lines;
        });

        Run run = verifyExport("--export", swapped, "--public-key", publicKey(region));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: seal 1 time-stamp invalid: the time-stamp token is over another digest than "
                + "this seal's\n");
    }

    @Test
    void tokenFromAnotherAuthorityThanTheTrustedOneIsRefused() throws Exception {
        long region = newRegion();
        batch(region, 1);
        seal(region);
        Path otherCert = files.resolve("other-tsa.pem");
        try (LocalTsa other = LocalTsa.start("Other TSA")) {
            Files.writeString(otherCert, other.certificatePem());
        }

        Run run = verifyExport("--export", export(region, ""), "--public-key", publicKey(region), "--tsa-cert", otherCert);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED: seal 1 time-stamp invalid: the time-stamp token's signature does not verify "
                + "with CN=Other TSA: ");
    }

    @Test
    void changedTimeBesideTheTokenIsRefused() throws Exception {
        long region = newRegion();
        batch(region, 1);
        Map<String, Object> seal = seal(region);
        String time = (String) timestamp(seal).get("time");

        Path changed = altered(export(region, ""), lines -> {
            lines.set(1, lines.get(1).replace("\"tsaTime\":\"" + time + "\"", "\"tsaTime\":\"2020-01-01T00:00:00Z\""));
            return lines;
        });

        Run run = verifyExport("--export", changed, "--public-key", publicKey(region));
        assertThat(run.out()).isEqualTo("FAILED: seal 1 says it was time-stamped at 2020-01-01T00:00:00Z, but its token says "
                + time + "\n");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void authorityThatFailsMeansNoSeal() {
        long region = newRegion();
        batch(region, 1);
        Seals seals = applicationContext.getBean(Seals.class);

        tsa.mode = LocalTsa.Mode.HTTP_ERROR;
        Problem down = refusedSeal(region);
        List<SealApi.Seal> scheduledWhileDown = seals.sealAll().stream().filter(s -> s.regionId() == region).toList();
        tsa.mode = LocalTsa.Mode.REFUSE;
        Problem refusing = refusedSeal(region);

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.type()).isEqualTo("https://yui.jp/problems/tsa-unavailable");
        assertThat(down.detail()).isEqualTo("seal not made: the time-stamp authority " + tsa.url() + " answered HTTP 500");
        assertThat(scheduledWhileDown).isEmpty();
        assertThat(refusing.detail()).startsWith("seal not made: the time-stamp authority refused: status 2");
        assertThat(page(region)).isEmpty();

        tsa.mode = LocalTsa.Mode.STAMP;
        assertThat(seals.sealAll().stream().filter(s -> s.regionId() == region))
                .singleElement().satisfies(s -> {
                    assertThat(s.sealSeq()).as("numbered without gaps").isEqualTo(1);
                    assertThat(s.timestamp().status()).isEqualTo("STAMPED");
                });
    }

    private Problem refusedSeal(long region) {
        HttpClientResponseException[] caught = new HttpClientResponseException[1];
        assertThatThrownBy(() -> http().exchange(post("/regions/" + region + "/seals", Map.of(), finance(region))))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> caught[0] = e);
        return problem(caught[0]);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> page(long region) {
        return (List<Map<String, Object>>) http().retrieve(get("/regions/" + region + "/seals", finance(region)),
                Argument.mapOf(String.class, Object.class)).get("seals");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> timestamp(Map<String, Object> seal) {
        return (Map<String, Object>) seal.get("timestamp");
    }

    private static String token(Map<String, Object> seal) {
        return (String) timestamp(seal).get("token");
    }
}
