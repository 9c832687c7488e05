package jp.yui.merchant;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An event the server POSTed to the shop's webhook, after {@link MerchantClient#verifyWebhook} checked its signature.
 * Delivery is at least once: remember {@link #id()} and ignore an event seen before. {@link #data()} is the event's
 * object as JSON; for the types this SDK knows, {@link #payment()}, {@link #refund()} or {@link #payout()} hold it
 * read.
 * Immutable, value-based.
 */
public final class WebhookEvent {

    /** A payment succeeded; {@link #payment()} is it. */
    public static final String PAYMENT_SUCCEEDED = "payment.succeeded";
    /** A payment was refunded, in part or in full; {@link #refund()} is the refund, {@link #payment()} the payment. */
    public static final String PAYMENT_REFUNDED = "payment.refunded";
    /** A payout reached the bank; {@link #payout()} is it. */
    public static final String PAYOUT_PAID = "payout.paid";

    private final String id;
    private final String type;
    private final Instant createdAt;
    private final String data;
    private final Payment payment;
    private final Refund refund;
    private final Payout payout;

    private WebhookEvent(Json json) {
        this.id = json.text("id");
        this.type = json.text("type");
        this.createdAt = json.instant("createdAt");
        this.data = json.raw("data");
        switch (type) {
            case PAYMENT_SUCCEEDED:
                this.payment = Payment.from(json.object("data"));
                this.refund = null;
                this.payout = null;
                break;
            case PAYMENT_REFUNDED:
                this.refund = Refund.from(json.object("data"));
                this.payment = refund.payment();
                this.payout = null;
                break;
            case PAYOUT_PAID:
                this.payout = Payout.from(json.object("data"));
                this.payment = null;
                this.refund = null;
                break;
            default:
                // A type newer than this SDK: its data stays available as JSON.
                this.payment = null;
                this.refund = null;
                this.payout = null;
        }
    }

    /**
     * @param body the request body
     * @throws MerchantException if it is not an event, or the data of a known type cannot be read
     */
    static WebhookEvent parse(String body) {
        return new WebhookEvent(Json.parse(body, "WebhookEvent"));
    }

    /** @return the event's id, the same on every delivery of it: the key to deduplicate by */
    public String id() {
        return id;
    }

    /** @return the event's type, e.g. {@value #PAYMENT_SUCCEEDED}; possibly one newer than this SDK */
    public String type() {
        return type;
    }

    /** @return when the event happened (not when it was delivered) */
    public Instant createdAt() {
        return createdAt;
    }

    /** @return the event's object as compact JSON, for any type; null if the event carried none */
    public String data() {
        return data;
    }

    /**
     * @return the payment, for {@value #PAYMENT_SUCCEEDED}, and for {@value #PAYMENT_REFUNDED} as it stands after the
     *     refund
     */
    public Optional<Payment> payment() {
        return Optional.ofNullable(payment);
    }

    /** @return the refund, for {@value #PAYMENT_REFUNDED} */
    public Optional<Refund> refund() {
        return Optional.ofNullable(refund);
    }

    /** @return the payout, for {@value #PAYOUT_PAID} */
    public Optional<Payout> payout() {
        return Optional.ofNullable(payout);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof WebhookEvent)) {
            return false;
        }
        WebhookEvent that = (WebhookEvent) other;
        return id.equals(that.id) && type.equals(that.type) && createdAt.equals(that.createdAt)
                && Objects.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, createdAt, data);
    }

    @Override
    public String toString() {
        return "WebhookEvent[" + id + ", " + type + ", at " + createdAt + "]";
    }
}
