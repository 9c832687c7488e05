package jp.yui.merchant;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of the shop's payments {@link MerchantClient#listPayments(PaymentQuery)} answers, newest first: optionally
 * bounded by creation time, a page of at most {@link #limit()} from a cursor. Immutable; the {@code with…} methods
 * return a copy.
 */
public final class PaymentQuery {

    /** The page size the server uses when asked for none. */
    public static final int DEFAULT_LIMIT = 50;

    private final Instant from;
    private final Instant to;
    private final String cursor;
    private final int limit;

    private PaymentQuery(Instant from, Instant to, String cursor, int limit) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to: from " + from + ", to " + to);
        }
        this.from = from;
        this.to = to;
        this.cursor = Arguments.requireCursor(cursor);
        this.limit = Arguments.requireLimit(limit);
    }

    /** @return the first page of every payment, {@value #DEFAULT_LIMIT} at a time */
    public static PaymentQuery all() {
        return new PaymentQuery(null, null, null, DEFAULT_LIMIT);
    }

    /**
     * @param from the earliest creation time to include (the server's {@code from}), or null for no bound
     * @return a copy with it
     * @throws IllegalArgumentException if it is not before {@link #to()}
     */
    public PaymentQuery withFrom(Instant from) {
        return new PaymentQuery(from, to, cursor, limit);
    }

    /**
     * @param to the creation time to stop at (the server's {@code to}), or null for no bound
     * @return a copy with it
     * @throws IllegalArgumentException if it is not after {@link #from()}
     */
    public PaymentQuery withTo(Instant to) {
        return new PaymentQuery(from, to, cursor, limit);
    }

    /**
     * @param cursor a previous page's {@link Page#nextCursor()}, or null for the first page
     * @return a copy with it
     * @throws IllegalArgumentException if it is empty
     */
    public PaymentQuery withCursor(String cursor) {
        return new PaymentQuery(from, to, cursor, limit);
    }

    /**
     * @param limit the most payments in the page, {@code > 0}
     * @return a copy with it
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public PaymentQuery withLimit(int limit) {
        return new PaymentQuery(from, to, cursor, limit);
    }

    /** @return the lower bound of creation time, if any */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** @return the upper bound of creation time, if any */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** @return where the page starts, if not at the newest payment */
    public Optional<String> cursor() {
        return Optional.ofNullable(cursor);
    }

    /** @return the most payments in the page */
    public int limit() {
        return limit;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PaymentQuery)) {
            return false;
        }
        PaymentQuery that = (PaymentQuery) other;
        return limit == that.limit && Objects.equals(from, that.from) && Objects.equals(to, that.to)
                && Objects.equals(cursor, that.cursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, cursor, limit);
    }

    @Override
    public String toString() {
        return "PaymentQuery[from " + from + ", to " + to + ", cursor " + cursor + ", limit " + limit + "]";
    }
}
