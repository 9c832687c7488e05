package jp.yui.server.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/**
 * Finance's reports on what moved in a period ({@code from}–{@code to}, business days in the town's zone, both
 * included, at most {@value ReportQuery#MAX_DAYS} days; by default this month to today): breakage, programme budget
 * use, payments per shop and the town's money flow per month. Each answers JSON, or with {@code format=csv} a CSV
 * file for Excel. Finance staff and admins of the town only (programme officers may also read the budgets); everyone
 * else gets 403 before anything is read.
 */
@Controller("/regions/{regionId}/reports")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class FlowReportController {

    private final BusinessDay businessDay;
    private final BreakageReport breakage;
    private final ProgrammeBudgetReport budgets;
    private final ShopPaymentReport shopPayments;
    private final MoneyFlowReport moneyFlow;

    public FlowReportController(BusinessDay businessDay, BreakageReport breakage, ProgrammeBudgetReport budgets,
            ShopPaymentReport shopPayments, MoneyFlowReport moneyFlow) {
        this.businessDay = businessDay;
        this.breakage = breakage;
        this.budgets = budgets;
        this.shopPayments = shopPayments;
        this.moneyFlow = moneyFlow;
    }

    /** Value swept to breakage in the period, per asset and lot source. */
    @Get("/breakage")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.Breakage.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> breakage(long regionId, @Nullable @QueryValue String from, @Nullable @QueryValue String to,
            @Nullable @QueryValue String format, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN);
        ReportQuery.Period period = ReportQuery.period(from, to, businessDay.today(regionId));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        ReportApi.Breakage report = breakage.build(regionId, period);
        return f == ReportQuery.Format.CSV
                ? Csv.attachment(name("breakage", regionId, period), BreakageReport.csv(report))
                : HttpResponse.ok(report);
    }

    /** Per programme: appropriated, awarded and remaining, in the period and to its end. */
    @Get("/programme-budgets")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.ProgrammeBudgets.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> programmeBudgets(long regionId, @Nullable @QueryValue String from,
            @Nullable @QueryValue String to, @Nullable @QueryValue String format, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN, Access.OFFICER);
        ReportQuery.Period period = ReportQuery.period(from, to, businessDay.today(regionId));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        ReportApi.ProgrammeBudgets report = budgets.build(regionId, period);
        return f == ReportQuery.Format.CSV
                ? Csv.attachment(name("programme-budgets", regionId, period), ProgrammeBudgetReport.csv(report))
                : HttpResponse.ok(report);
    }

    /** Per shop: payments, refunds and net in the period, with totals. */
    @Get("/shop-payments")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.ShopPayments.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> shopPayments(long regionId, @Nullable @QueryValue String from, @Nullable @QueryValue String to,
            @Nullable @QueryValue String format, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN);
        ReportQuery.Period period = ReportQuery.period(from, to, businessDay.today(regionId));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        ReportApi.ShopPayments report = shopPayments.build(regionId, period);
        return f == ReportQuery.Format.CSV
                ? Csv.attachment(name("shop-payments", regionId, period), ShopPaymentReport.csv(report))
                : HttpResponse.ok(report);
    }

    /** The town's money per month and asset: charged, awarded, converted, spent, expired, paid out. */
    @Get("/money-flow")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.MoneyFlow.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> moneyFlow(long regionId, @Nullable @QueryValue String from, @Nullable @QueryValue String to,
            @Nullable @QueryValue String format, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN);
        ReportQuery.Period period = ReportQuery.period(from, to, businessDay.today(regionId));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        ReportApi.MoneyFlow report = moneyFlow.build(regionId, period);
        return f == ReportQuery.Format.CSV
                ? Csv.attachment(name("money-flow", regionId, period), MoneyFlowReport.csv(report))
                : HttpResponse.ok(report);
    }

    private static String name(String report, long regionId, ReportQuery.Period period) {
        return report + "-" + regionId + "-" + period.from() + "-" + period.to() + ".csv";
    }
}
