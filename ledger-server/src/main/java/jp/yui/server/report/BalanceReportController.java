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
import java.time.LocalDate;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/**
 * Finance's reports on balances: the trial balance, any account's statement, and the outstanding balances the
 * Payment Services Act asks for. Each answers JSON, or with {@code format=csv} a CSV file for Excel. Finance staff
 * and admins of the town only; everyone else gets 403 before anything is read.
 */
@Controller("/regions/{regionId}/reports")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class BalanceReportController {

    private final BusinessDay businessDay;
    private final TrialBalanceReport trialBalance;
    private final StatementReport statements;
    private final OutstandingReport outstanding;

    public BalanceReportController(BusinessDay businessDay, TrialBalanceReport trialBalance, StatementReport statements,
            OutstandingReport outstanding) {
        this.businessDay = businessDay;
        this.trialBalance = trialBalance;
        this.statements = statements;
        this.outstanding = outstanding;
    }

    /** The trial balance at the end of {@code date} (default today). */
    @Get("/trial-balance")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.TrialBalance.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> trialBalance(long regionId, @Nullable @QueryValue String date, @Nullable @QueryValue String format,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN);
        LocalDate day = ReportQuery.date("date", date, businessDay.today(regionId));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        ReportApi.TrialBalance report = trialBalance.build(regionId, day);
        return f == ReportQuery.Format.CSV
                ? Csv.attachment("trial-balance-" + regionId + "-" + day + ".csv", TrialBalanceReport.csv(report))
                : HttpResponse.ok(report);
    }

    /**
     * An account's statement over {@code from}–{@code to} (default this month to today), a page of {@code limit}
     * lines after {@code cursor}; as CSV, every page of the period.
     */
    @Get("/accounts/{accountId}/statement")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.Statement.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> statement(long regionId, String accountId, @Nullable @QueryValue String from,
            @Nullable @QueryValue String to, @QueryValue(defaultValue = "0") long cursor,
            @QueryValue(defaultValue = "100") int limit, @Nullable @QueryValue String format,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN);
        UUID account = uuid("accountId", accountId);
        ReportQuery.Period period = ReportQuery.period(from, to, businessDay.today(regionId));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        if (f == ReportQuery.Format.CSV) {
            return Csv.attachment("statement-" + regionId + "-" + account + "-" + period.from() + "-" + period.to() + ".csv",
                    statements.csv(regionId, account, period));
        }
        Problems.requireBetween("limit", limit, 1, 1_000);
        Problems.requireBetween("cursor", cursor, 0, Long.MAX_VALUE);
        return HttpResponse.ok(statements.page(regionId, account, period, cursor, limit));
    }

    /**
     * What residents held at the end of {@code date} (default the latest 31 March or 30 September not after today),
     * per asset and lot source, with the Payment Services Act's test.
     */
    @Get("/outstanding")
    @ApiResponse(responseCode = "200", description = "the report as JSON, or as a CSV file with format=csv",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportApi.Outstanding.class)),
                @Content(mediaType = "text/csv")})
    public HttpResponse<?> outstanding(long regionId, @Nullable @QueryValue String date, @Nullable @QueryValue String format,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.FINANCE, Access.ADMIN);
        LocalDate day = ReportQuery.date("date", date, ReportQuery.latestReferenceDate(businessDay.today(regionId)));
        ReportQuery.Format f = ReportQuery.Format.parse(format);
        ReportApi.Outstanding report = outstanding.build(regionId, day);
        return f == ReportQuery.Format.CSV
                ? Csv.attachment("outstanding-" + regionId + "-" + day + ".csv", OutstandingReport.csv(report))
                : HttpResponse.ok(report);
    }

    /** A path id; a malformed one is a 400 naming it rather than a routing 404. */
    static UUID uuid(String name, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ReportQuery.invalid(name + " must be a UUID: " + text);
        }
    }
}
