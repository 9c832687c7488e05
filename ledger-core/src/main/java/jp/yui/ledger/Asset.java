package jp.yui.ledger;

import java.util.Objects;
import java.util.UUID;

/**
 * An asset of a region: what accounts count, in whole units (¥1, one point).
 *
 * @param regionId          the region
 * @param code              the asset's code, unique in the region
 * @param expiry            expiry of lots credited to lot-tracked accounts
 * @param breakageAccountId the account expired value is swept to
 */
public record Asset(long regionId, String code, ExpiryPolicy expiry, UUID breakageAccountId) {
    public Asset {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(breakageAccountId, "breakageAccountId");
    }
}
