package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.payment.PaymentController;
import jp.yui.server.region.Regions;

/**
 * A shop's past takings, one business day at a time (a day in the town's zone, today by default, with links to the
 * day before and after): that day's payments, newest first, each with what is left to refund and its 返金 button,
 * which leads to the refund pages ({@link RefundPages}), {@value #PAGE_SIZE} at a time.
 *
 * <p>The payments are read through the API's own {@code GET …/payments?from=&to=&cursor=} with the session's
 * authentication, and its cursor pages them, so a shop sees here exactly what its till sees there: only its own
 * payments, and never who paid. A date that is not a day from {@link #EARLIEST} to today shows the form again with
 * what is wrong, 400.
 */
@Hidden
@Controller("/app/shop/days")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ShopDayPages {

    /** Payments per page. */
    static final int PAGE_SIZE = 50;
    /**
     * The earliest day the page shows: older than any town's currency, and a bound that keeps the day before within
     * what {@link LocalDate} can hold.
     */
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    private final Pages pages;
    private final PaymentController payments;
    private final Regions regions;
    private final Clock clock;

    ShopDayPages(Pages pages, PaymentController payments, Regions regions, Clock clock) {
        this.pages = pages;
        this.payments = payments;
        this.regions = regions;
        this.clock = clock;
    }

    /** A payment of the day; {@code refundable} while some of it is not refunded yet. */
    record PaymentRow(UUID paymentId, String time, String method, String amount, String left, String status,
            boolean refundable) {
    }

    /**
     * The day's payments.
     *
     * @param date   the day, {@code 2026-11-21}; today when absent or blank
     * @param cursor where the previous page of the day ended, as the API gave it; the first page when absent
     */
    @Get
    HttpResponse<?> day(HttpRequest<?> request, @Nullable @QueryValue String date,
            @Nullable @QueryValue String cursor) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        ShopPages.shop(v);
        Regions.RegionRow region = regions.require(v.regionId());
        LocalDate today = region.today(clock);
        Map<String, Object> model = new HashMap<>();
        model.put("nav", ShopPages.NAV);
        model.put("today", today.toString());
        model.put("earliest", EARLIEST.toString());
        LocalDate day = parse(date, today);
        if (day == null) {
            model.put("date", date.strip());
            model.put("error", pages.message(request, "days.invalid.date", v.fmt().day(EARLIEST)));
            model.put("rows", List.of());
            return pages.page(v, "shop-days", model).status(HttpStatus.BAD_REQUEST);
        }
        Instant from = day.atStartOfDay(region.zone()).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(region.zone()).toInstant();
        boolean paged = cursor != null && !cursor.isBlank();
        PaymentApi.Page<PaymentApi.Payment> page = payments.list(v.regionId(), null, from.toString(), to.toString(),
                paged ? cursor.strip() : null, PAGE_SIZE, v.user().authentication());
        List<PaymentRow> rows = page.items().stream().map(p -> new PaymentRow(p.paymentId(),
                v.fmt().time(p.createdAt()), pages.message(request, "method." + p.method()), v.fmt().yen(p.amount()),
                v.fmt().yen(p.amount() - p.refundedAmount()), pages.message(request, "paymentStatus." + p.status()),
                p.refundedAmount() < p.amount())).toList();
        model.put("date", day.toString());
        model.put("day", v.fmt().day(day));
        model.put("isToday", day.equals(today));
        model.put("previous", day.isAfter(EARLIEST) ? day.minusDays(1).toString() : null);
        model.put("next", day.isBefore(today) ? day.plusDays(1).toString() : null);
        model.put("rows", rows);
        model.put("more", page.nextCursor());
        model.put("paged", paged);
        model.put("pageSize", PAGE_SIZE);
        return pages.page(v, "shop-days", model);
    }

    /**
     * The day asked for: today when none is; null when it is not a date ({@code 2026-11-21}, full-width digits
     * allowed) from {@link #EARLIEST} to today.
     */
    static @Nullable LocalDate parse(@Nullable String date, LocalDate today) {
        if (date == null || date.isBlank()) {
            return today;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(Normalizer.normalize(date, Normalizer.Form.NFKC).strip());
        } catch (DateTimeParseException e) {
            return null;
        }
        return day.isBefore(EARLIEST) || day.isAfter(today) ? null : day;
    }
}
