package jp.yui.merchant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A settlement (換金): the shop's takings of one period paid to its bank account, less the fee:
 * {@code net = gross - fee}, all whole yen. Dates are business dates in the region's zone (Asia/Tokyo). Immutable,
 * value-based.
 */
public final class Payout {

    /** Where the payout stands. */
    public enum Status {
        /** Decided, not yet confirmed paid by the bank. */
        SCHEDULED,
        /** The bank statement shows it paid. */
        PAID,
        /** A status added to the server after this SDK was built. */
        UNKNOWN
    }

    private final UUID payoutId;
    private final LocalDate periodFrom;
    private final LocalDate periodTo;
    private final long gross;
    private final long fee;
    private final long net;
    private final Status status;
    private final LocalDate scheduledFor;
    private final Instant paidAt;

    private Payout(Json json) {
        this.payoutId = json.uuid("payoutId");
        this.periodFrom = json.date("periodFrom");
        this.periodTo = json.date("periodTo");
        this.gross = json.integer("gross");
        this.fee = json.integer("fee");
        this.net = json.integer("net");
        this.status = json.enumValue("status", Status.class, Status.UNKNOWN);
        this.scheduledFor = json.date("scheduledFor");
        this.paidAt = json.optionalInstant("paidAt").orElse(null);
    }

    static Payout from(Json json) {
        return new Payout(json);
    }

    /** @return the payout's id */
    public UUID payoutId() {
        return payoutId;
    }

    /** @return the first day of the takings paid out, inclusive */
    public LocalDate periodFrom() {
        return periodFrom;
    }

    /** @return the last day of the takings paid out, inclusive */
    public LocalDate periodTo() {
        return periodTo;
    }

    /** @return the takings of the period, in yen */
    public long gross() {
        return gross;
    }

    /** @return the region's fee, in yen */
    public long fee() {
        return fee;
    }

    /** @return what reaches the bank account, {@code gross - fee}, in yen */
    public long net() {
        return net;
    }

    /** @return where the payout stands; {@link Status#UNKNOWN} for a status newer than this SDK */
    public Status status() {
        return status;
    }

    /** @return the day the payout is (or was) due */
    public LocalDate scheduledFor() {
        return scheduledFor;
    }

    /** @return when the bank paid it, once {@link Status#PAID} */
    public Optional<Instant> paidAt() {
        return Optional.ofNullable(paidAt);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Payout)) {
            return false;
        }
        Payout that = (Payout) other;
        return gross == that.gross && fee == that.fee && net == that.net && payoutId.equals(that.payoutId)
                && periodFrom.equals(that.periodFrom) && periodTo.equals(that.periodTo) && status == that.status
                && scheduledFor.equals(that.scheduledFor) && Objects.equals(paidAt, that.paidAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payoutId, periodFrom, periodTo, gross, fee, net, status, scheduledFor, paidAt);
    }

    @Override
    public String toString() {
        return "Payout[" + payoutId + ", " + periodFrom + ".." + periodTo + ", gross " + gross + ", fee " + fee
                + ", net " + net + " yen, " + status + ", scheduled for " + scheduledFor + ", paid at " + paidAt + "]";
    }
}
