package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.yui.server.region.Access;
import jp.yui.server.region.Regions;
import jp.yui.server.report.BalanceReportController;
import jp.yui.server.report.BusinessDay;
import jp.yui.server.report.FlowReportController;
import jp.yui.server.report.ReportApi;

/**
 * The finance console's overview and reports: the town's money flow by month, points awarded by programme and
 * value expiring ahead (as charts, with their numbers in tables), programme budgets, the journal's seal status, the
 * trial balance and the reference-date (基準日) report, each with its CSV for Excel.
 *
 * <p>Every report is read through the API's own report controller with the session's authentication, so the page
 * shows exactly what the API would answer this person, and refuses whom the API refuses (finance staff and admins
 * of the town only).
 */
@Hidden
@Controller("/app/finance")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class FinancePages {

    static final List<Nav> NAV = List.of(new Nav("/app/finance", "finance.nav.overview"),
            new Nav("/app/finance/trial-balance", "finance.nav.trialBalance"),
            new Nav("/app/finance/outstanding", "finance.nav.outstanding"),
            new Nav("/app/finance/settlements", "finance.nav.settlements"),
            new Nav("/app/finance/settings", "finance.nav.settings"),
            new Nav("/app/finance/bank", "finance.nav.bank"),
            new Nav("/app/finance/seals", "finance.nav.seals"));

    private final Pages pages;
    private final FlowReportController flows;
    private final BalanceReportController balances;
    private final BusinessDay businessDay;
    private final ExpiringAhead expiring;
    private final SealStatus seals;

    FinancePages(Pages pages, FlowReportController flows, BalanceReportController balances, BusinessDay businessDay,
            ExpiringAhead expiring, SealStatus seals) {
        this.pages = pages;
        this.flows = flows;
        this.balances = balances;
        this.businessDay = businessDay;
        this.expiring = expiring;
        this.seals = seals;
    }

    /** A row of a table that goes with a chart: the category, then one formatted value per series. */
    record ChartRow(String category, List<String> values) {
    }

    /** A chart, its legend and its numbers. */
    record Chart(String id, String title, String svg, List<String> legend, List<String> columns, List<ChartRow> rows) {
    }

    @Get
    HttpResponse<?> overview(HttpRequest<?> request) {
        Visit v = finance(request);
        LocalDate today = businessDay.today(v.regionId());
        LocalDate fiscalStart = LocalDate.of(Regions.fiscalYear(today), 4, 1);
        ReportApi.MoneyFlow flow = (ReportApi.MoneyFlow) flows.moneyFlow(v.regionId(), fiscalStart.toString(),
                today.toString(), null, v.user().authentication()).body();
        ReportApi.ProgrammeBudgets budgets = (ReportApi.ProgrammeBudgets) flows.programmeBudgets(v.regionId(),
                fiscalStart.toString(), today.toString(), null, v.user().authentication()).body();
        Map<String, Object> model = new HashMap<>();
        model.put("nav", NAV);
        model.put("period", v.fmt().day(fiscalStart) + " – " + v.fmt().day(today));
        model.put("charts", List.of(moneyFlowChart(v, request, flow, fiscalStart, today),
                awardedChart(v, request, budgets), expiringChart(v, request, today)));
        model.put("budgets", budgets.lines());
        model.put("seal", seals.of(v));
        return pages.page(v, "finance", model);
    }

    @Get("/trial-balance")
    HttpResponse<?> trialBalance(HttpRequest<?> request, @Nullable @QueryValue String date) {
        Visit v = finance(request);
        ReportApi.TrialBalance report = (ReportApi.TrialBalance) balances.trialBalance(v.regionId(), blankToNull(date),
                null, v.user().authentication()).body();
        return pages.page(v, "finance-trial-balance", Map.of("nav", NAV, "report", report,
                "date", report.parameters().date().toString(), "day", v.fmt().day(report.parameters().date())));
    }

    /** The trial balance as the API's CSV file (UTF-8 with a BOM, for Excel). */
    @Get("/trial-balance.csv")
    HttpResponse<?> trialBalanceCsv(HttpRequest<?> request, @Nullable @QueryValue String date) {
        Visit v = finance(request);
        return balances.trialBalance(v.regionId(), blankToNull(date), "csv", v.user().authentication());
    }

    /** What residents held at the end of a reference date (default: the latest 31 March or 30 September). */
    @Get("/outstanding")
    HttpResponse<?> outstanding(HttpRequest<?> request, @Nullable @QueryValue String date) {
        Visit v = finance(request);
        ReportApi.Outstanding report = (ReportApi.Outstanding) balances.outstanding(v.regionId(), blankToNull(date), null,
                v.user().authentication()).body();
        return pages.page(v, "finance-outstanding", Map.of("nav", NAV, "report", report,
                "date", report.parameters().date().toString(), "day", v.fmt().day(report.parameters().date())));
    }

    @Get("/outstanding.csv")
    HttpResponse<?> outstandingCsv(HttpRequest<?> request, @Nullable @QueryValue String date) {
        Visit v = finance(request);
        return balances.outstanding(v.regionId(), blankToNull(date), "csv", v.user().authentication());
    }

    @Get("/programme-budgets.csv")
    HttpResponse<?> budgetsCsv(HttpRequest<?> request) {
        Visit v = finance(request);
        LocalDate today = businessDay.today(v.regionId());
        LocalDate fiscalStart = LocalDate.of(Regions.fiscalYear(today), 4, 1);
        return flows.programmeBudgets(v.regionId(), fiscalStart.toString(), today.toString(), "csv",
                v.user().authentication());
    }

    @Get("/money-flow.csv")
    HttpResponse<?> moneyFlowCsv(HttpRequest<?> request) {
        Visit v = finance(request);
        LocalDate today = businessDay.today(v.regionId());
        LocalDate fiscalStart = LocalDate.of(Regions.fiscalYear(today), 4, 1);
        return flows.moneyFlow(v.regionId(), fiscalStart.toString(), today.toString(), "csv", v.user().authentication());
    }

    /** Finance staff or admins of the town, as the API's reports require. */
    private Visit finance(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.FINANCE);
        Access.require(v.caller(), v.regionId(), Access.FINANCE, Access.ADMIN);
        return v;
    }

    // --- charts ---

    /** The currency's money per month of the fiscal year: charged, spent at shops, paid out to shops. */
    private Chart moneyFlowChart(Visit v, HttpRequest<?> request, ReportApi.MoneyFlow flow, LocalDate from,
            LocalDate to) {
        List<String> months = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
            months.add(m.toString());
        }
        Map<String, ReportApi.MoneyFlowLine> byMonth = new HashMap<>();
        for (ReportApi.MoneyFlowLine line : flow.lines()) {
            if (v.fmt().isCurrency(line.assetCode()) && line.month() != null) {
                byMonth.put(line.month(), line);
            }
        }
        List<String> legend = List.of(pages.message(request, "chart.flow.charged"),
                pages.message(request, "chart.flow.converted"), pages.message(request, "chart.flow.spent"),
                pages.message(request, "chart.flow.paidOut"));
        List<List<Long>> values = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<ChartRow> rows = new ArrayList<>();
        for (String m : months) {
            ReportApi.MoneyFlowLine l = byMonth.get(m);
            long[] vals = l == null ? new long[4] : new long[] {l.charged(), l.converted(), l.spent(), l.paidOut()};
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                values.get(i).add(vals[i]);
                cells.add(v.fmt().yen(vals[i]));
            }
            rows.add(new ChartRow(v.fmt().month(m), cells));
        }
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            series.add(new Charts.Series(legend.get(i), values.get(i)));
        }
        String title = pages.message(request, "chart.flow.title");
        String svg = Charts.bars(title, axisMonths(v, months), series, v.fmt()::yen, pages.message(request, "chart.empty"));
        return new Chart("money-flow", title, svg, legend, legend, rows);
    }

    /** Points awarded this fiscal year, by programme. */
    private Chart awardedChart(Visit v, HttpRequest<?> request, ReportApi.ProgrammeBudgets budgets) {
        List<String> names = new ArrayList<>();
        List<Long> awarded = new ArrayList<>();
        List<ChartRow> rows = new ArrayList<>();
        for (ReportApi.ProgrammeBudgetLine l : budgets.lines()) {
            names.add(l.name());
            awarded.add(l.awardedInPeriod());
            rows.add(new ChartRow(l.name(), List.of(v.fmt().points(l.awardedInPeriod()), v.fmt().number(l.awardsInPeriod()))));
        }
        String title = pages.message(request, "chart.awarded.title");
        String series = pages.message(request, "chart.awarded.points");
        String svg = Charts.bars(title, names, List.of(new Charts.Series(series, awarded)), v.fmt()::points,
                pages.message(request, "chart.empty"));
        return new Chart("awarded", title, svg, List.of(series), List.of(series, pages.message(request,
                "chart.awarded.count")), rows);
    }

    /** Value in residents' wallets that expires in each of the next twelve months, by asset. */
    private Chart expiringChart(Visit v, HttpRequest<?> request, LocalDate today) {
        List<String> months = new ArrayList<>();
        for (int i = 0; i < ExpiringAhead.MONTHS; i++) {
            months.add(YearMonth.from(today).plusMonths(i).toString());
        }
        Map<String, Map<String, Long>> byAsset = expiring.byAssetAndMonth(v.regionId());
        List<String> assets = new ArrayList<>(byAsset.keySet());
        List<Charts.Series> series = new ArrayList<>();
        for (String asset : assets) {
            series.add(new Charts.Series(asset, months.stream().map(m -> byAsset.get(asset).getOrDefault(m, 0L)).toList()));
        }
        List<ChartRow> rows = new ArrayList<>();
        for (String m : months) {
            rows.add(new ChartRow(v.fmt().month(m), assets.stream()
                    .map(a -> v.fmt().amount(a, byAsset.get(a).getOrDefault(m, 0L))).toList()));
        }
        String title = pages.message(request, "chart.expiring.title");
        String svg = Charts.bars(title, axisMonths(v, months), series, v.fmt()::number,
                pages.message(request, "chart.empty"));
        return new Chart("expiring", title, svg, assets, assets, rows);
    }

    /** Months along a chart's bottom: short, with the year under the first month and under each January. */
    private static List<String> axisMonths(Visit v, List<String> months) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            labels.add(v.fmt().shortMonth(months.get(i), i == 0 || months.get(i).endsWith("-01")));
        }
        return labels;
    }

    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
