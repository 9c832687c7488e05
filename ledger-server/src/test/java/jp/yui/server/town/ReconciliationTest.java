package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bank statements against the ledger: automatic matches, re-imports that add nothing, and a person's matches. */
class ReconciliationTest extends TownTest {

    private static final DateTimeFormatter SLASHED = DateTimeFormatter.ofPattern("uuuu/MM/dd");
    private static final Map<String, Object> MAPPING = Map.of("date", "取引日", "dateFormat", "uuuu/M/d",
            "deposit", "お預り金額", "withdrawal", "お引出金額", "description", "摘要");

    @Override
    protected Map<String, String> properties() {
        return TownClock.with(super.properties());
    }

    /** A statement as a bank's Excel export: UTF-8 with a BOM, a header row, quoted amounts with separators. */
    private static String csv(String... lines) {
        StringBuilder sb = new StringBuilder("\uFEFF取引日,摘要,お預り金額,お引出金額,残高\r\n");
        for (String line : lines) {
            sb.append(line).append("\r\n");
        }
        return Base64.getEncoder().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> importStatement(Town town, String file) {
        return ok(post(town.path("/bank-statements"), Map.of("fileBase64", file, "fileName", "statement.csv",
                "mapping", MAPPING), town.finance));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStatementMatchesPayoutsAndTopUpsOnceAndLeavesTheRestToAPerson() {
        // The server's clock runs days apart from the database's: every date must come from the server's clock.
        TownClock.CLOCK.advance(Duration.ofDays(10));
        Town town = newTown();
        ok(HttpRequest.PUT(town.path("/settlement-settings"), Map.of("cycle", "ON_DEMAND", "feeRateBasisPoints", 0,
                "minimumPayout", 1, "requesterCode", "0000012345", "requesterName", "ミヤキチョウ",
                "account", Map.of("bankCode", "0182", "branchCode", "123", "accountType", "ORDINARY",
                        "accountNumber", "1234567"))).bearerAuth(town.finance));
        Shop shop = shop(town, "Miyaki Fresh");
        ok(HttpRequest.PUT(town.path("/merchants/" + shop.id() + "/bank-account"), Map.of("bankCode", "0182",
                "branchCode", "456", "accountType", "ORDINARY", "accountNumber", "7654321")).bearerAuth(town.finance));
        Person hana = funded(town, "花子", 5_000);
        Person taro = town.resident("太郎");
        ok(keyed(post(town.path("/residents/" + taro.id() + "/topups"), Map.of("amount", 7_000, "channel", "BANK_TRANSFER"),
                town.finance)));
        pay(town, hana, shop.staticPayload(), 3_210L);
        LocalDate day = today();
        TownClock.CLOCK.advance(Duration.ofDays(1));
        Map<String, Object> run = ok(post(town.path("/settlements"), Map.of("periodFrom", day.toString(),
                "periodTo", day.toString()), town.finance));
        Map<String, Object> payout = ((List<Map<String, Object>>) run.get("payouts")).get(0);
        LocalDate payDay = LocalDate.parse((String) payout.get("scheduledFor"));

        String file = csv(day.format(SLASHED) + ",振込 ﾀﾛｳ,\"7,000\",,",
                payDay.format(SLASHED) + ",総合振込,,\"3,210\",",
                payDay.format(SLASHED) + ",利息,12,,");
        Map<String, Object> imported = importStatement(town, file);
        assertThat(imported).containsEntry("lineCount", 3).containsEntry("newLines", 3).containsEntry("matched", 2)
                .containsEntry("alreadyImported", false);
        assertThat(ok(get(town.path("/merchants/" + shop.id() + "/payouts"), town.finance)).get("items").toString())
                .contains("status=PAID");
        Map<String, Object> open = ok(get(town.path("/reconciliation"), town.finance));
        assertThat((List<Map<String, Object>>) open.get("lines")).singleElement()
                .satisfies(l -> assertThat(l).containsEntry("description", "利息").containsEntry("amount", 12));
        assertThat((List<?>) open.get("topUps")).isEmpty();
        assertThat((List<?>) open.get("payouts")).isEmpty();

        // The same file again, and a later export overlapping it, add nothing twice.
        assertThat(importStatement(town, file)).containsEntry("alreadyImported", true);
        Map<String, Object> overlapping = importStatement(town, csv(payDay.format(SLASHED) + ",利息,12,,",
                payDay.plusDays(1).format(SLASHED) + ",手数料,,440,"));
        assertThat(overlapping).containsEntry("lineCount", 2).containsEntry("newLines", 1).containsEntry("matched", 0);

        // A person explains the rest; the note and who are kept.
        List<Map<String, Object>> lines = (List<Map<String, Object>>) ok(get(town.path("/reconciliation"), town.finance))
                .get("lines");
        assertThat(lines).hasSize(2);
        String interest = (String) lines.get(0).get("lineId");
        assertThat(refused(post(town.path("/bank-lines/" + interest + "/match"), Map.of("kind", "OTHER"), town.finance))
                .type()).endsWith("/validation");
        Map<String, Object> matched = ok(post(town.path("/bank-lines/" + interest + "/match"),
                Map.of("kind", "OTHER", "note", "deposit interest"), town.finance));
        assertThat(matched).containsEntry("status", "MATCHED").containsEntry("matchedKind", "OTHER")
                .containsEntry("matchedBy", "finance-" + town.id).containsEntry("matchNote", "deposit interest");
        assertThat(refused(post(town.path("/bank-lines/" + interest + "/match"), Map.of("kind", "OTHER", "note", "again"),
                town.finance)).type()).endsWith("/already-matched");
        assertThat((List<?>) ok(get(town.path("/reconciliation"), town.finance)).get("lines")).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoCandidatesAreLeftForAPersonAndAWrongAmountIsRefused() {
        Town town = newTown();
        Person a = town.resident("A");
        Person b = town.resident("B");
        for (Person p : List.of(a, b)) {
            ok(keyed(post(town.path("/residents/" + p.id() + "/topups"), Map.of("amount", 5_000, "channel", "BANK_TRANSFER"),
                    town.finance)));
        }
        Map<String, Object> imported = importStatement(town, csv(today().format(SLASHED) + ",振込 ｴｰ,5000,,"));
        assertThat(imported).containsEntry("matched", 0);
        Map<String, Object> open = ok(get(town.path("/reconciliation"), town.finance));
        String line = (String) ((List<Map<String, Object>>) open.get("lines")).get(0).get("lineId");
        List<Map<String, Object>> topUps = (List<Map<String, Object>>) open.get("topUps");
        assertThat(topUps).hasSize(2);
        String topUp = (String) topUps.stream().filter(t -> t.get("residentId").equals(a.id().toString())).findFirst()
                .orElseThrow().get("topUpId");
        ok(post(town.path("/bank-lines/" + line + "/match"), Map.of("kind", "TOPUP", "id", topUp, "note", "name says A"),
                town.finance));
        assertThat((List<?>) ok(get(town.path("/reconciliation"), town.finance)).get("topUps")).hasSize(1);

        Map<String, Object> other = importStatement(town, csv(today().format(SLASHED) + ",振込 ﾋﾞｰ,4999,,"));
        String wrong = (String) ((List<Map<String, Object>>) ok(get(town.path("/reconciliation"), town.finance))
                .get("lines")).get(0).get("lineId");
        assertThat(other).containsEntry("matched", 0);
        assertThat(refused(post(town.path("/bank-lines/" + wrong + "/match"), Map.of("kind", "TOPUP", "id", topUp,
                "note", "x"), town.finance)).type()).endsWith("/amount-mismatch");
    }

    @Test
    void aBadFileOrMappingIsAClearProblemAndFinanceOnly() {
        Town town = newTown();
        Person hana = town.resident("花子");
        assertThat(refused(post(town.path("/bank-statements"), Map.of("fileBase64", "%%%", "mapping", MAPPING),
                town.finance)).detail()).startsWith("fileBase64 is not base64");
        assertThat(refused(post(town.path("/bank-statements"), Map.of("fileBase64", csv("2026/1/1,x,1,,"),
                "mapping", Map.of("date", "日付", "dateFormat", "uuuu/M/d", "amount", "金額", "description", "摘要")),
                town.finance)).type()).endsWith("/validation");
        Map<String, Object> withBadLine = importStatement(town, csv("2026/13/40,x,1,,", "2026/1/2,y,2,,"));
        assertThat(withBadLine).containsEntry("lineCount", 1);
        assertThat(withBadLine.get("errors").toString()).contains("lineNumber=2");
        for (String token : List.of(hana.token(), town.cashier, town.officer)) {
            assertThat(refused(post(town.path("/bank-statements"), Map.of("fileBase64", csv(), "mapping", MAPPING), token))
                    .status()).isEqualTo(403);
            assertThat(refused(get(town.path("/reconciliation"), token)).status()).isEqualTo(403);
        }
    }
}
