package jp.yui.ledger;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What to create for an asset: its code (unique within the region), its expiry policy, and the id of the
 * breakage account that receives expired value (the ledger creates that account with the asset).
 *
 * @param code              upper-case code such as {@code MIYAKI-PAY} or {@code HEALTH-PT}
 * @param expiry            expiry of lots credited to lot-tracked accounts of this asset
 * @param breakageAccountId id for the asset's breakage account (credit-normal, no flags)
 */
public record AssetSpec(String code, ExpiryPolicy expiry, UUID breakageAccountId) {

    static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{0,31}");

    public AssetSpec {
        Objects.requireNonNull(code, "code");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("asset code must match " + CODE + ": " + code);
        }
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(breakageAccountId, "breakageAccountId");
    }
}
