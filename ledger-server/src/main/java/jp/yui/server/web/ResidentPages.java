package jp.yui.server.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.merchant.QrImages;
import jp.yui.server.db.Problems;
import jp.yui.server.payment.Checkout;
import jp.yui.server.payment.CpmKeys;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.payment.PaymentController;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.resident.Residents;
import jp.yui.server.wallet.Conversions;
import jp.yui.server.wallet.WalletApi;
import jp.yui.server.wallet.Wallets;

/**
 * The resident's wallet, phone first: balances by asset and what expires when, history, "show my code" (the CPM
 * token as a QR code that renews itself before it expires), "scan a shop's code" (camera, or typing the code),
 * confirming the shop and amount before paying, and converting points.
 *
 * <p>The resident is always the one the session's caller is ({@link Residents#residentOf}, as the API finds them):
 * no page takes a resident id from the browser, so a resident can only ever see and spend their own wallet.
 */
@Controller("/app/wallet")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ResidentPages {

    /** How many of the latest movements the history shows per asset. */
    static final int HISTORY_LINES = 50;
    /** The QR code's size in the page's SVG (it scales to the screen). */
    private static final int QR_PX = 320;
    /** Renew the code this long before it expires, so the one on screen is always fresh enough to scan. */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(15);

    private final Pages pages;
    private final Forms forms;
    private final Residents residents;
    private final Wallets wallets;
    private final Conversions conversions;
    private final Programmes programmes;
    private final Checkout checkout;
    private final CpmKeys cpmKeys;
    private final PaymentController payments;
    private final WebSettings settings;
    private final Clock clock;

    ResidentPages(Pages pages, Forms forms, Residents residents, Wallets wallets, Conversions conversions,
            Programmes programmes, Checkout checkout, CpmKeys cpmKeys, PaymentController payments, WebSettings settings,
            Clock clock) {
        this.pages = pages;
        this.forms = forms;
        this.residents = residents;
        this.wallets = wallets;
        this.conversions = conversions;
        this.programmes = programmes;
        this.checkout = checkout;
        this.cpmKeys = cpmKeys;
        this.payments = payments;
        this.settings = settings;
        this.clock = clock;
    }

    // --- what the templates show ---

    /** A balance card: the asset's name, its amount, and its next expiry. */
    record BalanceView(String assetCode, String label, String amount, long posted, @Nullable String nextExpiry,
            @Nullable String nextExpiryAmount) {
    }

    /** Value about to expire: shown as a warning at the top of the wallet. */
    record ExpiryWarning(String label, String amount, String date, long daysLeft) {
    }

    record LineView(String date, String what, String change, boolean credit, String balanceAfter) {
    }

    record ConvertOption(UUID programmeId, String name, String assetCode, String balance, long suggested, int points,
            int yen, String rate, String yearlyCap) {
    }

    // --- pages ---

    @Get
    HttpResponse<?> wallet(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID me = me(v);
        WalletApi.Wallet wallet = wallets.wallet(v.regionId(), me);
        Map<String, String> labels = assetLabels(v);
        Instant now = clock.instant();
        Instant warnUntil = now.plus(Duration.ofDays(settings.expiryWarningDays()));
        List<BalanceView> balances = new ArrayList<>();
        List<ExpiryWarning> warnings = new ArrayList<>();
        for (WalletApi.Balance b : sorted(v, wallet.balances())) {
            String label = labels.getOrDefault(b.assetCode(), b.assetCode());
            // Lots that expire on the same day are one line to the resident.
            Map<String, Long> byDay = new LinkedHashMap<>();
            Map<String, Long> daysLeft = new HashMap<>();
            b.expiring().stream().filter(e -> e.expiresAt().isAfter(now))
                    .sorted(Comparator.comparing(WalletApi.Expiring::expiresAt)).forEach(e -> {
                        String day = v.fmt().date(e.expiresAt());
                        byDay.merge(day, e.amount(), Math::addExact);
                        daysLeft.putIfAbsent(day, Duration.between(now, e.expiresAt()).toDays());
                        if (e.expiresAt().isBefore(warnUntil)) {
                            warnings.add(new ExpiryWarning(label, v.fmt().amount(b.assetCode(), e.amount()), day,
                                    Duration.between(now, e.expiresAt()).toDays()));
                        }
                    });
            Map.Entry<String, Long> next = byDay.entrySet().stream().findFirst().orElse(null);
            balances.add(new BalanceView(b.assetCode(), label, v.fmt().amount(b.assetCode(), b.posted()), b.posted(),
                    next == null ? null : next.getKey(),
                    next == null ? null : v.fmt().amount(b.assetCode(), next.getValue())));
        }
        return pages.page(v, "wallet", Map.of("balances", balances, "warnings", merge(warnings),
                "warningDays", settings.expiryWarningDays()));
    }

    @Get("/history")
    HttpResponse<?> history(HttpRequest<?> request, @Nullable @QueryValue String asset) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID me = me(v);
        Map<String, String> labels = assetLabels(v);
        List<String> assets = sorted(v, wallets.wallet(v.regionId(), me).balances()).stream()
                .map(WalletApi.Balance::assetCode).toList();
        String shown = asset != null && assets.contains(asset) ? asset : assets.get(0);
        List<WalletApi.Line> all = new ArrayList<>();
        long cursor = 0;
        // The statement runs oldest first; a resident's year is a few hundred lines, so read it to the end.
        for (int page = 0; page < 20; page++) {
            WalletApi.Statement s = wallets.statement(v.regionId(), me, shown, cursor, 1_000);
            all.addAll(s.lines());
            if (s.nextCursor() == null) {
                break;
            }
            cursor = s.nextCursor();
        }
        List<LineView> lines = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && lines.size() < HISTORY_LINES; i--) {
            WalletApi.Line l = all.get(i);
            String key = "reason." + l.reason();
            String what = pages.hasMessage(key, v.locale()) ? pages.message(request, key) : l.reason();
            lines.add(new LineView(v.fmt().dateTime(l.at()), what, v.fmt().change(shown, l.change()), l.change() > 0,
                    v.fmt().amount(shown, l.balanceAfter())));
        }
        List<Map<String, Object>> tabs = assets.stream().map(a -> Map.<String, Object>of("code", a,
                "label", labels.getOrDefault(a, a), "current", a.equals(shown))).toList();
        return pages.page(v, "wallet-history", Map.of("lines", lines, "tabs", tabs, "shown", shown,
                "assetLabel", labels.getOrDefault(shown, shown)));
    }

    /** The resident's own code for the shop to scan (CPM): a fresh signed token on every load. */
    @Get("/code")
    HttpResponse<?> code(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        Map<String, Object> model = codeModel(v);
        model.put("refreshSeconds", model.get("renewSeconds"));
        return pages.page(v, "wallet-code", model);
    }

    /** Only the code, for the page to swap in before the one on screen expires. */
    @Get("/code/qr")
    HttpResponse<?> codeQr(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        return pages.page(v, "wallet-code :: qr", codeModel(v));
    }

    @Get("/scan")
    HttpResponse<?> scan(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        me(v);
        return pages.page(v, "wallet-scan", Map.of());
    }

    /** Reads a scanned (or typed) shop code and shows what it will pay, for the resident to confirm. */
    @Post(value = "/pay/confirm", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> confirm(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID me = me(v);
        String payload = forms.valid(new PaymentApi.Resolve(Forms.required("payload", form.get("payload")))).payload();
        PaymentApi.Resolved resolved = checkout.resolve(v.regionId(), payload);
        WalletApi.Wallet wallet = wallets.wallet(v.regionId(), me);
        long currency = wallet.balances().stream().filter(b -> v.fmt().isCurrency(b.assetCode()))
                .mapToLong(WalletApi.Balance::available).sum();
        Map<String, Object> model = new HashMap<>();
        model.put("payload", payload);
        model.put("key", Forms.newKey());
        model.put("shopName", resolved.merchantNameJa() != null && v.fmt().japanese() ? resolved.merchantNameJa()
                : resolved.merchantName());
        model.put("shopOtherName", resolved.merchantNameJa() != null && v.fmt().japanese() ? resolved.merchantName()
                : resolved.merchantNameJa());
        model.put("dynamic", resolved.amount() != null);
        model.put("amount", resolved.amount() == null ? "" : v.fmt().yen(resolved.amount()));
        model.put("amountValue", resolved.amount() == null ? "" : Long.toString(resolved.amount()));
        model.put("expires", resolved.expiresAt() == null ? "" : v.fmt().time(resolved.expiresAt()));
        model.put("balance", v.fmt().yen(currency));
        return pages.page(v, "wallet-confirm", model);
    }

    /** Pays the confirmed code; the form's key makes a double tap one payment. */
    @Post(value = "/pay", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> pay(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID me = me(v);
        String key = Forms.required("key", form.get("key"));
        jp.yui.server.infra.Idempotency.requireValidKey(key);
        PaymentApi.PayCode pay = forms.valid(new PaymentApi.PayCode(Forms.required("payload", form.get("payload")),
                Forms.number("amount", form.get("amount"))));
        PaymentApi.Payment paid = checkout.payCode(v.regionId(), me, pay, key);
        return Pages.redirect("/app/wallet/payments/" + paid.paymentId());
    }

    /** A receipt: what the resident paid, where, and from which of their assets. */
    @Get("/payments/{paymentId}")
    HttpResponse<?> receipt(HttpRequest<?> request, String paymentId) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        // The API's own read: the payer, or the town's finance staff; anyone else 404.
        PaymentApi.Payment p = payments.payment(v.regionId(), Forms.uuid("paymentId", paymentId),
                v.user().authentication());
        Map<String, String> labels = assetLabels(v);
        List<Map<String, String>> legs = p.legs().stream().map(l -> Map.of("asset", l.asset(), "label",
                labels.getOrDefault(l.asset(), l.asset()), "amount", v.fmt().amount(l.asset(), l.amount()))).toList();
        return pages.page(v, "wallet-receipt", Map.of("payment", p, "amount", v.fmt().yen(p.amount()),
                "refunded", v.fmt().yen(p.refundedAmount()), "at", v.fmt().dateTime(p.createdAt()), "legs", legs,
                "shop", p.merchantName() == null ? "" : p.merchantName()));
    }

    @Get("/convert")
    HttpResponse<?> convertForm(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID me = me(v);
        return pages.page(v, "wallet-convert", Map.of("options", convertOptions(v, me), "key", Forms.newKey()));
    }

    @Post(value = "/convert", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> convert(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID me = me(v);
        String key = Forms.required("key", form.get("key"));
        jp.yui.server.infra.Idempotency.requireValidKey(key);
        WalletApi.Convert req = forms.valid(new WalletApi.Convert(Forms.uuid("programmeId", form.get("programmeId")),
                Forms.number("points", form.get("points"))));
        WalletApi.Conversion done = conversions.convert(v.regionId(), me, req.programmeId(), req.points(), key);
        return pages.page(v, "wallet-converted", Map.of(
                "points", v.fmt().points(done.points()),
                "yen", v.fmt().yen(done.yen()),
                "thisYear", v.fmt().yen(done.convertedThisYear()),
                "cap", v.fmt().yen(done.yearlyCap())));
    }

    // --- helpers ---

    /** The signed-in resident, found as the API finds them; 403 for a sign-in that is no registered resident. */
    private UUID me(Visit v) {
        UUID me = residents.residentOf(v.caller(), v.regionId())
                .orElseThrow(() -> Problems.forbidden("this sign-in is not a registered resident of the town"));
        residents.requireSelfOrStaff(v.caller(), v.regionId(), me);
        return me;
    }

    private Map<String, Object> codeModel(Visit v) {
        UUID me = me(v);
        PaymentApi.CpmToken token = cpmKeys.issue(v.regionId(), me);
        long secondsLeft = Math.max(1, Duration.between(clock.instant(), token.expiresAt()).toSeconds());
        long renew = Math.max(5, secondsLeft - RENEW_BEFORE.toSeconds());
        Map<String, Object> model = new HashMap<>();
        model.put("svg", Svg.inline(QrImages.svg(token.token(), QR_PX)));
        model.put("token", token.token());
        model.put("expiresAt", token.expiresAt().toString());
        model.put("expiresTime", v.fmt().time(token.expiresAt()));
        model.put("renewSeconds", renew);
        return model;
    }

    /**
     * What residents call each asset: the town's currency by the word for it, a point asset by the programme that
     * gives it (健康ポイント).
     */
    private Map<String, String> assetLabels(Visit v) {
        Map<String, String> labels = new HashMap<>();
        for (ProgrammeApi.Programme p : programmes.list(v.regionId())) {
            labels.putIfAbsent(p.assetCode(), p.name());
        }
        return labels;
    }

    /** The currency first, then points by code. */
    private static List<WalletApi.Balance> sorted(Visit v, List<WalletApi.Balance> balances) {
        return balances.stream().sorted(Comparator.comparing((WalletApi.Balance b) -> !v.fmt().isCurrency(b.assetCode()))
                .thenComparing(WalletApi.Balance::assetCode)).toList();
    }

    /** Warnings of one asset on one day become one line. */
    private static List<ExpiryWarning> merge(List<ExpiryWarning> warnings) {
        Map<String, ExpiryWarning> byKey = new LinkedHashMap<>();
        for (ExpiryWarning w : warnings) {
            byKey.putIfAbsent(w.label() + "|" + w.date(), w);
        }
        return List.copyOf(byKey.values());
    }

    private List<ConvertOption> convertOptions(Visit v, UUID me) {
        Map<String, Long> balances = new HashMap<>();
        for (WalletApi.Balance b : wallets.wallet(v.regionId(), me).balances()) {
            balances.put(b.assetCode(), b.available());
        }
        List<ConvertOption> options = new ArrayList<>();
        for (ProgrammeApi.Programme p : programmes.list(v.regionId())) {
            ProgrammeApi.Conversion c = p.conversion();
            if (c == null) {
                continue;
            }
            long held = balances.getOrDefault(p.assetCode(), 0L);
            long suggested = held - held % c.points();
            options.add(new ConvertOption(p.programmeId(), p.name(), p.assetCode(), v.fmt().points(held), suggested,
                    c.points(), c.yen(), v.fmt().points(c.points()) + " → " + v.fmt().yen(c.yen()),
                    v.fmt().yen(c.yearlyCapYen())));
        }
        return options;
    }
}
