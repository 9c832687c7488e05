package jp.yui.ledger;

import java.util.Objects;

/**
 * An amount of one asset in whole units. Arithmetic is exact: overflow throws {@link ArithmeticException},
 * and mixing assets throws {@link AssetMismatchException}.
 */
public final class Money implements Comparable<Money> {

    private final String assetCode;
    private final long units;

    private Money(String assetCode, long units) {
        this.assetCode = Objects.requireNonNull(assetCode, "assetCode");
        this.units = units;
    }

    /** {@code units} of the asset. */
    public static Money of(String assetCode, long units) {
        return new Money(assetCode, units);
    }

    /** Zero of the asset. */
    public static Money zero(String assetCode) {
        return new Money(assetCode, 0);
    }

    public String assetCode() {
        return assetCode;
    }

    public long units() {
        return units;
    }

    /**
     * The sum.
     *
     * @throws AssetMismatchException if the assets differ
     * @throws ArithmeticException    on overflow
     */
    public Money plus(Money other) {
        requireSameAsset(other);
        return new Money(assetCode, Math.addExact(units, other.units));
    }

    /**
     * The difference.
     *
     * @throws AssetMismatchException if the assets differ
     * @throws ArithmeticException    on overflow
     */
    public Money minus(Money other) {
        requireSameAsset(other);
        return new Money(assetCode, Math.subtractExact(units, other.units));
    }

    public boolean isNegative() {
        return units < 0;
    }

    /** @throws AssetMismatchException if the assets differ */
    @Override
    public int compareTo(Money other) {
        requireSameAsset(other);
        return Long.compare(units, other.units);
    }

    private void requireSameAsset(Money other) {
        if (!assetCode.equals(other.assetCode)) {
            throw new AssetMismatchException(assetCode, other.assetCode);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money && ((Money) o).units == units && ((Money) o).assetCode.equals(assetCode);
    }

    @Override
    public int hashCode() {
        return assetCode.hashCode() * 31 + Long.hashCode(units);
    }

    @Override
    public String toString() {
        return units + " " + assetCode;
    }
}
