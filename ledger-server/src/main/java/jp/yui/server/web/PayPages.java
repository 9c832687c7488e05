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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.payment.Checkout;
import jp.yui.server.payment.Merchants;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.payment.PaymentController;
import jp.yui.server.wallet.WalletApi;
import jp.yui.server.wallet.Wallets;

/**
 * Paying a shop: scan its code (camera, or typing the code), see the shop and the amount the server holds for that
 * code, pay with one button, and a receipt. The resident pays only from their own wallet ({@link Me}); the confirm
 * page carries an idempotency key made by the server, so a double tap is one payment.
 */
@Hidden
@Controller("/app/wallet")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class PayPages {

    private final Pages pages;
    private final Forms forms;
    private final Me me;
    private final Wallets wallets;
    private final Checkout checkout;
    private final PaymentController payments;
    private final Merchants merchants;

    PayPages(Pages pages, Forms forms, Me me, Wallets wallets, Checkout checkout, PaymentController payments,
            Merchants merchants) {
        this.pages = pages;
        this.forms = forms;
        this.me = me;
        this.wallets = wallets;
        this.checkout = checkout;
        this.payments = payments;
        this.merchants = merchants;
    }

    @Get("/scan")
    HttpResponse<?> scan(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        me.resident(v);
        return pages.page(v, "wallet-scan", Map.of());
    }

    /** Reads a scanned (or typed) shop code and shows what it will pay, for the resident to confirm. */
    @Post(value = "/pay/confirm", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> confirm(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID resident = me.resident(v);
        String payload = forms.valid(new PaymentApi.Resolve(Forms.required("payload", form.get("payload")))).payload();
        PaymentApi.Resolved resolved = checkout.resolve(v.regionId(), payload);
        WalletApi.Wallet wallet = wallets.wallet(v.regionId(), resident);
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
        UUID resident = me.resident(v);
        String key = Forms.required("key", form.get("key"));
        Idempotency.requireValidKey(key);
        PaymentApi.PayCode pay = forms.valid(new PaymentApi.PayCode(Forms.required("payload", form.get("payload")),
                Forms.number("amount", form.get("amount"))));
        PaymentApi.Payment paid = checkout.payCode(v.regionId(), resident, pay, key);
        return Pages.redirect("/app/wallet/payments/" + paid.paymentId());
    }

    /** A receipt: what the resident paid, where, and from which of their assets. */
    @Get("/payments/{paymentId}")
    HttpResponse<?> receipt(HttpRequest<?> request, String paymentId) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        // The API's own read: the payer, or the town's finance staff; anyone else 404.
        PaymentApi.Payment p = payments.payment(v.regionId(), Forms.uuid("paymentId", paymentId),
                v.user().authentication());
        Map<String, String> labels = me.assetLabels(v.regionId());
        List<Map<String, String>> legs = p.legs().stream().map(l -> Map.of("asset", l.asset(), "label",
                labels.getOrDefault(l.asset(), l.asset()), "amount", v.fmt().amount(l.asset(), l.amount()))).toList();
        String shop = merchants.find(v.regionId(), p.merchantId())
                .map(m -> m.nameJa() != null && v.fmt().japanese() ? m.nameJa() : m.name()).orElse(p.merchantName());
        return pages.page(v, "wallet-receipt", Map.of("payment", p, "amount", v.fmt().yen(p.amount()),
                "refunded", v.fmt().yen(p.refundedAmount()), "at", v.fmt().dateTime(p.createdAt()), "legs", legs,
                "shop", shop == null ? "" : shop));
    }
}
