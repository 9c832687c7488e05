package jp.yui.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The ledger keeps time in whole microseconds, PostgreSQL's precision, so instants round-trip exactly. */
final class Times {
    private Times() {
    }

    static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
