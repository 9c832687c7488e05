/**
 * Yui's double-entry ledger: regions, assets, accounts, transfers with holds, linked groups, reversals and
 * expiring lots, a per-region batching writer and a hash-chained, append-only journal.
 *
 * <p>Only {@code jp.yui.ledger} is exported; everything behind it is package-private.
 */
module jp.yui.ledger {
    requires java.sql;
    requires java.logging;
    // Flyway 10 has no Automatic-Module-Name; this is the name Java derives from its jar.
    requires flyway.core;

    exports jp.yui.ledger;
}
