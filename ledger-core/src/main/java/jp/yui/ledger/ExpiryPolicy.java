package jp.yui.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When value credited to a lot-tracked account expires. Expiry always falls at the start of a day in the
 * region's zone: value "valid until 31 March" can be spent all through 31 March, Tokyo time.
 */
public sealed interface ExpiryPolicy {

    /** The instant a credit made at {@code creditedAt} expires, or {@code null} if it never does. */
    Instant expiresAt(Instant creditedAt);

    /** Value never expires. */
    static ExpiryPolicy never() {
        return Never.INSTANCE;
    }

    /**
     * Value is valid for {@code days} whole days after the day it was credited, then expires at the start of
     * the next day in {@code zone}.
     *
     * @throws IllegalArgumentException if days is not between 1 and 36,500
     */
    static ExpiryPolicy afterDays(int days, ZoneId zone) {
        return new AfterDays(days, zone);
    }

    /**
     * Value is valid until the next {@code lastValidDay} (e.g. 31 March, the end of Japan's fiscal year) on or
     * after the day it was credited, and expires at the start of the day after it in {@code zone}.
     */
    static ExpiryPolicy yearlyOn(MonthDay lastValidDay, ZoneId zone) {
        return new YearlyOn(lastValidDay, zone);
    }

    /** Never expires. */
    enum Never implements ExpiryPolicy {
        INSTANCE;

        @Override
        public Instant expiresAt(Instant creditedAt) {
            return null;
        }

        @Override
        public String toString() {
            return "never";
        }
    }

    /** Expires {@code days} days after the day of the credit. */
    record AfterDays(int days, ZoneId zone) implements ExpiryPolicy {
        public AfterDays {
            if (days < 1 || days > 36_500) {
                throw new IllegalArgumentException("days must be between 1 and 36500: " + days);
            }
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public Instant expiresAt(Instant creditedAt) {
            LocalDate credited = LocalDate.ofInstant(creditedAt, zone);
            return credited.plusDays(days + 1L).atStartOfDay(zone).toInstant();
        }

        @Override
        public String toString() {
            return "after-days:" + days + ":" + zone.getId();
        }
    }

    /** Expires after the next occurrence of a day of the year. */
    record YearlyOn(MonthDay lastValidDay, ZoneId zone) implements ExpiryPolicy {
        public YearlyOn {
            Objects.requireNonNull(lastValidDay, "lastValidDay");
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public Instant expiresAt(Instant creditedAt) {
            LocalDate credited = LocalDate.ofInstant(creditedAt, zone);
            LocalDate last = lastValidDay.atYear(credited.getYear());
            if (last.isBefore(credited)) {
                last = lastValidDay.atYear(credited.getYear() + 1);
            }
            return last.plusDays(1).atStartOfDay(zone).toInstant();
        }

        @Override
        public String toString() {
            return "yearly-on:" + lastValidDay + ":" + zone.getId();
        }
    }

    /**
     * Parses the form {@link #toString()} writes: {@code never}, {@code after-days:180:Asia/Tokyo},
     * {@code yearly-on:--03-31:Asia/Tokyo}.
     *
     * @throws IllegalArgumentException if the text is not one of those forms
     */
    static ExpiryPolicy parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split(":", 3);
        try {
            switch (parts[0]) {
                case "never":
                    if (parts.length == 1) {
                        return never();
                    }
                    break;
                case "after-days":
                    if (parts.length == 3) {
                        return afterDays(Integer.parseInt(parts[1]), ZoneId.of(parts[2]));
                    }
                    break;
                case "yearly-on":
                    if (parts.length == 3) {
                        return yearlyOn(MonthDay.parse(parts[1]), ZoneId.of(parts[2]));
                    }
                    break;
                default:
                    break;
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an expiry policy: " + text, e);
        }
        throw new IllegalArgumentException("not an expiry policy: " + text);
    }
}
