package jp.yui.server.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.merchant.QrImages;
import jp.yui.server.db.Problems;
import jp.yui.server.payment.Intents;
import jp.yui.server.payment.MerchantController;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.payment.PaymentController;
import jp.yui.server.region.Access;
import jp.yui.server.region.Regions;
import jp.yui.server.settlement.SettlementApi;
import jp.yui.server.settlement.SettlementController;

/**
 * A shop's page: today's takings with each payment and refund (earlier days are on {@link ShopDayPages}), the next
 * payout and past ones, asking a customer to pay an amount (a dynamic QR code, as the till's SDK makes one), and the
 * shop's printable static QR code.
 *
 * <p>The shop is always the one the session's till key (or demo till) is bound to, found as the API finds it; reads
 * go through the API's own controllers with the session's authentication, so a shop sees here exactly what its till
 * sees through the API, and never who paid.
 */
@Hidden
@Controller("/app/shop")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ShopPages {

    /** Most payments one day's page adds up (10 pages of the API's largest). */
    static final int MAX_DAY_PAYMENTS = 5_000;
    /** How long a code the page shows may be paid: the time to show it and for the customer to scan and confirm. */
    static final int CODE_SECONDS = 300;
    private static final int QR_PX = 360;
    private static final int POSTER_QR_PX = 600;

    private final Pages pages;
    private final Forms forms;
    private final PaymentController payments;
    private final SettlementController settlement;
    private final MerchantController merchants;
    private final Intents intents;
    private final Regions regions;
    private final Clock clock;

    ShopPages(Pages pages, Forms forms, PaymentController payments, SettlementController settlement,
            MerchantController merchants, Intents intents, Regions regions, Clock clock) {
        this.pages = pages;
        this.forms = forms;
        this.payments = payments;
        this.settlement = settlement;
        this.merchants = merchants;
        this.intents = intents;
        this.regions = regions;
        this.clock = clock;
    }

    /** A payment of the day; {@code refundable} while some of it is not refunded yet. */
    record PaymentRow(UUID paymentId, String time, String method, String amount, String refunded, String status,
            boolean refundedAny, boolean refundable) {
    }

    record PayoutRow(String period, String gross, String fee, String net, String date, String status, boolean paid) {
    }

    static final List<Nav> NAV = List.of(new Nav("/app/shop", "shop.nav.today"),
            new Nav("/app/shop/days", "shop.nav.days"), new Nav("/app/shop/charge", "shop.nav.charge"),
            new Nav("/app/shop/qr", "shop.nav.qr"));

    @Get
    HttpResponse<?> today(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        shop(v);
        Regions.RegionRow region = regions.require(v.regionId());
        LocalDate today = region.today(clock);
        Instant from = today.atStartOfDay(region.zone()).toInstant();
        Instant to = today.plusDays(1).atStartOfDay(region.zone()).toInstant();
        List<PaymentApi.Payment> all = new ArrayList<>();
        String cursor = null;
        do {
            PaymentApi.Page<PaymentApi.Payment> page = payments.list(v.regionId(), null, from.toString(), to.toString(),
                    cursor, 500, v.user().authentication());
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null && all.size() < MAX_DAY_PAYMENTS);
        long gross = 0;
        long refunded = 0;
        List<PaymentRow> rows = new ArrayList<>();
        for (PaymentApi.Payment p : all) {
            gross = Math.addExact(gross, p.amount());
            refunded = Math.addExact(refunded, p.refundedAmount());
            rows.add(new PaymentRow(p.paymentId(), v.fmt().time(p.createdAt()),
                    pages.message(request, "method." + p.method()), v.fmt().yen(p.amount()),
                    v.fmt().yen(p.refundedAmount()), pages.message(request, "paymentStatus." + p.status()),
                    p.refundedAmount() > 0, p.refundedAmount() < p.amount()));
        }
        List<SettlementApi.Payout> payouts = settlement.ownPayouts(v.regionId(), null, 50, v.user().authentication())
                .items();
        SettlementApi.Payout next = payouts.stream().filter(p -> !"PAID".equals(p.status()))
                .min(Comparator.comparing(SettlementApi.Payout::scheduledFor)).orElse(null);
        List<PayoutRow> past = payouts.stream().filter(p -> "PAID".equals(p.status())).map(p -> payoutRow(v, request, p))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("nav", NAV);
        model.put("day", v.fmt().day(today));
        model.put("yesterday", today.minusDays(1).toString());
        model.put("count", all.size());
        model.put("gross", v.fmt().yen(gross));
        model.put("refunded", v.fmt().yen(refunded));
        model.put("net", v.fmt().yen(gross - refunded));
        model.put("payments", rows);
        model.put("truncated", cursor != null);
        model.put("next", next == null ? null : payoutRow(v, request, next));
        model.put("past", past);
        return pages.page(v, "shop", model);
    }

    @Get("/charge")
    HttpResponse<?> chargeForm(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        shop(v);
        return pages.page(v, "shop-charge-form", Map.of("nav", NAV, "key", Forms.newKey()));
    }

    /** Asks for a payment of the amount: a payment intent, as the till's {@code createPayment} makes one. */
    @Post(value = "/charge", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> charge(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        UUID shop = shop(v);
        String key = Forms.required("key", form.get("key"));
        jp.yui.server.infra.Idempotency.requireValidKey(key);
        PaymentApi.CreateIntent req = forms.valid(new PaymentApi.CreateIntent(Forms.number("amount", form.get("amount")),
                null, CODE_SECONDS));
        if (req.amount() == null) {
            throw Problems.badRequest("validation", "Invalid request", "amount is required");
        }
        PaymentApi.Intent intent = intents.create(v.regionId(), shop, req, key);
        return Pages.redirect("/app/shop/charge/" + intent.intentId());
    }

    /** The code for the customer to scan, and whether they have paid yet (the page asks again every 2 seconds). */
    @Get("/charge/{intentId}")
    HttpResponse<?> showCharge(HttpRequest<?> request, String intentId) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        Map<String, Object> model = chargeModel(v, request, intentId);
        model.put("nav", NAV);
        model.put("svg", Svg.inline(QrImages.svg((String) model.get("payload"), QR_PX)));
        if (Boolean.TRUE.equals(model.get("open"))) {
            model.put("refreshSeconds", 5);
        }
        return pages.page(v, "shop-charge", model);
    }

    @Get("/charge/{intentId}/status")
    HttpResponse<?> chargeStatus(HttpRequest<?> request, String intentId) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        return pages.page(v, "shop-charge :: status", chargeModel(v, request, intentId));
    }

    @Post(value = "/charge/{intentId}/cancel", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> cancel(HttpRequest<?> request, String intentId) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        UUID id = Forms.uuid("intentId", intentId);
        intents.cancel(v.regionId(), shop(v), id);
        return Pages.redirect("/app/shop/charge/" + id);
    }

    /** The shop's printed code, on a page made for printing: the shop's name in Japanese over its QR code. */
    @Get("/qr")
    HttpResponse<?> poster(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.SHOP);
        UUID shop = shop(v);
        PaymentApi.Merchant m = merchants.get(v.regionId(), shop, v.user().authentication());
        String svg = merchants.svg(v.regionId(), shop, POSTER_QR_PX, v.user().authentication());
        return pages.page(v, "shop-qr", Map.of("nav", NAV, "merchant", m, "svg", Svg.inline(svg),
                "nameJa", m.nameJa() == null ? m.name() : m.nameJa()));
    }

    /** The shop the session's till is bound to, checked as the API checks a till's key. */
    static UUID shop(Visit v) {
        Access.require(v.caller(), v.regionId(), Access.MERCHANT);
        return v.caller().merchantId().orElseThrow(() -> Problems.forbidden("this till is bound to no shop"));
    }

    private Map<String, Object> chargeModel(Visit v, HttpRequest<?> request, String intentId) {
        PaymentApi.Intent intent = intents.get(v.regionId(), shop(v), Forms.uuid("intentId", intentId));
        Map<String, Object> model = new HashMap<>();
        model.put("intentId", intent.intentId());
        model.put("amount", v.fmt().yen(intent.amount()));
        model.put("payload", intent.payload());
        model.put("status", intent.status().name());
        model.put("statusText", pages.message(request, "intentStatus." + intent.status()));
        model.put("open", intent.status() == PaymentApi.IntentStatus.OPEN);
        model.put("paid", intent.status() == PaymentApi.IntentStatus.PAID);
        model.put("expires", v.fmt().time(intent.expiresAt()));
        return model;
    }

    private PayoutRow payoutRow(Visit v, HttpRequest<?> request, SettlementApi.Payout p) {
        return new PayoutRow(v.fmt().day(p.periodFrom()) + " – " + v.fmt().day(p.periodTo()), v.fmt().yen(p.gross()),
                v.fmt().yen(p.fee()), v.fmt().yen(p.net()),
                "PAID".equals(p.status()) && p.paidAt() != null ? v.fmt().date(p.paidAt()) : v.fmt().day(p.scheduledFor()),
                pages.message(request, "payoutStatus." + p.status()), "PAID".equals(p.status()));
    }
}
