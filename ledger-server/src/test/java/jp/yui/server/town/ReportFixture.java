package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.server.infra.ApiKeys;
import jp.yui.testsupport.MutableClock;

/**
 * What the report tests share: a server clock they set to business dates in Tokyo, the town's flows over HTTP
 * (campaigns, top-ups, shops, payments, refunds, sweeps), and reading a report as JSON or as CSV.
 */
abstract class ReportFixture extends TownTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    /** The server's clock in report tests; each test sets it before it builds its town. */
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(super.properties());
        p.put("report-test.clock", "movable");
        return p;
    }

    @Factory
    @Requires(property = "report-test.clock", value = "movable")
    static class Clocks {
        @Singleton
        @Replaces(Clock.class)
        Clock clock() {
            return CLOCK;
        }
    }

    /** Sets the server's clock to a local time in Tokyo. */
    static void at(String localDateTime) {
        CLOCK.set(LocalDateTime.parse(localDateTime).atZone(TOKYO).toInstant());
    }

    /** The end of a business day in Tokyo: what "at a date" means. */
    static Instant endOf(String date) {
        return LocalDate.parse(date).plusDays(1).atStartOfDay(TOKYO).toInstant();
    }

    Ledger ledger() {
        return applicationContext.getBean(Ledger.class);
    }

    /** A shop and its till's API key. */
    record Shop(UUID id, String key, String staticPayload) {
    }

    Shop shop(Town town, String name, String nameJa) {
        Map<String, Object> m = ok(post(town.path("/merchants"), Map.of("name", name, "category", "5411", "city", "Miyaki",
                "nameJa", nameJa), town.admin));
        UUID id = UUID.fromString((String) m.get("merchantId"));
        String key = applicationContext.getBean(ApiKeys.class).issue(town.id, "merchant", null, id, "till").apiKey();
        return new Shop(id, key, (String) m.get("staticPayload"));
    }

    /** A +{@code percent}% campaign running today, its budget funded; answers its id and budget account. */
    Map<String, Object> campaign(Town town, int percent, int validDays, long budget) {
        Map<String, Object> c = ok(post(town.path("/campaigns"), Map.of("name", "春のプレミアム", "premiumPercent", percent,
                "validFrom", today().toString(), "validTo", today().plusMonths(1).toString(), "premiumValidDays", validDays),
                town.finance));
        ok(keyed(post(town.path("/campaigns/" + c.get("campaignId") + "/budget"), Map.of("yen", budget), town.finance)));
        return c;
    }

    Map<String, Object> counterTopUp(Town town, Person p, long yen, Object campaignId) {
        Map<String, Object> body = new HashMap<>(Map.of("amount", yen, "channel", "COUNTER"));
        if (campaignId != null) {
            body.put("campaignId", campaignId);
        }
        return ok(keyed(post(town.path("/residents/" + p.id() + "/topups"), body, town.cashier)));
    }

    Map<String, Object> bankTopUp(Town town, Person p, long yen) {
        return ok(keyed(post(town.path("/residents/" + p.id() + "/topups"), Map.of("amount", yen, "channel",
                "BANK_TRANSFER"), town.finance)));
    }

    void convert(Town town, Person p, UUID programme, long points) {
        ok(keyed(post(town.path("/residents/" + p.id() + "/conversions"), Map.of("programmeId", programme.toString(),
                "points", points), p.token())));
    }

    /** The resident pays the shop's printed code; answers the payment id. */
    String pay(Town town, Person p, Shop shop, long yen) {
        return (String) ok(keyed(post(town.path("/residents/" + p.id() + "/payments"), Map.of("payload",
                shop.staticPayload(), "amount", yen), p.token()))).get("paymentId");
    }

    void refund(Town town, Shop shop, String paymentId, long yen) {
        ok(HttpRequest.POST(town.path("/payments/" + paymentId + "/refunds"), Map.of("amount", yen))
                .header(ApiKeys.HEADER, shop.key()).header("Idempotency-Key", UUID.randomUUID().toString()));
    }

    void sweep(Town town) {
        ok(post(town.path("/expiry-sweeps"), Map.of(), town.finance));
    }

    void appropriate(Town town, UUID programme, long points) {
        ok(keyed(post(town.path("/programmes/" + programme + "/budget"), Map.of("points", points), town.finance)));
    }

    /** A report as JSON. */
    Map<String, Object> report(Town town, String pathAndQuery, String token) {
        return ok(get(town.path("/reports/" + pathAndQuery), token));
    }

    /** A report's lines. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lines(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("lines");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> totals(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("totals");
    }

    static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new AssertionError("no number " + key + " in " + m);
        }
        return n.longValue();
    }

    /** A CSV answer: the raw bytes, checked for what Excel needs, and its rows split into cells. */
    record CsvFile(byte[] bytes, String contentType, String disposition, List<List<String>> rows) {
        List<String> header() {
            return rows.get(0);
        }

        List<List<String>> body() {
            return rows.subList(1, rows.size());
        }

        /** The cell of a row under a header. */
        String cell(List<String> row, String header) {
            int i = header().indexOf(header);
            assertThat(i).as("column %s in %s", header, header()).isNotNegative();
            return row.get(i);
        }
    }

    CsvFile csv(Town town, String pathAndQuery, String token) {
        String uri = town.path("/reports/" + pathAndQuery) + (pathAndQuery.contains("?") ? "&" : "?") + "format=csv";
        HttpResponse<byte[]> response = http().exchange(get(uri, token), byte[].class);
        byte[] bytes = response.body();
        assertThat(Arrays.copyOf(bytes, 3)).as("UTF-8 byte order mark").containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).as("every line ends with CRLF").endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).as("no bare line breaks").doesNotContain("\n").doesNotContain("\r");
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            rows.add(splitCsv(line));
        }
        return new CsvFile(bytes, response.getContentType().map(Object::toString).orElse(""),
                response.header("Content-Disposition"), rows);
    }

    /** The cells of a line; the reports' cells hold no line breaks, so a line is a row. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** Every ledger account of the region with its asset, for recomputations that must cover them all. */
    Map<UUID, String> ledgerAccounts(long regionId) throws Exception {
        Map<UUID, String> out = new LinkedHashMap<>();
        try (var c = dataSource().getConnection();
                var ps = c.prepareStatement("select account_id, asset_code from ledger_account where region_id = ?")) {
            ps.setLong(1, regionId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The region's wallets: account id to asset. */
    Map<UUID, String> wallets(long regionId) throws Exception {
        Map<UUID, String> out = new LinkedHashMap<>();
        try (var c = dataSource().getConnection();
                var ps = c.prepareStatement("select account_id, asset_code from wallet where region_id = ?")) {
            ps.setLong(1, regionId);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return out;
    }

    protected static MutableHttpRequest<?> apiKeyGet(String uri, String apiKey) {
        return HttpRequest.GET(uri).header(ApiKeys.HEADER, apiKey);
    }
}
