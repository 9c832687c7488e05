package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import jp.yui.merchant.CustomerToken;
import jp.yui.merchant.QrFormatException;
import jp.yui.merchant.QrMerchant;
import jp.yui.merchant.QrPayload;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.resident.Residents;

/**
 * The three ways a payment starts, each turned into a {@link Payments.Draft}:
 *
 * <ul>
 *   <li><b>static MPM</b>: a resident scanned a shop's printed code and typed the amount;</li>
 *   <li><b>dynamic MPM</b>: a resident scanned a code the shop's till made for an amount (a payment intent);</li>
 *   <li><b>CPM</b>: a shop scanned a resident's code, a signed token or a printed card with its PIN.</li>
 * </ul>
 *
 * A scanned MPM code is untrusted text: its CRC only catches misreads. The shop is looked up by the id in Yui's
 * merchant account template, and a dynamic code's amount and shop must equal what its intent holds.
 */
@Singleton
public class Checkout {

    private final Merchants merchants;
    private final Intents intents;
    private final Payments payments;
    private final CpmKeys cpmKeys;
    private final Cards cards;
    private final Residents residents;
    private final Clock clock;

    public Checkout(Merchants merchants, Intents intents, Payments payments, CpmKeys cpmKeys, Cards cards,
            Residents residents, Clock clock) {
        this.merchants = merchants;
        this.intents = intents;
        this.payments = payments;
        this.cpmKeys = cpmKeys;
        this.cards = cards;
        this.residents = residents;
        this.clock = clock;
    }

    /** A scanned shop code, understood: the shop and, for a dynamic code, its intent. */
    private record Scanned(Merchants.Row merchant, Intents.Row intent) {
    }

    /** What the code will pay, for the resident to confirm. */
    public PaymentApi.Resolved resolve(long regionId, String payload) {
        Scanned s = scan(regionId, payload);
        Merchants.Row m = s.merchant();
        if (s.intent() == null) {
            return new PaymentApi.Resolved("STATIC", m.merchantId(), m.name(), m.nameJa(), null, null, null);
        }
        return new PaymentApi.Resolved("DYNAMIC", m.merchantId(), m.name(), m.nameJa(), s.intent().amount(),
                s.intent().intentId(), s.intent().expiresAt());
    }

    /** A resident pays a scanned shop code. */
    public PaymentApi.Payment payCode(long regionId, UUID residentId, PaymentApi.PayCode req, String key) {
        Scanned s = scan(regionId, req.payload());
        UUID paymentId = Ids.of("payment", regionId, "resident", residentId, key);
        Payments.Draft draft;
        if (s.intent() == null) {
            if (req.amount() == null) {
                throw Problems.badRequest("validation", "Invalid request", "amount is required to pay a shop's printed code");
            }
            draft = new Payments.Draft(paymentId, s.merchant().merchantId(), residentId, PaymentApi.Method.STATIC_MPM,
                    req.amount(), null, null, null);
        } else {
            Intents.Row intent = s.intent();
            if (req.amount() != null && req.amount() != intent.amount()) {
                throw amountMismatch(req.amount(), intent.amount());
            }
            draft = new Payments.Draft(paymentId, s.merchant().merchantId(), residentId, PaymentApi.Method.DYNAMIC_MPM,
                    intent.amount(), intent.reference(), intent.intentId(), null);
        }
        return Payments.fullView(payments.pay(regionId, draft), s.merchant().name());
    }

    /** A shop charges the customer code its till scanned. */
    public PaymentApi.Payment charge(long regionId, UUID merchantId, PaymentApi.Charge req, String key) {
        merchants.require(regionId, merchantId);
        String code = req.customerCode().strip();
        UUID paymentId = Ids.of("payment", regionId, "merchant", merchantId, key);
        Payments.Draft draft;
        Optional<String> card = Cards.cardCode(code);
        if (code.startsWith("yc1.")) {
            CustomerToken token = cpmKeys.verify(regionId, code);
            residents.requireExists(regionId, token.residentId());
            draft = new Payments.Draft(paymentId, merchantId, token.residentId(), PaymentApi.Method.CPM, req.amount(),
                    req.reference(), null, token.nonce());
        } else if (card.isPresent()) {
            UUID holder = cards.holder(regionId, card.get()).orElseThrow(() -> Problems.badRequest("invalid-customer-code",
                    "Invalid customer code", "no card of region " + regionId + " has this code"));
            // A retry of a charge that already went through must not ask for (and count) the PIN again.
            if (payments.row(regionId, paymentId).isEmpty()) {
                cards.checkPin(regionId, holder, req.pin());
            }
            draft = new Payments.Draft(paymentId, merchantId, holder, PaymentApi.Method.CARD, req.amount(), req.reference(),
                    null, null);
        } else {
            throw Problems.badRequest("invalid-customer-code", "Invalid customer code",
                    "the scanned code is neither a Yui payment code (yc1.…) nor a Yui card (YUI-CARD:…)");
        }
        return Payments.merchantView(payments.pay(regionId, draft));
    }

    private Scanned scan(long regionId, String payload) {
        QrPayload qr;
        try {
            qr = QrPayload.parse(payload.strip());
        } catch (QrFormatException e) {
            throw invalidQr("the code cannot be read: " + e.getMessage());
        }
        String id = qr.merchantId(QrMerchant.YUI_GLOBALLY_UNIQUE_ID)
                .orElseThrow(() -> invalidQr("the code is not a Yui shop's code (no jp.yui merchant account)"));
        UUID merchantId;
        try {
            merchantId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw invalidQr("the code names no Yui shop: " + id);
        }
        Merchants.Row merchant = merchants.find(regionId, merchantId)
                .orElseThrow(() -> invalidQr("the code names no shop of region " + regionId));
        if (!qr.isDynamic()) {
            if (qr.amount().isPresent()) {
                throw invalidQr("a shop's printed (static) code carries no amount");
            }
            return new Scanned(merchant, null);
        }
        String label = qr.referenceLabel().orElseThrow(() -> invalidQr("a dynamic code without its reference (62/05)"));
        Intents.Row intent = intents.byLabel(regionId, label)
                .orElseThrow(() -> invalidQr("the code's reference names no payment request"));
        if (!intent.merchantId().equals(merchantId)) {
            throw invalidQr("the code's shop is not the shop that asked for this payment");
        }
        long coded = qr.amount().orElseThrow(() -> invalidQr("a dynamic code without its amount (54)"));
        if (coded != intent.amount()) {
            throw amountMismatch(coded, intent.amount());
        }
        PaymentApi.IntentStatus status = intent.effectiveStatus(clock.instant());
        if (status != PaymentApi.IntentStatus.OPEN && status != PaymentApi.IntentStatus.PAID) {
            throw Problems.conflict("intent-not-open", "Payment request not open",
                    "this payment request is " + status.name().toLowerCase() + "; ask the shop for a new code");
        }
        return new Scanned(merchant, intent);
    }

    private static ProblemException invalidQr(String detail) {
        return Problems.badRequest("invalid-qr", "Invalid QR code", detail);
    }

    private static ProblemException amountMismatch(long asked, long held) {
        return Problems.unprocessable("amount-mismatch", "Amount mismatch",
                "the amount ¥" + asked + " is not the ¥" + held + " the shop asked for");
    }
}
