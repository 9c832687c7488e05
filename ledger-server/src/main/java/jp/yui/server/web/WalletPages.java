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
import jp.yui.server.payment.CpmKeys;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.wallet.WalletApi;
import jp.yui.server.wallet.Wallets;

/**
 * The resident's wallet, phone first: balances by asset and what expires when (with a warning before value
 * expires), history, and "show my code" (the CPM token as a QR code that renews itself before it expires). Only ever
 * the signed-in resident's own wallet ({@link Me}).
 */
@Hidden
@Controller("/app/wallet")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class WalletPages {

    /** How many of the latest movements the history shows per asset. */
    static final int HISTORY_LINES = 50;
    /** The QR code's size in the page's SVG (it scales to the screen). */
    private static final int QR_PX = 320;
    /** Renew the code this long before it expires, so the one on screen is always fresh enough to scan. */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(15);

    private final Pages pages;
    private final Me me;
    private final Wallets wallets;
    private final CpmKeys cpmKeys;
    private final WebSettings settings;
    private final Clock clock;

    WalletPages(Pages pages, Me me, Wallets wallets, CpmKeys cpmKeys, WebSettings settings, Clock clock) {
        this.pages = pages;
        this.me = me;
        this.wallets = wallets;
        this.cpmKeys = cpmKeys;
        this.settings = settings;
        this.clock = clock;
    }

    /** A balance card: the asset's name, its amount, and its next expiry. */
    record BalanceView(String assetCode, String label, String amount, long posted, @Nullable String nextExpiry,
            @Nullable String nextExpiryAmount) {
    }

    /** Value about to expire: shown as a warning at the top of the wallet. */
    record ExpiryWarning(String label, String amount, String date, long daysLeft) {
    }

    record LineView(String date, String what, String change, boolean credit, String balanceAfter) {
    }

    @Get
    HttpResponse<?> wallet(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID resident = me.resident(v);
        WalletApi.Wallet wallet = wallets.wallet(v.regionId(), resident);
        Map<String, String> labels = me.assetLabels(v.regionId());
        Instant now = clock.instant();
        Instant warnUntil = now.plus(Duration.ofDays(settings.expiryWarningDays()));
        List<BalanceView> balances = new ArrayList<>();
        List<ExpiryWarning> warnings = new ArrayList<>();
        for (WalletApi.Balance b : Me.sorted(v, wallet.balances())) {
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
        UUID resident = me.resident(v);
        Map<String, String> labels = me.assetLabels(v.regionId());
        List<String> assets = Me.sorted(v, wallets.wallet(v.regionId(), resident).balances()).stream()
                .map(WalletApi.Balance::assetCode).toList();
        String shown = asset != null && assets.contains(asset) ? asset : assets.get(0);
        List<WalletApi.Line> all = new ArrayList<>();
        long cursor = 0;
        // The statement runs oldest first; a resident's year is a few hundred lines, so read it to the end.
        for (int page = 0; page < 20; page++) {
            WalletApi.Statement s = wallets.statement(v.regionId(), resident, shown, cursor, 1_000);
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

    private Map<String, Object> codeModel(Visit v) {
        UUID resident = me.resident(v);
        PaymentApi.CpmToken token = cpmKeys.issue(v.regionId(), resident);
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

    /** Warnings of one asset on one day become one line. */
    private static List<ExpiryWarning> merge(List<ExpiryWarning> warnings) {
        Map<String, ExpiryWarning> byKey = new LinkedHashMap<>();
        for (ExpiryWarning w : warnings) {
            byKey.putIfAbsent(w.label() + "|" + w.date(), w);
        }
        return List.copyOf(byKey.values());
    }
}
