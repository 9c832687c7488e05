package jp.yui.merchant;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A payment a shop received, as the merchant sees it (no resident identity). Amounts are whole yen. Immutable,
 * value-based: two payments are equal when every field is.
 */
public final class Payment {

    /** How the resident paid. */
    public enum Method {
        /** The resident scanned the shop's printed code and typed the amount. */
        STATIC_MPM,
        /** The resident scanned a code the till showed for one payment ({@link MerchantClient#createPayment}). */
        DYNAMIC_MPM,
        /** The till scanned the resident's app token ({@link MerchantClient#charge}). */
        CPM,
        /** The till scanned the resident's printed card, with its PIN. */
        CARD,
        /** A method added to the server after this SDK was built. */
        UNKNOWN
    }

    /** Where the payment stands. */
    public enum Status {
        /** Paid, nothing refunded. */
        SUCCEEDED,
        /** Some, not all, of the amount was refunded. */
        PARTIALLY_REFUNDED,
        /** All of the amount was refunded. */
        REFUNDED,
        /** A status added to the server after this SDK was built. */
        UNKNOWN
    }

    private final UUID paymentId;
    private final UUID merchantId;
    private final Method method;
    private final long amount;
    private final long refundedAmount;
    private final Status status;
    private final String reference;
    private final UUID intentId;
    private final List<PaymentLeg> legs;
    private final Instant createdAt;

    private Payment(Json json) {
        this.paymentId = json.uuid("paymentId");
        this.merchantId = json.uuid("merchantId");
        this.method = json.enumValue("method", Method.class, Method.UNKNOWN);
        this.amount = json.integer("amount");
        this.refundedAmount = json.integer("refundedAmount");
        this.status = json.enumValue("status", Status.class, Status.UNKNOWN);
        this.reference = json.optionalText("reference").orElse(null);
        this.intentId = json.optionalUuid("intentId").orElse(null);
        this.legs = json.list("legs", PaymentLeg::from);
        this.createdAt = json.instant("createdAt");
    }

    static Payment from(Json json) {
        return new Payment(json);
    }

    /** @return the payment's id */
    public UUID paymentId() {
        return paymentId;
    }

    /** @return the shop that was paid */
    public UUID merchantId() {
        return merchantId;
    }

    /** @return how the resident paid; {@link Method#UNKNOWN} for a method newer than this SDK */
    public Method method() {
        return method;
    }

    /** @return what was paid, in yen, {@code > 0} */
    public long amount() {
        return amount;
    }

    /** @return how much of {@link #amount()} has been refunded so far, in yen, 0 to {@code amount()} */
    public long refundedAmount() {
        return refundedAmount;
    }

    /** @return where the payment stands; {@link Status#UNKNOWN} for a status newer than this SDK */
    public Status status() {
        return status;
    }

    /** @return the shop's own reference (an order number), if the payment was given one */
    public Optional<String> reference() {
        return Optional.ofNullable(reference);
    }

    /** @return the dynamic payment intent this payment paid, for {@link Method#DYNAMIC_MPM} */
    public Optional<UUID> intentId() {
        return Optional.ofNullable(intentId);
    }

    /** @return what the payment took from each of the payer's assets, in the region's pay order; unmodifiable */
    public List<PaymentLeg> legs() {
        return legs;
    }

    /** @return when the payment was made */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Payment)) {
            return false;
        }
        Payment that = (Payment) other;
        return amount == that.amount && refundedAmount == that.refundedAmount && paymentId.equals(that.paymentId)
                && merchantId.equals(that.merchantId) && method == that.method && status == that.status
                && Objects.equals(reference, that.reference) && Objects.equals(intentId, that.intentId)
                && legs.equals(that.legs) && createdAt.equals(that.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(paymentId, merchantId, method, amount, refundedAmount, status, reference, intentId, legs,
                createdAt);
    }

    @Override
    public String toString() {
        return "Payment[" + paymentId + ", " + method + ", " + amount + " yen, refunded " + refundedAmount + ", "
                + status + ", reference " + reference + ", intent " + intentId + ", legs " + legs + ", merchant "
                + merchantId + ", at " + createdAt + "]";
    }
}
