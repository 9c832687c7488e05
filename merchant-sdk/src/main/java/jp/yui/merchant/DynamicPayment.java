package jp.yui.merchant;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A dynamic payment intent: one payment of a fixed amount that the till shows as a QR code (dynamic MPM) and the
 * resident scans and confirms. Its {@link #payload()} is the EMVCo code, with the amount in tag 54 and the intent's
 * single-use reference in tag 62/05. Poll {@link MerchantClient#getPaymentIntent} (or wait for the
 * {@code payment.succeeded} webhook) until {@link #status()} is {@link Status#PAID}; {@link #paymentId()} then names
 * the payment. Immutable, value-based: a snapshot of the intent when it was read.
 */
public final class DynamicPayment {

    /** Where the intent stands. */
    public enum Status {
        /** Waiting for the resident to pay. */
        OPEN,
        /** Paid; {@link #paymentId()} is set. */
        PAID,
        /** Cancelled by the shop before it was paid. */
        CANCELLED,
        /** Not paid before {@link #expiresAt()}. */
        EXPIRED,
        /** A status added to the server after this SDK was built. */
        UNKNOWN
    }

    private final UUID intentId;
    private final UUID merchantId;
    private final long amount;
    private final String reference;
    private final Status status;
    private final String payload;
    private final Instant expiresAt;
    private final UUID paymentId;

    private DynamicPayment(Json json) {
        this.intentId = json.uuid("intentId");
        this.merchantId = json.uuid("merchantId");
        this.amount = json.integer("amount");
        this.reference = json.optionalText("reference").orElse(null);
        this.status = json.enumValue("status", Status.class, Status.UNKNOWN);
        this.payload = json.text("payload");
        this.expiresAt = json.instant("expiresAt");
        this.paymentId = json.optionalUuid("paymentId").orElse(null);
    }

    static DynamicPayment from(Json json) {
        return new DynamicPayment(json);
    }

    /** @return the intent's id */
    public UUID intentId() {
        return intentId;
    }

    /** @return the shop */
    public UUID merchantId() {
        return merchantId;
    }

    /** @return the amount to pay, in yen */
    public long amount() {
        return amount;
    }

    /** @return the shop's own reference (an order number), if it gave one */
    public Optional<String> reference() {
        return Optional.ofNullable(reference);
    }

    /** @return where the intent stood when it was read; {@link Status#UNKNOWN} for a status newer than this SDK */
    public Status status() {
        return status;
    }

    /** @return the EMVCo payload the QR code holds ({@code 000201010212…6304XXXX}) */
    public String payload() {
        return payload;
    }

    /** @return when the intent stops accepting payment */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** @return the payment that paid the intent, once {@link Status#PAID} */
    public Optional<UUID> paymentId() {
        return Optional.ofNullable(paymentId);
    }

    /**
     * The code as a PNG for the till's screen. Uses {@code javax.imageio}, which Android lacks: there, draw
     * {@link #svg(int)} or render {@link #payload()} with the platform's own QR library.
     *
     * @param sizePx width and height in pixels, at least the code's width in modules (about 61 for Yui's dynamic
     *               codes), at most {@value QrImages#MAX_PNG_SIZE_PX}
     * @return a black-on-white PNG
     * @throws IllegalArgumentException if {@code sizePx} is out of range
     * @see QrImages#png(String, int)
     */
    public byte[] png(int sizePx) {
        return QrImages.png(payload, sizePx);
    }

    /**
     * The code as an SVG document, for a web till or a printer.
     *
     * @param sizePx the width and height the SVG asks for, in pixels, {@code > 0}
     * @return a standalone SVG document
     * @throws IllegalArgumentException if {@code sizePx <= 0}
     * @see QrImages#svg(String, int)
     */
    public String svg(int sizePx) {
        return QrImages.svg(payload, sizePx);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof DynamicPayment)) {
            return false;
        }
        DynamicPayment that = (DynamicPayment) other;
        return amount == that.amount && intentId.equals(that.intentId) && merchantId.equals(that.merchantId)
                && Objects.equals(reference, that.reference) && status == that.status && payload.equals(that.payload)
                && expiresAt.equals(that.expiresAt) && Objects.equals(paymentId, that.paymentId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(intentId, merchantId, amount, reference, status, payload, expiresAt, paymentId);
    }

    @Override
    public String toString() {
        return "DynamicPayment[" + intentId + ", " + amount + " yen, reference " + reference + ", " + status
                + ", expires " + expiresAt + ", payment " + paymentId + "]";
    }
}
