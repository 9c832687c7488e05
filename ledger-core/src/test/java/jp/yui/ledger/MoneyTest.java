package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Exact arithmetic in whole units of one asset; mixing assets is a programming error. */
class MoneyTest {

    static final String YEN = "MIYAKI-PAY";
    static final String PT = "HEALTH-PT";

    @Nested
    class Plus {
        @Test
        void addsExactly() {
            assertThat(Money.of(YEN, 1_200).plus(Money.of(YEN, 300))).isEqualTo(Money.of(YEN, 1_500));
            assertThat(Money.of(YEN, Long.MAX_VALUE - 1).plus(Money.of(YEN, 1)).units()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void overflowThrows() {
            assertThatThrownBy(() -> Money.of(YEN, Long.MAX_VALUE).plus(Money.of(YEN, 1)))
                    .isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> Money.of(YEN, Long.MIN_VALUE).plus(Money.of(YEN, -1)))
                    .isInstanceOf(ArithmeticException.class);
        }

        @Test
        void mixingAssetsThrowsNamingBoth() {
            assertThatThrownBy(() -> Money.of(YEN, 1).plus(Money.of(PT, 1)))
                    .isInstanceOf(AssetMismatchException.class)
                    .hasMessage("asset mismatch: MIYAKI-PAY and HEALTH-PT")
                    .asInstanceOf(InstanceOfAssertFactories.type(AssetMismatchException.class))
                    .satisfies(e -> {
                        assertThat(e.left()).isEqualTo(YEN);
                        assertThat(e.right()).isEqualTo(PT);
                    });
        }

        @Test
        void assetsAreCheckedBeforeOverflow() {
            assertThatThrownBy(() -> Money.of(YEN, Long.MAX_VALUE).plus(Money.of(PT, 1)))
                    .isInstanceOf(AssetMismatchException.class);
        }

        @Test
        void leavesBothOperandsUnchanged() {
            Money a = Money.of(YEN, 5);
            Money b = Money.of(YEN, 7);
            a.plus(b);
            assertThat(a.units()).isEqualTo(5);
            assertThat(b.units()).isEqualTo(7);
        }
    }

    @Nested
    class Minus {
        @Test
        void subtractsExactlyAndMayGoNegative() {
            assertThat(Money.of(YEN, 5).minus(Money.of(YEN, 7))).isEqualTo(Money.of(YEN, -2));
            assertThat(Money.of(YEN, 5).minus(Money.of(YEN, 7)).isNegative()).isTrue();
        }

        @Test
        void overflowThrows() {
            assertThatThrownBy(() -> Money.of(YEN, Long.MIN_VALUE).minus(Money.of(YEN, 1)))
                    .isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> Money.zero(YEN).minus(Money.of(YEN, Long.MIN_VALUE)))
                    .isInstanceOf(ArithmeticException.class);
        }

        @Test
        void mixingAssetsThrowsNamingBoth() {
            assertThatThrownBy(() -> Money.of(PT, 1).minus(Money.of(YEN, 1)))
                    .isInstanceOf(AssetMismatchException.class)
                    .hasMessage("asset mismatch: HEALTH-PT and MIYAKI-PAY")
                    .asInstanceOf(InstanceOfAssertFactories.type(AssetMismatchException.class))
                    .satisfies(e -> {
                        assertThat(e.left()).isEqualTo(PT);
                        assertThat(e.right()).isEqualTo(YEN);
                    });
        }
    }

    @Nested
    class CompareTo {
        @Test
        void ordersByUnitsWithinAnAsset() {
            assertThat(Money.of(YEN, 1)).isLessThan(Money.of(YEN, 2));
            assertThat(Money.of(YEN, -1)).isLessThan(Money.zero(YEN));
            assertThat(Money.of(YEN, 2).compareTo(Money.of(YEN, 2))).isZero();
            List<Money> list = new ArrayList<>(List.of(Money.of(YEN, 3), Money.of(YEN, -1), Money.of(YEN, 2)));
            Collections.sort(list);
            assertThat(list).containsExactly(Money.of(YEN, -1), Money.of(YEN, 2), Money.of(YEN, 3));
        }

        @Test
        void comparingAcrossAssetsIsRefused() {
            assertThatThrownBy(() -> Money.of(YEN, 1).compareTo(Money.of(PT, 1)))
                    .isInstanceOf(AssetMismatchException.class)
                    .hasMessage("asset mismatch: MIYAKI-PAY and HEALTH-PT");
        }

        @Test
        void extremesCompareWithoutOverflow() {
            assertThat(Money.of(YEN, Long.MIN_VALUE)).isLessThan(Money.of(YEN, Long.MAX_VALUE));
        }
    }

    @Nested
    class ValueSemantics {
        @Test
        void sameAssetAndUnitsAreEqualWithEqualHashCodes() {
            assertThat(Money.of(YEN, 100)).isEqualTo(Money.of(YEN, 100));
            assertThat(Money.of(YEN, 100).hashCode()).isEqualTo(Money.of(YEN, 100).hashCode());
            assertThat(Money.zero(PT)).isEqualTo(Money.of(PT, 0));
            assertThat(Money.zero(PT).hashCode()).isEqualTo(Money.of(PT, 0).hashCode());
        }

        @Test
        void differentUnitsOrAssetsAreNotEqual() {
            assertThat(Money.of(YEN, 100))
                    .isNotEqualTo(Money.of(YEN, 101))
                    .isNotEqualTo(Money.of(PT, 100))
                    .isNotEqualTo(100L)
                    .isNotEqualTo(null);
        }

        @Test
        void toStringIsUnitsThenAsset() {
            assertThat(Money.of(YEN, 1_200)).hasToString("1200 MIYAKI-PAY");
            assertThat(Money.of(PT, -3)).hasToString("-3 HEALTH-PT");
        }

        @Test
        void zeroIsNotNegative() {
            assertThat(Money.zero(YEN).isNegative()).isFalse();
            assertThat(Money.zero(YEN).units()).isZero();
            assertThat(Money.zero(YEN).assetCode()).isEqualTo(YEN);
        }

        @Test
        void nullAssetIsNamed() {
            assertThatThrownBy(() -> Money.of(null, 1))
                    .isInstanceOf(NullPointerException.class).hasMessage("assetCode");
            assertThatThrownBy(() -> Money.zero(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("assetCode");
        }

        @Test
        void assetMismatchIsALedgerException() {
            assertThat(new AssetMismatchException(YEN, PT)).isInstanceOf(LedgerException.class);
        }
    }
}
