package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.Problem;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import org.junit.jupiter.api.Test;

/**
 * Who may read the reports (finance and admins; officers the programme budgets too; nobody else, and nobody from
 * another town), what a bad parameter answers, and that every report comes as a CSV file Excel opens.
 */
class ReportAccessTest extends ReportFixture {

    /** Every report, with a query a finance clerk might send. */
    private static List<String> reports(Town town) {
        UUID bank = Regions.account(town.id, Purpose.BANK, YEN);
        return List.of("trial-balance?date=2026-06-30", "accounts/" + bank + "/statement?from=2026-06-01&to=2026-06-30",
                "outstanding?date=2026-03-31", "breakage?from=2026-06-01&to=2026-06-30",
                "programme-budgets?from=2026-06-01&to=2026-06-30", "shop-payments?from=2026-06-01&to=2026-06-30",
                "money-flow?from=2026-04-01&to=2026-06-30");
    }

    @Test
    void residentsShopsCashiersIntegrationsAndOtherTownsAreForbiddenEveryReport() {
        at("2026-06-30T12:00:00");
        Town town = newTown();
        Town other = newTown();
        Person resident = town.resident("花子");
        Shop shop = shop(town, "Miyaki Fresh", "みやき生鮮");
        String integration = applicationContext.getBean(ApiKeys.class).issue(town.id, "integration", null, null, "bank feed")
                .apiKey();
        for (String report : reports(town)) {
            for (String format : List.of("", "&format=csv")) {
                String uri = town.path("/reports/" + report + format);
                assertThat(refused(get(uri, resident.token())).status()).as("resident %s", uri).isEqualTo(403);
                assertThat(refused(apiKeyGet(uri, shop.key())).status()).as("shop %s", uri).isEqualTo(403);
                assertThat(refused(get(uri, town.cashier)).status()).as("cashier %s", uri).isEqualTo(403);
                assertThat(refused(apiKeyGet(uri, integration)).status()).as("integration %s", uri).isEqualTo(403);
                assertThat(refused(get(uri, other.finance)).status()).as("another town's finance %s", uri).isEqualTo(403);
                assertThat(refused(get(uri, other.admin)).status()).as("another town's admin %s", uri).isEqualTo(403);
            }
        }
        Problem p = refused(get(town.path("/reports/trial-balance"), town.cashier));
        assertThat(p.type()).isEqualTo("https://yui.jp/problems/forbidden");
        assertThat(p.detail()).isEqualTo("this needs one of the roles finance, admin");
    }

    @Test
    void financeAndAdminsReadEveryReportAndOfficersOnlyTheBudgets() {
        at("2026-06-30T12:00:00");
        Town town = newTown();
        for (String report : reports(town)) {
            String uri = town.path("/reports/" + report);
            assertThat(exchange(get(uri, town.finance)).status().getCode()).as("finance %s", uri).isEqualTo(200);
            assertThat(exchange(get(uri, town.admin)).status().getCode()).as("admin %s", uri).isEqualTo(200);
            if (report.startsWith("programme-budgets")) {
                assertThat(exchange(get(uri, town.officer)).status().getCode()).isEqualTo(200);
            } else {
                assertThat(refused(get(uri, town.officer)).status()).as("officer %s", uri).isEqualTo(403);
            }
        }
        String platform = token("platform-admin", List.of("admin"), null, null);
        assertThat(exchange(get(town.path("/reports/trial-balance"), platform)).status().getCode()).isEqualTo(200);
        assertThat(refused(get("/regions/999999/reports/trial-balance", platform)).status()).isEqualTo(404);
    }

    @Test
    void everyReportComesAsACsvFileForExcelWithJapaneseHeaders() {
        at("2026-06-30T12:00:00");
        Town town = newTown();
        Map<String, String> firstHeaders = Map.of("trial-balance", "基準日", "accounts", "口座ID", "outstanding", "基準日",
                "breakage", "期間開始", "programme-budgets", "期間開始", "shop-payments", "加盟店ID", "money-flow", "月");
        for (String report : reports(town)) {
            CsvFile csv = csv(town, report, town.finance);
            String name = report.substring(0, report.indexOf(report.startsWith("accounts") ? '/' : '?'));
            assertThat(csv.contentType()).as(report).isEqualTo("text/csv; charset=UTF-8");
            assertThat(csv.disposition()).as(report).startsWith("attachment; filename=\"").endsWith(".csv\"");
            assertThat(csv.header().get(0)).as(report).isEqualTo(firstHeaders.get(name));
        }
    }

    @Test
    void badParametersAreValidationProblemsThatSayWhatWasWrong() {
        at("2026-06-30T12:00:00");
        Town town = newTown();
        assertThat(invalid(town, "trial-balance?date=2026-02-30")).isEqualTo("date must be a date like 2027-03-31: 2026-02-30");
        assertThat(invalid(town, "outstanding?date=31/03/2026"))
                .isEqualTo("date must be a date like 2027-03-31: 31/03/2026");
        assertThat(invalid(town, "breakage?from=2026-05-02&to=2026-05-01"))
                .isEqualTo("from 2026-05-02 is after to 2026-05-01");
        assertThat(invalid(town, "money-flow?from=2025-04-01&to=2026-05-06"))
                .isEqualTo("the period 2025-04-01 to 2026-05-06 covers 401 days; at most 400 are allowed");
        assertThat(exchange(get(town.path("/reports/money-flow?from=2025-04-02&to=2026-05-06"), town.finance)).status()
                .getCode()).isEqualTo(200);
        assertThat(invalid(town, "shop-payments?from=1999-04-01")).isEqualTo("from must fall in the years 2000 to 2199: 1999-04-01");
        assertThat(invalid(town, "programme-budgets?format=xlsx")).isEqualTo("format must be json or csv: xlsx");
        assertThat(invalid(town, "accounts/not-an-id/statement")).isEqualTo("accountId must be a UUID: not-an-id");
        UUID bank = Regions.account(town.id, Purpose.BANK, YEN);
        assertThat(invalid(town, "accounts/" + bank + "/statement?limit=0")).isEqualTo("limit must be between 1 and 1000: 0");
        assertThat(invalid(town, "accounts/" + bank + "/statement?from=2026-07-01&to=2026-06-01&format=csv"))
                .isEqualTo("from 2026-07-01 is after to 2026-06-01");
    }

    @Test
    void aStatementOfAnAccountThatIsNotTheTownsIsNotFound() {
        at("2026-06-30T12:00:00");
        Town town = newTown();
        Town other = newTown();
        UUID theirs = Regions.account(other.id, Purpose.BANK, YEN);
        for (String format : List.of("", "&format=csv")) {
            Problem p = refused(get(town.path("/reports/accounts/" + theirs + "/statement?to=2026-06-30" + format),
                    town.finance));
            assertThat(p.status()).isEqualTo(404);
            assertThat(p.detail()).isEqualTo("account " + theirs + " does not exist");
        }
    }

    private String invalid(Town town, String report) {
        Problem p = refused(get(town.path("/reports/" + report), town.finance));
        assertThat(p.status()).as(report).isEqualTo(400);
        assertThat(p.type()).as(report).isEqualTo("https://yui.jp/problems/validation");
        return p.detail();
    }
}
