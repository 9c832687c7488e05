package jp.yui.ledger;

import static jp.yui.ledger.AccountFlag.FROZEN_DEBITS;
import static jp.yui.ledger.AccountFlag.LOT_TRACKED;
import static jp.yui.ledger.AccountFlag.NO_OVERDRAFT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The specs and options a ledger is set up with refuse impossible settings when built. */
class AccountSpecTest {

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    static final String YEN = "MIYAKI-PAY";
    static final String LOT_RULE = "LOT_TRACKED needs a CREDIT-normal account with NO_OVERDRAFT";

    @Nested
    class LotTracked {
        @Test
        void creditNormalWithNoOverdraftIsAccepted() {
            AccountSpec spec = AccountSpec.of(ID, YEN, Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED);
            assertThat(spec.flags()).containsExactlyInAnyOrder(NO_OVERDRAFT, LOT_TRACKED);
        }

        @Test
        void withoutNoOverdraftIsRefused() {
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, Side.CREDIT, LOT_TRACKED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(LOT_RULE + ": CREDIT [LOT_TRACKED]");
        }

        @Test
        void debitNormalIsRefused() {
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, Side.DEBIT, NO_OVERDRAFT, LOT_TRACKED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(LOT_RULE + ": DEBIT [NO_OVERDRAFT, LOT_TRACKED]");
        }

        @Test
        void debitNormalWithoutNoOverdraftIsRefused() {
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, Side.DEBIT, LOT_TRACKED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(LOT_RULE + ": DEBIT [LOT_TRACKED]");
        }

