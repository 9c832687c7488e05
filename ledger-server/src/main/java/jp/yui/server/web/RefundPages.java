package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.payment.PaymentController;
import jp.yui.server.payment.Refunds;
import jp.yui.server.region.Access;

/**
 * A shop refunds one of its payments, in part or in full, as often as it likes but never more in all than was paid:
 * the payment's page with its refunds so far and a form (the amount left to refund, a reason), then the refund.
 *
 * <p>As the API's {@code POST …/payments/{id}/refunds}: the shop is the one the session's till is bound to, the
 * payment is read through the API's own controller (another shop's payment answers 404) and refunded by the same
 * {@link Refunds} service, which checks again that the payment is the shop's and decides the amount under the
 * payment's lock. Each rendered form carries an idempotency key made by the server, passed to the service as the
 * API passes {@code Idempotency-Key}, so a form sent twice refunds once. The service derives the refund's id from
 * the key together with the payment and the caller, so a key copied from another shop's form names nothing of that
 * shop's; and a refund's page is shown only to the shop whose payment it is.
 */
@Hidden
@Controller("/app/shop")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class RefundPages {

    private static final String EXCEEDS = Problems.BASE + "refund-exceeds-payment";
    private static final String PAID_OUT = Problems.BASE + "merchant-balance-insufficient";

    private final Pages pages;
    private final Forms forms;
    private final PaymentController payments;
    private final Refunds refunds;
    private final Me me;
    private final Clock clock;

    RefundPages(Pages pages, Forms forms, PaymentController payments, Refunds refunds, Me me, Clock clock) {
        this.pages = pages;
        this.forms = forms;
        this.payments = payments;
        this.refunds = refunds;
        this.me = me;
        this.clock = clock;
    }

    /** A refund as the page lists it. */
    record RefundRow(UUID refundId, String at, String amount, String reason) {
    }

    /** The payment, its refunds so far, and the form to refund what is left. */
    @Get("/payments/{paymentId}")
    HttpResponse<?> payment(HttpRequest<?> request, String paymentId) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        shop(v);
        PaymentApi.Payment p = payments.payment(v.regionId(), Forms.uuid("paymentId", paymentId),
                v.user().authentication());
        Map<String, String> form = Map.of("amount", Long.toString(p.amount() - p.refundedAmount()), "reason", "");
        return page(v, p, form, Forms.newKey(), new FormErrors(), HttpStatus.OK);
    }

    /**
     * Refunds the amount, or shows the form again with what is wrong: a mistake in the form, or the service's refusal
     * (more than is left, or takings already paid out), with nothing refunded.
     */
    @Post(value = "/payments/{paymentId}/refunds", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> refund(HttpRequest<?> request, String paymentId, @Body Map<String, String> body) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        UUID shop = shop(v);
        UUID id = Forms.uuid("paymentId", paymentId);
        String key = Forms.required("key", body.get("key"));
        Idempotency.requireValidKey(key);
        Map<String, String> form = Map.of("amount", nonNull(body.get("amount")), "reason", nonNull(body.get("reason")));
        FormErrors errors = new FormErrors();
        Long amount = null;
        try {
            amount = Forms.number("amount", form.get("amount"));
        } catch (ProblemException e) {
            errors.add("amount", pages.message(request, "refund.invalid.amount"), null);
        }
        String reason = form.get("reason").isBlank() ? null : form.get("reason").strip();
        PaymentApi.CreateRefund req = new PaymentApi.CreateRefund(amount, reason);
        for (String field : forms.invalid(req).keySet()) {
            errors.add(field, pages.message(request, "refund.invalid." + field), null);
        }
        if (errors.isEmpty()) {
            try {
                PaymentApi.Refund done = refunds.refund(v.regionId(), shop, id, req, v.caller().subject(), key);
                return Pages.redirect("/app/shop/refunds/" + done.refundId());
            } catch (ProblemException e) {
                if (!e.type().equals(EXCEEDS) && !e.type().equals(PAID_OUT)) {
                    throw e;
                }
                errors.add("amount", pages.message(request, e.type().equals(EXCEEDS) ? "refund.refused.exceeds"
                        : "refund.refused.paidOut"), e.detail());
                PaymentApi.Payment p = payments.payment(v.regionId(), id, v.user().authentication());
                return page(v, p, form, key, errors, HttpStatus.UNPROCESSABLE_ENTITY);
            }
        }
        PaymentApi.Payment p = payments.payment(v.regionId(), id, v.user().authentication());
        return page(v, p, form, key, errors, HttpStatus.BAD_REQUEST);
    }

    /** What a refund gave back, and what is left of its payment. */
    @Get("/refunds/{refundId}")
    HttpResponse<?> refunded(HttpRequest<?> request, String refundId) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        PaymentApi.Refund r = refunds.get(v.regionId(), shop(v), Forms.uuid("refundId", refundId));
        PaymentApi.Payment p = r.payment();
        Map<String, String> labels = me.assetLabels(v.regionId());
        List<Map<String, String>> legs = r.legs().stream().map(l -> Map.of("label", v.fmt().isCurrency(l.asset())
                ? pages.message(request, "wallet.currency") : labels.getOrDefault(l.asset(), l.asset()),
                "amount", v.fmt().amount(l.asset(), l.amount()))).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("nav", ShopPages.NAV);
        model.put("refund", r);
        model.put("amount", v.fmt().yen(r.amount()));
        model.put("at", v.fmt().dateTime(r.createdAt()));
        model.put("reason", r.reason() == null ? "" : r.reason());
        model.put("legs", legs);
        model.put("paid", v.fmt().yen(p.amount()));
        model.put("refundedTotal", v.fmt().yen(p.refundedAmount()));
        model.put("left", v.fmt().yen(p.amount() - p.refundedAmount()));
        model.put("paymentId", p.paymentId());
        back(v, p, model);
        return pages.page(v, "shop-refunded", model);
    }

    private HttpResponse<?> page(Visit v, PaymentApi.Payment p, Map<String, String> form, String key,
            FormErrors errors, HttpStatus status) {
        long left = p.amount() - p.refundedAmount();
        List<RefundRow> done = refunds.list(v.regionId(), shop(v), p.paymentId()).stream()
                .map(r -> new RefundRow(r.refundId(), v.fmt().dateTime(r.createdAt()), v.fmt().yen(r.amount()),
                        r.reason() == null ? "" : r.reason())).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("nav", ShopPages.NAV);
        model.put("payment", p);
        model.put("at", v.fmt().dateTime(p.createdAt()));
        model.put("method", pages.message(v.request(), "method." + p.method()));
        model.put("status", pages.message(v.request(), "paymentStatus." + p.status()));
        model.put("paid", v.fmt().yen(p.amount()));
        model.put("refunded", v.fmt().yen(p.refundedAmount()));
        model.put("left", v.fmt().yen(left));
        model.put("refundable", left > 0);
        model.put("refunds", done);
        model.put("form", form);
        model.put("errors", errors.asMap());
        model.put("key", key);
        back(v, p, model);
        return pages.page(v, "shop-payment", model).status(status);
    }

    /** Back to the takings of the payment's day: today's page, or that day's among the past ones. */
    private void back(Visit v, PaymentApi.Payment p, Map<String, Object> model) {
        LocalDate day = v.fmt().dayOf(p.createdAt());
        boolean today = day.equals(v.fmt().dayOf(clock.instant()));
        model.put("backHref", today ? "/app/shop" : "/app/shop/days?date=" + day);
        model.put("backLink", today ? pages.message(v.request(), "refund.back")
                : pages.message(v.request(), "days.back", v.fmt().day(day)));
        model.put("backButton", today ? pages.message(v.request(), "refund.toToday")
                : pages.message(v.request(), "days.toDay", v.fmt().day(day)));
    }

    /** The shop the session's till is bound to, checked as the API checks a till's key. */
    private static UUID shop(Visit v) {
        Access.require(v.caller(), v.regionId(), Access.MERCHANT);
        return v.caller().merchantId().orElseThrow(() -> Problems.forbidden("this till is bound to no shop"));
    }

    private static String nonNull(@Nullable String s) {
        return s == null ? "" : s;
    }
}
