package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Access;
import jp.yui.server.report.BusinessDay;
import jp.yui.server.settlement.Reconciliation;
import jp.yui.server.settlement.SettlementApi;
import jp.yui.server.settlement.SettlementController;
import jp.yui.server.settlement.SettlementSettings;
import jp.yui.server.settlement.Settlements;

/**
 * Finance pays the shops and matches the bank: settlement runs (create for a closed period, review the payouts and
 * who was held, download the Zengin payout file, confirm a payout by hand), bank statement import, and the items
 * still unmatched. The same services and the same rule as the API: finance staff and admins of the town only.
 */
@Hidden
@Controller("/app/finance")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class SettlementPages {

    private final Pages pages;
    private final Forms forms;
    private final Settlements settlements;
    private final SettlementController api;
    private final Reconciliation reconciliation;
    private final BusinessDay businessDay;
    private final SettlementSettings settings;

    SettlementPages(Pages pages, Forms forms, Settlements settlements, SettlementController api,
            Reconciliation reconciliation, BusinessDay businessDay, SettlementSettings settings) {
        this.pages = pages;
        this.forms = forms;
        this.settlements = settlements;
        this.api = api;
        this.reconciliation = reconciliation;
        this.businessDay = businessDay;
        this.settings = settings;
    }

    @Get("/settlements")
    HttpResponse<?> runs(HttpRequest<?> request) {
        Visit v = finance(request);
        LocalDate today = businessDay.today(v.regionId());
        List<SettlementApi.RunSummary> runs = settlements.list(v.regionId());
        return pages.page(v, "finance-settlements", Map.of("nav", FinancePages.NAV, "runs", runs,
                "configured", settings.find(v.regionId()).isPresent(),
                "from", today.withDayOfMonth(1).minusMonths(today.getDayOfMonth() == 1 ? 1 : 0).toString(),
                "to", today.minusDays(1).toString()));
    }

    /** Settles a closed period (the same period again answers the same run) and shows the run. */
    @Post(value = "/settlements", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> run(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = finance(request);
        SettlementApi.CreateRun req = forms.valid(new SettlementApi.CreateRun(date("periodFrom", form.get("periodFrom")),
                date("periodTo", form.get("periodTo")), optionalDate("payDate", form.get("payDate"))));
        SettlementApi.Run run = settlements.run(v.regionId(), req, v.subject());
        return Pages.redirect("/app/finance/settlements/" + run.settlementId());
    }

    @Get("/settlements/{settlementId}")
    HttpResponse<?> run(HttpRequest<?> request, String settlementId) {
        Visit v = finance(request);
        SettlementApi.Run run = api.runView(v.regionId(), Forms.uuid("settlementId", settlementId),
                v.user().authentication());
        return pages.page(v, "finance-settlement", Map.of("nav", FinancePages.NAV, "run", run,
                "period", v.fmt().day(run.periodFrom()) + " – " + v.fmt().day(run.periodTo())));
    }

    /** The run's Zengin 総合振込 file, exactly as the API answers it (Shift_JIS, 120-byte records, an attachment). */
    @Get("/settlements/{settlementId}/zengin")
    HttpResponse<?> zengin(HttpRequest<?> request, String settlementId) {
        Visit v = finance(request);
        return api.zengin(v.regionId(), Forms.uuid("settlementId", settlementId), v.user().authentication());
    }

    /** Finance confirms by hand that the bank paid a payout, saying how they know. */
    @Post(value = "/payouts/{payoutId}/paid", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> markPaid(HttpRequest<?> request, String payoutId, @Body Map<String, String> form) {
        Visit v = finance(request);
        SettlementApi.Payout paid = api.markPaid(v.regionId(), Forms.uuid("payoutId", payoutId),
                forms.valid(new SettlementApi.MarkPaid(form.get("note"))), v.user().authentication());
        return Pages.redirect("/app/finance/settlements/" + paid.settlementId());
    }

    @Get("/bank")
    HttpResponse<?> bank(HttpRequest<?> request) {
        Visit v = finance(request);
        return bankPage(v, null, HttpStatus.OK);
    }

    /**
     * Imports a bank statement CSV with its column mapping (the form's defaults fit the common 取引日・摘要・お預り金額・
     * お引出金額 layout). Re-importing a file, or an overlapping export, adds no line twice.
     */
    @Post(value = "/bank", consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> importStatement(HttpRequest<?> request, CompletedFileUpload file, @Part("date") String date,
            @Part("dateFormat") String dateFormat, @Nullable @Part("amount") String amount,
            @Nullable @Part("deposit") String deposit, @Nullable @Part("withdrawal") String withdrawal,
            @Part("description") String description, @Nullable @Part("headerRows") String headerRows) {
        Visit v = finance(request);
        byte[] bytes;
        try {
            bytes = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded statement", e);
        }
        Long header = Forms.number("headerRows", headerRows);
        SettlementApi.ImportStatement req = forms.valid(new SettlementApi.ImportStatement(
                Base64.getEncoder().encodeToString(bytes), file.getFilename(),
                new SettlementApi.ColumnMapping(date, dateFormat, blankToNull(amount), blankToNull(deposit),
                        blankToNull(withdrawal), description, null, null, header == null ? null : header.intValue())));
        SettlementApi.Imported imported = reconciliation.importStatement(v.regionId(), req, v.subject());
        return bankPage(v, imported, HttpStatus.OK);
    }

    /** A person matches a statement line: to a top-up, a payout, or OTHER (a bank fee) with a note. */
    @Post(value = "/bank/lines/{lineId}/match", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> match(HttpRequest<?> request, String lineId, @Body Map<String, String> form) {
        Visit v = finance(request);
        String kind = Forms.required("kind", form.get("kind"));
        SettlementApi.MatchKind k;
        try {
            k = SettlementApi.MatchKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("validation", "Invalid request", "kind must be TOPUP, PAYOUT or OTHER: " + kind);
        }
        String target = form.get("id");
        UUID id = target == null || target.isBlank() ? null : Forms.uuid("id", target);
        reconciliation.match(v.regionId(), Forms.uuid("lineId", lineId),
                forms.valid(new SettlementApi.ManualMatch(k, id, form.get("note"))), v.subject());
        return Pages.redirect("/app/finance/bank");
    }

    private HttpResponse<?> bankPage(Visit v, @Nullable SettlementApi.Imported imported, HttpStatus status) {
        Map<String, Object> model = new HashMap<>();
        model.put("nav", FinancePages.NAV);
        model.put("unmatched", reconciliation.unmatched(v.regionId()));
        if (imported != null) {
            model.put("imported", imported);
        }
        return pages.page(v, "finance-bank", model).status(status);
    }

    private Visit finance(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.FINANCE);
        Access.require(v.caller(), v.regionId(), Access.FINANCE, Access.ADMIN);
        return v;
    }

    private static LocalDate date(String field, @Nullable String text) {
        LocalDate d = optionalDate(field, text);
        if (d == null) {
            throw Problems.badRequest("validation", "Invalid request", field + " is required");
        }
        return d;
    }

    private static @Nullable LocalDate optionalDate(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw Problems.badRequest("validation", "Invalid request", field + " must be a date like 2026-11-15: " + text);
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