        @Test
        void otherFlagsDoNotSatisfyTheRule() {
            assertThatThrownBy(() -> new AccountSpec(ID, YEN, Side.CREDIT, EnumSet.of(LOT_TRACKED, FROZEN_DEBITS),
                    null, "wallet"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(LOT_RULE + ": CREDIT [LOT_TRACKED, FROZEN_DEBITS]");
        }

        @Test
        void flagsIterateInDeclarationOrderWhateverTheInput() {
            AccountSpec spec = new AccountSpec(ID, YEN, Side.CREDIT, Set.of(LOT_TRACKED, FROZEN_DEBITS, NO_OVERDRAFT),
                    null, "");
            assertThat(spec.flags()).containsExactly(NO_OVERDRAFT, LOT_TRACKED, FROZEN_DEBITS);
        }

        @Test
        void nullFlagsAreNamed() {
            assertThatThrownBy(() -> new AccountSpec(ID, YEN, Side.CREDIT, null, null, ""))
                    .isInstanceOf(NullPointerException.class).hasMessage("flags");
        }
    }

    @Nested
    class Ceiling {
        @Test
        void negativeCeilingIsRefused() {
            assertThatThrownBy(() -> new AccountSpec(ID, YEN, Side.CREDIT, Set.of(), -1L, ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ceiling must be >= 0: -1");
        }

        @Test
        void withCeilingChecksTheCeiling() {
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, Side.CREDIT).withCeiling(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ceiling must be >= 0: -1");
        }

        @Test
        void zeroCeilingIsAccepted() {
            assertThat(AccountSpec.of(ID, YEN, Side.CREDIT).withCeiling(0).ceiling()).isZero();
        }

        @Test
        void noCeilingIsNull() {
            assertThat(AccountSpec.of(ID, YEN, Side.CREDIT).ceiling()).isNull();
        }
    }

    @Nested
    class Label {
        @Test
        void labelOver200CharactersIsRefused() {
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, Side.CREDIT).withLabel("x".repeat(201)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("label must be at most 200 characters: 201");
        }

        @Test
        void labelOf200CharactersIsAccepted() {
            String label = "町".repeat(200);
            assertThat(AccountSpec.of(ID, YEN, Side.CREDIT).withLabel(label).label()).isEqualTo(label);
        }

        @Test
        void nullLabelIsEmpty() {
            assertThat(new AccountSpec(ID, YEN, Side.CREDIT, Set.of(), null, null).label()).isEmpty();
            assertThat(AccountSpec.of(ID, YEN, Side.CREDIT).label()).isEmpty();
        }

        @Test
        void refinementsKeepTheOtherFields() {
            AccountSpec spec = AccountSpec.of(ID, YEN, Side.CREDIT, NO_OVERDRAFT)
                    .withCeiling(100_000).withLabel("wallet of resident 1234");
            assertThat(spec).isEqualTo(new AccountSpec(ID, YEN, Side.CREDIT, Set.of(NO_OVERDRAFT), 100_000L,
                    "wallet of resident 1234"));
        }
    }

    @Nested
    class Flags {
        @Test
        void flagsAreCopied() {
            EnumSet<AccountFlag> given = EnumSet.of(NO_OVERDRAFT);
            AccountSpec spec = new AccountSpec(ID, YEN, Side.CREDIT, given, null, "");
            given.add(FROZEN_DEBITS);
            assertThat(spec.flags()).containsExactly(NO_OVERDRAFT);
        }

        @Test
        void flagsAreUnmodifiable() {
            AccountSpec spec = AccountSpec.of(ID, YEN, Side.CREDIT, NO_OVERDRAFT);
            assertThatThrownBy(() -> spec.flags().add(FROZEN_DEBITS))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, Side.CREDIT).flags().add(FROZEN_DEBITS))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void flagsEqualWhateverSetTheyCameIn() {
            assertThat(new AccountSpec(ID, YEN, Side.CREDIT, EnumSet.of(NO_OVERDRAFT, LOT_TRACKED), null, ""))
                    .isEqualTo(AccountSpec.of(ID, YEN, Side.CREDIT, LOT_TRACKED, NO_OVERDRAFT));
        }

        @Test
        void nullsAreNamed() {
            assertThatThrownBy(() -> AccountSpec.of(null, YEN, Side.CREDIT))
                    .isInstanceOf(NullPointerException.class).hasMessage("id");
            assertThatThrownBy(() -> AccountSpec.of(ID, null, Side.CREDIT))
                    .isInstanceOf(NullPointerException.class).hasMessage("assetCode");
            assertThatThrownBy(() -> AccountSpec.of(ID, YEN, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("normal");
        }
    }

    @Nested
    class AssetSpecCode {
        final UUID breakage = UUID.fromString("00000000-0000-0000-0000-0000000000f1");

        @Test
        void upperCaseCodesWithDigitsHyphensAndUnderscoresAreAccepted() {
            assertThat(new AssetSpec("MIYAKI-PAY", ExpiryPolicy.never(), breakage).code()).isEqualTo("MIYAKI-PAY");
            assertThat(new AssetSpec("HEALTH_PT2", ExpiryPolicy.never(), breakage).code()).isEqualTo("HEALTH_PT2");
            assertThat(new AssetSpec("1", ExpiryPolicy.never(), breakage).code()).isEqualTo("1");
            assertThat(new AssetSpec("A".repeat(32), ExpiryPolicy.never(), breakage).code()).hasSize(32);
        }

        @Test
        void lowerCaseCodeIsRefused() {
            assertThatThrownBy(() -> new AssetSpec("miyaki-pay", ExpiryPolicy.never(), breakage))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("asset code must match [A-Z0-9][A-Z0-9_-]{0,31}: miyaki-pay");
        }

        @Test
        void emptyLongAndPunctuatedCodesAreRefused() {
            for (String bad : new String[] {"", "A".repeat(33), "-PAY", "_PAY", "MIYAKI PAY", "PAY|PT", "ポイント"}) {
                assertThatThrownBy(() -> new AssetSpec(bad, ExpiryPolicy.never(), breakage))
                        .as(bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("asset code must match")
                        .hasMessageEndingWith(": " + bad);
            }
        }

        @Test
        void nullsAreNamed() {
            assertThatThrownBy(() -> new AssetSpec(null, ExpiryPolicy.never(), breakage))
                    .isInstanceOf(NullPointerException.class).hasMessage("code");
            assertThatThrownBy(() -> new AssetSpec(YEN, null, breakage))
                    .isInstanceOf(NullPointerException.class).hasMessage("expiry");
            assertThatThrownBy(() -> new AssetSpec(YEN, ExpiryPolicy.never(), null))
                    .isInstanceOf(NullPointerException.class).hasMessage("breakageAccountId");
        }
    }

    @Nested
    class LedgerOptionsBounds {
        final Clock clock = Clock.fixed(Instant.parse("2026-04-01T00:00:00Z"), ZoneOffset.UTC);

        @Test
        void defaultsAreValid() {
            LedgerOptions d = LedgerOptions.defaults();
            assertThat(d.maxBatch()).isEqualTo(2_000);
            assertThat(d.queueCapacity()).isEqualTo(100_000);
            assertThat(d.writerThreads()).isEqualTo(4);
        }

        @Test
        void maxBatchOfZeroIsRefused() {
            assertThatThrownBy(() -> new LedgerOptions(clock, 0, 10, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxBatch must be between 1 and 100000: 0");
            assertThatThrownBy(() -> LedgerOptions.defaults().withMaxBatch(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxBatch must be between 1 and 100000: 0");
        }

        @Test
        void maxBatchOverAHundredThousandIsRefused() {
            assertThatThrownBy(() -> new LedgerOptions(clock, 100_001, 200_000, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxBatch must be between 1 and 100000: 100001");
        }

        @Test
        void queueSmallerThanABatchIsRefused() {
            assertThatThrownBy(() -> new LedgerOptions(clock, 10, 9, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("queueCapacity must be >= maxBatch (10): 9");
            assertThatThrownBy(() -> LedgerOptions.defaults().withQueueCapacity(1_999))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("queueCapacity must be >= maxBatch (2000): 1999");
        }

        @Test
        void queueOfExactlyOneBatchIsAccepted() {
            assertThat(new LedgerOptions(clock, 10, 10, 1).queueCapacity()).isEqualTo(10);
        }

        @Test
        void raisingMaxBatchRaisesASmallerQueue() {
            LedgerOptions o = new LedgerOptions(clock, 10, 10, 1).withMaxBatch(50);
            assertThat(o.maxBatch()).isEqualTo(50);
            assertThat(o.queueCapacity()).isEqualTo(50);
        }

        @Test
        void zeroWriterThreadsIsRefused() {
            assertThatThrownBy(() -> new LedgerOptions(clock, 10, 10, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("writerThreads must be between 1 and 256: 0");
            assertThatThrownBy(() -> LedgerOptions.defaults().withWriterThreads(257))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("writerThreads must be between 1 and 256: 257");
        }

        @Test
        void nullClockIsNamed() {
            assertThatThrownBy(() -> LedgerOptions.defaults().withClock(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("clock");
        }
    }
}
