package jp.yui.merchant;

import java.util.Objects;

/**
 * What a payment (or a refund) took from, or gave back to, one of the payer's assets, e.g. 200 of {@code MIYAKI_PT}.
 * A payment's legs are in the region's pay order and sum to its amount. Immutable, value-based.
 */
public final class PaymentLeg {

    private final String asset;
    private final long amount;

    private PaymentLeg(String asset, long amount) {
        this.asset = asset;
        this.amount = amount;
    }

    static PaymentLeg from(Json json) {
        return new PaymentLeg(json.text("asset"), json.integer("amount"));
    }

    /** @return the asset's code, e.g. {@code MIYAKI} (the currency) or {@code MIYAKI_PT} (points) */
    public String asset() {
        return asset;
    }

    /** @return the amount in the asset's whole units (yen for a currency, points for points), {@code > 0} */
    public long amount() {
        return amount;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PaymentLeg)) {
            return false;
        }
        PaymentLeg that = (PaymentLeg) other;
        return amount == that.amount && asset.equals(that.asset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(asset, amount);
    }

    @Override
    public String toString() {
        return amount + " " + asset;
    }
}
