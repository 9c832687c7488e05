package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Malformed requests are refused when built, with a message that names what was wrong and the value. */
class TransferRequestTest {

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final UUID BANK = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    static final UUID WALLET = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
    static final UUID PENDING = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
    static final UUID ORIGINAL = UUID.fromString("00000000-0000-0000-0000-0000000000e1");
    static final String CODE = "[A-Z][A-Z0-9_]{0,31}";

    static TransferRequest topUp() {
        return TransferRequest.posted(ID, BANK, WALLET, 1_000, "TOP_UP");
    }

    static TransferRequest hold(Duration timeout) {
        return TransferRequest.pending(ID, BANK, WALLET, 1_000, "HOLD", timeout);
    }

    @Nested
    class Amount {
        @Test
        void zeroAmountIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 0, "TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: 0");
        }

        @Test
        void negativeAmountIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, -1, "TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: -1");
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, Long.MIN_VALUE, "TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: " + Long.MIN_VALUE);
        }

        @Test
        void pendingAmountMustBeAboveZero() {
            assertThatThrownBy(() -> TransferRequest.pending(ID, BANK, WALLET, 0, "HOLD", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: 0");
        }

        @Test
        void partialPostAmountMustBeAboveZero() {
            assertThatThrownBy(() -> TransferRequest.postPending(ID, PENDING, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: 0");
            assertThatThrownBy(() -> TransferRequest.postPending(ID, PENDING, -5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: -5");
        }

        @Test
        void partialReversalAmountMustBeAboveZero() {
            assertThatThrownBy(() -> TransferRequest.reversal(ID, ORIGINAL, 0, "REFUND"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: 0");
            assertThatThrownBy(() -> TransferRequest.reversal(ID, ORIGINAL, -7, "REFUND"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: -7");
        }

        @Test
        void oneUnitIsTheSmallestAmount() {
            assertThat(TransferRequest.posted(ID, BANK, WALLET, 1, "TOP_UP").amount()).isEqualTo(1);
            assertThat(TransferRequest.posted(ID, BANK, WALLET, Long.MAX_VALUE, "TOP_UP").amount())
                    .isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void wholePostVoidAndReversalCarryAmountZero() {
            assertThat(TransferRequest.postPending(ID, PENDING).amount()).isZero();
            assertThat(TransferRequest.voidPending(ID, PENDING).amount()).isZero();
            assertThat(TransferRequest.reversal(ID, ORIGINAL, "REFUND").amount()).isZero();
        }
    }

    @Nested
    class Accounts {
        @Test
        void sameAccountOnBothSidesIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, WALLET, WALLET, 100, "TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("debit and credit accounts must differ: " + WALLET);
        }

        @Test
        void sameAccountOnBothSidesOfAHoldIsRefused() {
            assertThatThrownBy(() -> TransferRequest.pending(ID, WALLET, WALLET, 100, "HOLD", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("debit and credit accounts must differ: " + WALLET);
        }

        @Test
        void equalButDistinctUuidsAreTheSameAccount() {
            UUID copy = UUID.fromString(WALLET.toString());
            assertThatThrownBy(() -> TransferRequest.posted(ID, WALLET, copy, 100, "TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("debit and credit accounts must differ: " + WALLET);
        }
    }

    @Nested
    class Reason {
        @Test
        void lowerCaseReasonIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, "top_up"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": top_up");
        }

        @Test
        void reasonOfThirtyThreeCharactersIsRefused() {
            String tooLong = "R" + "X".repeat(32);
            assertThat(tooLong).hasSize(33);
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, tooLong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": " + tooLong);
        }

        @Test
        void reasonOfThirtyTwoCharactersIsAccepted() {
            String longest = "R" + "X".repeat(31);
            assertThat(TransferRequest.posted(ID, BANK, WALLET, 1, longest).reason()).isEqualTo(longest);
        }

        @Test
        void emptyReasonIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": ");
        }

        @Test
        void reasonWithTheHashChainSeparatorIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, "TOP|UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": TOP|UP");
        }

        @Test
        void reasonStartingWithADigitOrUnderscoreIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, "1ST_TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reason must match");
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, "_TOP_UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reason must match");
        }

        @Test
        void reasonWithAHyphenIsRefused() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, "TOP-UP"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": TOP-UP");
        }

        @Test
        void withReasonChecksTheNewReason() {
            assertThatThrownBy(() -> topUp().withReason("refund"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": refund");
            assertThat(topUp().withReason("REFUND").reason()).isEqualTo("REFUND");
        }

        @Test
        void reversalReasonIsChecked() {
            assertThatThrownBy(() -> TransferRequest.reversal(ID, ORIGINAL, "refund"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reason must match " + CODE + ": refund");
        }

        @Test
        void postAndVoidCarryTheirKindAsReason() {
            assertThat(TransferRequest.postPending(ID, PENDING).reason()).isEqualTo("POST_PENDING");
            assertThat(TransferRequest.voidPending(ID, PENDING).reason()).isEqualTo("VOID_PENDING");
        }
    }

    @Nested
    class Timeout {
        @Test
        void zeroTimeoutIsRefused() {
            assertThatThrownBy(() -> hold(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be above zero and at most PT8784H: PT0S");
        }

        @Test
        void negativeTimeoutIsRefused() {
            assertThatThrownBy(() -> hold(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be above zero and at most PT8784H: PT-1S");
        }

        @Test
        void timeoutOverTheMaximumIsRefused() {
            assertThatThrownBy(() -> hold(Duration.ofDays(367)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be above zero and at most PT8784H: PT8808H");
            assertThatThrownBy(() -> hold(TransferRequest.MAX_TIMEOUT.plusNanos(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be above zero and at most PT8784H: PT8784H0.000000001S");
        }

        @Test
        void theMaximumTimeoutIsAccepted() {
            assertThat(TransferRequest.MAX_TIMEOUT).isEqualTo(Duration.ofDays(366));
            assertThat(hold(TransferRequest.MAX_TIMEOUT).timeout()).isEqualTo(TransferRequest.MAX_TIMEOUT);
        }

        @Test
        void subMicrosecondTimeoutIsRefused() {
            assertThatThrownBy(() -> hold(Duration.ofNanos(999)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be at least 1 microsecond: PT0.000000999S");
            assertThatThrownBy(() -> hold(Duration.ofNanos(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be at least 1 microsecond: PT0.000000001S");
        }

        @Test
        void oneMicrosecondIsTheShortestTimeout() {
            assertThat(hold(Duration.ofNanos(1_000)).timeout()).isEqualTo(Duration.ofNanos(1_000));
        }

        @Test
        void timeoutIsTruncatedToMicroseconds() {
            assertThat(hold(Duration.ofNanos(1_999)).timeout()).isEqualTo(Duration.ofNanos(1_000));
            assertThat(hold(Duration.ofSeconds(30, 123_456_789)).timeout())
                    .isEqualTo(Duration.ofSeconds(30, 123_456_000));
        }

        @Test
        void noTimeoutIsNull() {
            assertThat(hold(null).timeout()).isNull();
            assertThat(topUp().timeout()).isNull();
        }
    }

    @Nested
    class WithLot {
        @Test
        void withLotRecordsTheSourceAndNoExpiry() {
            TransferRequest r = topUp().withLot("PAID");
            assertThat(r.lotSource()).isEqualTo("PAID");
            assertThat(r.lotExpiresAt()).isNull();
        }

        @Test
        void withLotAppliesToHolds() {
            assertThat(hold(Duration.ofMinutes(5)).withLot("PREMIUM").lotSource()).isEqualTo("PREMIUM");
        }

        @Test
        void withoutLotTheSourceIsNull() {
            assertThat(topUp().lotSource()).isNull();
            assertThat(topUp().lotExpiresAt()).isNull();
        }

        @Test
        void withLotOnAPostIsRefused() {
            assertThatThrownBy(() -> TransferRequest.postPending(ID, PENDING).withLot("PAID"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("withLot applies to POSTED and PENDING transfers, not POST_PENDING");
            assertThatThrownBy(() -> TransferRequest.postPending(ID, PENDING, 10).withLot("PAID"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("withLot applies to POSTED and PENDING transfers, not POST_PENDING");
        }

        @Test
        void withLotOnAVoidIsRefused() {
            assertThatThrownBy(() -> TransferRequest.voidPending(ID, PENDING).withLot("PAID"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("withLot applies to POSTED and PENDING transfers, not VOID_PENDING");
        }

        @Test
        void withLotOnAReversalIsRefused() {
            assertThatThrownBy(() -> TransferRequest.reversal(ID, ORIGINAL, "REFUND").withLot("PAID"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("withLot applies to POSTED and PENDING transfers, not REVERSAL");
        }

        @Test
        void withLotAndExpiryOnAReversalIsRefused() {
            Instant t = Instant.parse("2026-09-30T15:00:00Z");
            assertThatThrownBy(() -> TransferRequest.reversal(ID, ORIGINAL, 5, "REFUND").withLot("PAID", t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("withLot applies to POSTED and PENDING transfers, not REVERSAL");
        }

        @Test
        void lowerCaseSourceIsRefused() {
            assertThatThrownBy(() -> topUp().withLot("paid"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lotSource must match " + CODE + ": paid");
        }

        @Test
        void sourceWithSeparatorOrTooLongIsRefused() {
            assertThatThrownBy(() -> topUp().withLot("PA|D"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lotSource must match " + CODE + ": PA|D");
            String tooLong = "P".repeat(33);
            assertThatThrownBy(() -> topUp().withLot(tooLong, Instant.parse("2027-03-31T15:00:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lotSource must match " + CODE + ": " + tooLong);
            assertThatThrownBy(() -> topUp().withLot(""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lotSource must match " + CODE + ": ");
        }

        @Test
        void lotExpiryIsTruncatedToMicroseconds() {
            TransferRequest r = topUp().withLot("PREMIUM", Instant.parse("2026-09-30T15:00:00.123456789Z"));
            assertThat(r.lotSource()).isEqualTo("PREMIUM");
            assertThat(r.lotExpiresAt()).isEqualTo(Instant.parse("2026-09-30T15:00:00.123456Z"));
        }

        @Test
        void withLotWithoutExpiryDropsAnEarlierExpiry() {
            TransferRequest r = topUp().withLot("PREMIUM", Instant.parse("2026-09-30T15:00:00Z")).withLot("PAID");
            assertThat(r.lotSource()).isEqualTo("PAID");
            assertThat(r.lotExpiresAt()).isNull();
        }
    }

    @Nested
    class Nulls {
        @Test
        void nullIdIsNamed() {
            assertThatThrownBy(() -> TransferRequest.posted(null, BANK, WALLET, 1, "TOP_UP"))
                    .isInstanceOf(NullPointerException.class).hasMessage("id");
            assertThatThrownBy(() -> TransferRequest.voidPending(null, PENDING))
                    .isInstanceOf(NullPointerException.class).hasMessage("id");
        }

        @Test
        void nullAccountsAreNamed() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, null, WALLET, 1, "TOP_UP"))
                    .isInstanceOf(NullPointerException.class).hasMessage("debitAccountId");
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, null, 1, "TOP_UP"))
                    .isInstanceOf(NullPointerException.class).hasMessage("creditAccountId");
            assertThatThrownBy(() -> TransferRequest.pending(ID, null, WALLET, 1, "HOLD", null))
                    .isInstanceOf(NullPointerException.class).hasMessage("debitAccountId");
        }

        @Test
        void nullTargetsAreNamed() {
            assertThatThrownBy(() -> TransferRequest.postPending(ID, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("pendingId");
            assertThatThrownBy(() -> TransferRequest.postPending(ID, null, 10))
                    .isInstanceOf(NullPointerException.class).hasMessage("pendingId");
            assertThatThrownBy(() -> TransferRequest.voidPending(ID, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("pendingId");
            assertThatThrownBy(() -> TransferRequest.reversal(ID, null, "REFUND"))
                    .isInstanceOf(NullPointerException.class).hasMessage("originalId");
            assertThatThrownBy(() -> TransferRequest.reversal(ID, null, 10, "REFUND"))
                    .isInstanceOf(NullPointerException.class).hasMessage("originalId");
        }

        @Test
        void nullReasonIsNamed() {
            assertThatThrownBy(() -> TransferRequest.posted(ID, BANK, WALLET, 1, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason");
            assertThatThrownBy(() -> topUp().withReason(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("reason");
        }

        @Test
        void nullLotArgumentsAreNamed() {
            assertThatThrownBy(() -> topUp().withLot(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("lotSource");
            assertThatThrownBy(() -> topUp().withLot(null, Instant.parse("2027-03-31T15:00:00Z")))
                    .isInstanceOf(NullPointerException.class).hasMessage("lotSource");
            assertThatThrownBy(() -> topUp().withLot("PAID", null))
                    .isInstanceOf(NullPointerException.class).hasMessage("expiresAt");
        }

        @Test
        void nullMetadataIsNamed() {
            assertThatThrownBy(() -> topUp().withMetadata(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("metadata");
        }
    }

    @Nested
    class WithMetadata {
        @Test
        void metadataIsSortedAndUnmodifiable() {
            Map<String, String> given = new LinkedHashMap<>();
            given.put("shop", "42");
            given.put("receipt", "R-1");
            TransferRequest r = topUp().withMetadata(given);
            given.put("late", "x");
            assertThat(r.metadata()).containsExactly(Map.entry("receipt", "R-1"), Map.entry("shop", "42"));
            assertThatThrownBy(() -> r.metadata().put("other", "y"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void badMetadataIsRefusedOnTheRequest() {
            assertThatThrownBy(() -> topUp().withMetadata(Map.of("Shop", "42")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metadata key must match [a-z0-9][a-z0-9_.-]{0,63}: Shop");
        }

        @Test
        void noMetadataIsAnEmptyMap() {
            assertThat(topUp().metadata()).isEmpty();
        }
    }

    @Nested
    class Linked {
        @Test
        void requestsAreUnlinkedByDefault() {
            assertThat(topUp().isLinked()).isFalse();
            assertThat(TransferRequest.voidPending(ID, PENDING).isLinked()).isFalse();
        }

        @Test
        void linkedSetsIsLinkedAndKeepsTheRest() {
            TransferRequest plain = topUp().withLot("PAID").withMetadata(Map.of("shop", "42"));
            TransferRequest linked = plain.linked();
            assertThat(linked.isLinked()).isTrue();
            assertThat(plain.isLinked()).as("the original is unchanged").isFalse();
            assertThat(linked.id()).isEqualTo(ID);
            assertThat(linked.kind()).isEqualTo(TransferKind.POSTED);
            assertThat(linked.debitAccountId()).isEqualTo(BANK);
            assertThat(linked.creditAccountId()).isEqualTo(WALLET);
            assertThat(linked.amount()).isEqualTo(1_000);
            assertThat(linked.reason()).isEqualTo("TOP_UP");
            assertThat(linked.lotSource()).isEqualTo("PAID");
            assertThat(linked.metadata()).containsExactly(Map.entry("shop", "42"));
        }

        @Test
        void linkStaysThroughLaterRefinements() {
            TransferRequest r = topUp().linked().withReason("REFUND").withMetadata(Map.of("a", "b")).withLot("PAID");
            assertThat(r.isLinked()).isTrue();
        }
    }

    @Nested
    class Fields {
        @Test
        void postedCarriesItsFields() {
            TransferRequest r = topUp();
            assertThat(r.kind()).isEqualTo(TransferKind.POSTED);
            assertThat(r.pendingId()).isNull();
            assertThat(r.reversalOf()).isNull();
        }

        @Test
        void postAndVoidTakeTheirAccountsFromTheHold() {
            TransferRequest post = TransferRequest.postPending(ID, PENDING, 10);
            assertThat(post.kind()).isEqualTo(TransferKind.POST_PENDING);
            assertThat(post.pendingId()).isEqualTo(PENDING);
            assertThat(post.debitAccountId()).isNull();
            assertThat(post.creditAccountId()).isNull();
            assertThat(TransferRequest.voidPending(ID, PENDING).kind()).isEqualTo(TransferKind.VOID_PENDING);
        }

        @Test
        void reversalNamesItsOriginal() {
            TransferRequest r = TransferRequest.reversal(ID, ORIGINAL, 10, "REFUND");
            assertThat(r.kind()).isEqualTo(TransferKind.REVERSAL);
            assertThat(r.reversalOf()).isEqualTo(ORIGINAL);
            assertThat(r.amount()).isEqualTo(10);
            assertThat(r.pendingId()).isNull();
        }
    }

    @Nested
    class Equality {
        @Test
        void sameFieldsAreEqualWithEqualHashCodes() {
            TransferRequest a = topUp().withLot("PAID").withMetadata(Map.of("shop", "42")).linked();
            TransferRequest b = topUp().withLot("PAID").withMetadata(Map.of("shop", "42")).linked();
            assertThat(a).isEqualTo(b).isNotSameAs(b);
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }

        @Test
        void timeoutsEqualAfterTruncationMakeEqualRequests() {
            assertThat(hold(Duration.ofNanos(1_500))).isEqualTo(hold(Duration.ofNanos(1_000)));
        }

        @Test
        void anyDifferentFieldMakesADifferentRequest() {
            TransferRequest base = topUp();
            assertThat(base)
                    .isNotEqualTo(TransferRequest.posted(UUID.randomUUID(), BANK, WALLET, 1_000, "TOP_UP"))
                    .isNotEqualTo(TransferRequest.posted(ID, WALLET, BANK, 1_000, "TOP_UP"))
                    .isNotEqualTo(TransferRequest.posted(ID, BANK, WALLET, 1_001, "TOP_UP"))
                    .isNotEqualTo(base.withReason("REFUND"))
                    .isNotEqualTo(base.withMetadata(Map.of("shop", "42")))
                    .isNotEqualTo(base.withLot("PAID"))
                    .isNotEqualTo(base.withLot("PAID", Instant.parse("2027-03-31T15:00:00Z")))
                    .isNotEqualTo(base.linked())
                    .isNotEqualTo(TransferRequest.pending(ID, BANK, WALLET, 1_000, "TOP_UP", null))
                    .isNotEqualTo(null)
                    .isNotEqualTo("TOP_UP");
            assertThat(hold(Duration.ofMinutes(5))).isNotEqualTo(hold(Duration.ofMinutes(6)));
            assertThat(TransferRequest.postPending(ID, PENDING))
                    .isNotEqualTo(TransferRequest.postPending(ID, UUID.randomUUID()));
            assertThat(TransferRequest.reversal(ID, ORIGINAL, "REFUND"))
                    .isNotEqualTo(TransferRequest.reversal(ID, UUID.randomUUID(), "REFUND"));
        }

        @Test
        void hashCodeFollowsTheIdempotencyKey() {
            assertThat(topUp().withReason("REFUND").hashCode()).isEqualTo(topUp().hashCode());
        }

        @Test
        void toStringNamesKindIdAccountsAndAmount() {
            assertThat(topUp().linked().toString()).isEqualTo(
                    "TransferRequest{POSTED " + ID + " " + BANK + "->" + WALLET + " amount=1000 reason=TOP_UP linked}");
        }
    }

    @Nested
    class LotExpiryBounds {
        @Test
        void expiriesOutsideTheYears2000To9999AreRefused() {
            TransferRequest r = TransferRequest.posted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "AWARD");
            assertThatThrownBy(() -> r.withLot("POINTS", Instant.parse("+10000-01-01T00:00:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lot expiry must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: +10000-01-01T00:00:00Z");
            assertThatThrownBy(() -> r.withLot("POINTS", Instant.parse("1999-12-31T23:59:59Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("lot expiry must be between");
            assertThat(r.withLot("POINTS", Instant.parse("9999-12-31T23:59:59Z")).lotExpiresAt())
                    .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        }
    }
}
