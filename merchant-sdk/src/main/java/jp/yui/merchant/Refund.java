package jp.yui.merchant;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Value a shop gave back on a payment: part or all of it. A payment may have several refunds; together they never
 * exceed it. Immutable, value-based.
 */
public final class Refund {

    private final UUID refundId;
    private final UUID paymentId;
    private final long amount;
    private final String reason;
    private final List<PaymentLeg> legs;
    private final Instant createdAt;
    private final Payment payment;

    private Refund(Json json) {
        this.refundId = json.uuid("refundId");
        this.paymentId = json.uuid("paymentId");
        this.amount = json.integer("amount");
        this.reason = json.optionalText("reason").orElse(null);
        this.legs = json.list("legs", PaymentLeg::from);
        this.createdAt = json.instant("createdAt");
        this.payment = Payment.from(json.object("payment"));
    }

    static Refund from(Json json) {
        return new Refund(json);
    }

    /** @return the refund's id */
    public UUID refundId() {
        return refundId;
    }

    /** @return the payment refunded */
    public UUID paymentId() {
        return paymentId;
    }

    /** @return what was given back, in yen, {@code > 0} */
    public long amount() {
        return amount;
    }

    /** @return why, as the shop said, if it did */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * @return what went back to each of the payer's assets: the payment's legs reversed last leg first (currency before
     *     points); unmodifiable
     */
    public List<PaymentLeg> legs() {
        return legs;
    }

    /** @return when the refund was made */
    public Instant createdAt() {
        return createdAt;
    }

    /** @return the payment as it stands after this refund (its {@link Payment#refundedAmount()} includes it) */
    public Payment payment() {
        return payment;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Refund)) {
            return false;
        }
        Refund that = (Refund) other;
        return amount == that.amount && refundId.equals(that.refundId) && paymentId.equals(that.paymentId)
                && Objects.equals(reason, that.reason) && legs.equals(that.legs) && createdAt.equals(that.createdAt)
                && payment.equals(that.payment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(refundId, paymentId, amount, reason, legs, createdAt, payment);
    }

    @Override
    public String toString() {
        return "Refund[" + refundId + " of payment " + paymentId + ", " + amount + " yen, reason " + reason + ", legs "
                + legs + ", at " + createdAt + "]";
    }
}
