package jp.yui.ledger;

import jp.yui.testsupport.MutableClock;

import static jp.yui.ledger.AccountFlag.FROZEN_CREDITS;
import static jp.yui.ledger.AccountFlag.FROZEN_DEBITS;
import static jp.yui.ledger.AccountFlag.LOT_TRACKED;
import static jp.yui.ledger.AccountFlag.NO_OVERDRAFT;
import static jp.yui.ledger.TransferResult.ACCOUNT_CLOSED;
import static jp.yui.ledger.TransferResult.ACCOUNT_FROZEN;
import static jp.yui.ledger.TransferResult.ACCOUNT_NOT_FOUND;
import static jp.yui.ledger.TransferResult.ASSET_MISMATCH;
import static jp.yui.ledger.TransferResult.BALANCE_CEILING_EXCEEDED;
import static jp.yui.ledger.TransferResult.EXISTS;
import static jp.yui.ledger.TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
import static jp.yui.ledger.TransferResult.INSUFFICIENT_FUNDS;
import static jp.yui.ledger.TransferResult.LINKED_CHAIN_OPEN;
import static jp.yui.ledger.TransferResult.LINKED_TRANSFER_FAILED;
import static jp.yui.ledger.TransferResult.OK;
import static jp.yui.ledger.TransferResult.OVERFLOW;
import static jp.yui.ledger.TransferResult.PENDING_ALREADY_RESOLVED;
import static jp.yui.ledger.TransferResult.PENDING_AMOUNT_EXCEEDED;
import static jp.yui.ledger.TransferResult.PENDING_EXPIRED;
import static jp.yui.ledger.TransferResult.PENDING_NOT_FOUND;
import static jp.yui.ledger.TransferResult.REVERSAL_EXCEEDS_ORIGINAL;
import static jp.yui.ledger.TransferResult.REVERSAL_NOT_ALLOWED;
import static jp.yui.ledger.TransferResult.REVERSAL_TARGET_NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Ledger} keeps. Each test runs in a fresh region of a small town: a yen-backed local
 * currency and health points, with the accounts of DESIGN.md's chart. After each test the region must verify.
 */
abstract class LedgerContract {

    static final String YEN = "MIYAKI-PAY";
    static final String PT = "HEALTH-PT";
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** 1 April 2026, 09:00 in Tokyo. */
    static final Instant START = Instant.parse("2026-04-01T00:00:00Z");
    private static final AtomicLong REGIONS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    final MutableClock clock = new MutableClock(START);
    Ledger ledger;
    long region;

    UUID bank;
    UUID wallet;
    UUID shop;
    UUID funding;
    UUID issued;
    UUID budget;
    UUID points;
    UUID redeemed;
    UUID yenBreakage;
    UUID pointBreakage;

    /** A ledger on the given clock; closed after each test. */
    abstract Ledger newLedger(Clock clock);

    @BeforeEach
    void town() {
        ledger = newLedger(clock);
        region = REGIONS.incrementAndGet();
        ledger.createRegion(region, "みやき町");
        yenBreakage = UUID.randomUUID();
        pointBreakage = UUID.randomUUID();
        ledger.createAsset(region, new AssetSpec(YEN, ExpiryPolicy.never(), yenBreakage));
        ledger.createAsset(region, new AssetSpec(PT, ExpiryPolicy.afterDays(180, TOKYO), pointBreakage));
        bank = account(AccountSpec.of(UUID.randomUUID(), YEN, Side.DEBIT));
        wallet = account(AccountSpec.of(UUID.randomUUID(), YEN, Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED).withCeiling(100_000));
        shop = account(AccountSpec.of(UUID.randomUUID(), YEN, Side.CREDIT, NO_OVERDRAFT));
        funding = account(AccountSpec.of(UUID.randomUUID(), YEN, Side.CREDIT, NO_OVERDRAFT));
        issued = account(AccountSpec.of(UUID.randomUUID(), PT, Side.DEBIT));
        budget = account(AccountSpec.of(UUID.randomUUID(), PT, Side.CREDIT, NO_OVERDRAFT));
        points = account(AccountSpec.of(UUID.randomUUID(), PT, Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED));
        redeemed = account(AccountSpec.of(UUID.randomUUID(), PT, Side.CREDIT));
    }

    @AfterEach
    void invariantsHold() {
        try {
            VerificationReport report = ledger.verify(region);
            assertThat(report.problems()).isEmpty();
        } finally {
            ledger.close();
        }
    }

    UUID account(AccountSpec spec) {
        return ledger.createAccount(region, spec).id();
    }

    static UUID id() {
        return UUID.randomUUID();
    }

    TransferOutcome run(TransferRequest r) {
        return ledger.execute(region, r);
    }

    Transfer ok(TransferRequest r) {
        TransferOutcome o = run(r);
        assertThat(o.result()).as("result of %s", r).isEqualTo(OK);
        return o.transfer();
    }

    Account acct(UUID id) {
        return ledger.account(region, id).orElseThrow();
    }

    long balance(UUID id) {
        return acct(id).postedBalance();
    }

    /** Puts yen in the wallet as a paid top-up and points in the budget. */
    void fund(long yen, long pts) {
        if (yen > 0) {
            ok(TransferRequest.posted(id(), bank, wallet, yen, "TOP_UP").withLot("PAID"));
        }
        if (pts > 0) {
            ok(TransferRequest.posted(id(), issued, budget, pts, "APPROPRIATION"));
        }
    }

    // --------------------------------------------------------------------------------------------------------------

    @Test
    void postedTransferMovesValueBothWays() {
        fund(5_000, 0);
        Transfer t = ok(TransferRequest.posted(id(), wallet, shop, 1_200, "PAYMENT").withMetadata(Map.of("till", "3")));

        assertThat(balance(wallet)).isEqualTo(3_800);
        assertThat(balance(shop)).isEqualTo(1_200);
        assertThat(balance(bank)).isEqualTo(5_000);
        assertThat(t.assetCode()).isEqualTo(YEN);
        assertThat(t.metadata()).containsEntry("till", "3");
        assertThat(ledger.transfer(region, t.id())).contains(t);
    }

    @Test
    void replayWithSameFieldsAnswersExistsWithTheOriginalAndMovesNothing() {
        fund(5_000, 0);
        TransferRequest pay = TransferRequest.posted(id(), wallet, shop, 700, "PAYMENT");
        Transfer first = ok(pay);

        TransferOutcome again = run(pay);

        assertThat(again.result()).isEqualTo(EXISTS);
        assertThat(again.transfer()).isEqualTo(first);
        assertThat(balance(shop)).isEqualTo(700);
    }

    @Test
    void replayWithDifferentAmountIsRefusedAndMovesNothing() {
        fund(5_000, 0);
        UUID payId = id();
        ok(TransferRequest.posted(payId, wallet, shop, 700, "PAYMENT"));

        TransferOutcome other = run(TransferRequest.posted(payId, wallet, shop, 701, "PAYMENT"));

        assertThat(other.result()).isEqualTo(EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(other.transfer().amount()).isEqualTo(700);
        assertThat(balance(shop)).isEqualTo(700);
    }

    @Test
    void sameIdTwiceInOneSubmissionCommitsOnce() {
        fund(5_000, 0);
        TransferRequest pay = TransferRequest.posted(id(), wallet, shop, 100, "PAYMENT");

        List<TransferOutcome> out = ledger.execute(region, List.of(pay, pay));

        assertThat(out).extracting(TransferOutcome::result).containsExactly(OK, EXISTS);
        assertThat(balance(shop)).isEqualTo(100);
    }

    @Test
    void unknownAccountIsAccountNotFoundAndWritesNothing() {
        TransferOutcome o = run(TransferRequest.posted(id(), bank, UUID.randomUUID(), 10, "TOP_UP"));

        assertThat(o.result()).isEqualTo(ACCOUNT_NOT_FOUND);
        assertThat(o.transfer()).isNull();
        assertThat(ledger.transfer(region, o.id())).isEmpty();
        assertThat(ledger.journal(region, 0, 10)).isEmpty();
    }

    @Test
    void accountsOfDifferentAssetsCannotTrade() {
        fund(0, 1_000);
        assertThat(run(TransferRequest.posted(id(), budget, shop, 10, "AWARD")).result()).isEqualTo(ASSET_MISMATCH);
        assertThat(balance(shop)).isZero();
    }

    @Test
    void debitBeyondBalanceIsInsufficientFunds() {
        fund(1_000, 0);
        assertThat(run(TransferRequest.posted(id(), wallet, shop, 1_001, "PAYMENT")).result()).isEqualTo(INSUFFICIENT_FUNDS);
        assertThat(balance(wallet)).isEqualTo(1_000);
        ok(TransferRequest.posted(id(), wallet, shop, 1_000, "PAYMENT"));
        assertThat(balance(wallet)).isZero();
    }

    @Test
    void debitNormalBankAccountGrowsWithoutLimit() {
        ok(TransferRequest.posted(id(), bank, shop, 50_000_000, "SETTLEMENT"));
        assertThat(balance(bank)).isEqualTo(50_000_000);
    }

    @Test
    void creditOverTheCeilingIsRefusedCountingPendingCredits() {
        fund(90_000, 0);
        assertThat(run(TransferRequest.posted(id(), bank, wallet, 10_001, "TOP_UP")).result())
                .isEqualTo(BALANCE_CEILING_EXCEEDED);
        ok(TransferRequest.pending(id(), bank, wallet, 6_000, "TOP_UP", Duration.ofMinutes(5)));
        assertThat(run(TransferRequest.posted(id(), bank, wallet, 4_001, "TOP_UP")).result())
                .isEqualTo(BALANCE_CEILING_EXCEEDED);
        ok(TransferRequest.posted(id(), bank, wallet, 4_000, "TOP_UP"));
        assertThat(balance(wallet)).isEqualTo(94_000);
    }

    @Test
    void frozenAndClosedAccountsRefuseTransfers() {
        fund(5_000, 0);
        ledger.updateAccount(region, wallet, Set.of(NO_OVERDRAFT, LOT_TRACKED, FROZEN_DEBITS), 100_000L);
        assertThat(run(TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT")).result()).isEqualTo(ACCOUNT_FROZEN);
        ok(TransferRequest.posted(id(), bank, wallet, 1, "TOP_UP"));

        ledger.updateAccount(region, shop, Set.of(NO_OVERDRAFT, FROZEN_CREDITS), null);
        ledger.updateAccount(region, wallet, Set.of(NO_OVERDRAFT, LOT_TRACKED), 100_000L);
        assertThat(run(TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT")).result()).isEqualTo(ACCOUNT_FROZEN);

        ledger.updateAccount(region, shop, Set.of(NO_OVERDRAFT, AccountFlag.CLOSED), null);
        assertThat(run(TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT")).result()).isEqualTo(ACCOUNT_CLOSED);
        assertThat(balance(shop)).isZero();
    }

    @Test
    void lotTrackingCannotBeSwitchedAfterCreation() {
        assertThatThrownBy(() -> ledger.updateAccount(region, wallet, Set.of(NO_OVERDRAFT), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LOT_TRACKED is fixed at creation of account " + wallet);
    }

    @Test
    void totalsThatWouldOverflowAreRefused() {
        UUID sink = account(AccountSpec.of(id(), YEN, Side.CREDIT));
        ok(TransferRequest.posted(id(), bank, sink, Long.MAX_VALUE - 10, "TEST"));
        assertThat(run(TransferRequest.posted(id(), bank, sink, 11, "TEST")).result()).isEqualTo(OVERFLOW);
        assertThat(balance(sink)).isEqualTo(Long.MAX_VALUE - 10);
    }

    @Test
    void unknownRegionFailsTheSubmission() {
        assertThatThrownBy(() -> ledger.submit(region + 1_000_000_000L,
                List.of(TransferRequest.posted(id(), bank, shop, 1, "X"))).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .cause().hasMessage("unknown region: " + (region + 1_000_000_000L));
    }

    @Nested
    class Setup {
        @Test
        void creatingTheSameAccountAgainReturnsIt() {
            AccountSpec spec = AccountSpec.of(id(), YEN, Side.CREDIT, NO_OVERDRAFT).withLabel("shop 12");
            Account first = ledger.createAccount(region, spec);
            assertThat(ledger.createAccount(region, spec)).isEqualTo(first);
        }

        @Test
        void creatingAnAccountWithAnotherSpecUnderAnExistingIdIsRefused() {
            assertThatThrownBy(() -> ledger.createAccount(region, AccountSpec.of(shop, YEN, Side.DEBIT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("account " + shop + " exists with another spec");
        }

        @Test
        void accountsNeedAKnownAsset() {
            assertThatThrownBy(() -> ledger.createAccount(region, AccountSpec.of(id(), "NOPE", Side.CREDIT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown asset in region " + region + ": NOPE");
        }

        @Test
        void assetsComeWithTheirBreakageAccount() {
            Account breakage = acct(pointBreakage);
            assertThat(breakage.assetCode()).isEqualTo(PT);
            assertThat(breakage.normal()).isEqualTo(Side.CREDIT);
            assertThat(ledger.asset(region, PT).orElseThrow().expiry()).isEqualTo(ExpiryPolicy.afterDays(180, TOKYO));
            assertThat(ledger.createAsset(region, new AssetSpec(PT, ExpiryPolicy.afterDays(180, TOKYO), pointBreakage)))
                    .isEqualTo(ledger.asset(region, PT).orElseThrow());
        }

        @Test
        void regionNameIsFixed() {
            ledger.createRegion(region, "みやき町");
            assertThatThrownBy(() -> ledger.createRegion(region, "other"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("region " + region + " exists with another name: みやき町");
        }
    }

    @Nested
    class Holds {
        @Test
        void pendingHoldReducesAvailableUntilPosted() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", Duration.ofMinutes(5)));

            assertThat(acct(wallet).availableBalance()).isEqualTo(3_000);
            assertThat(acct(wallet).postedBalance()).isEqualTo(5_000);
            assertThat(run(TransferRequest.posted(id(), wallet, shop, 3_001, "PAYMENT")).result()).isEqualTo(INSUFFICIENT_FUNDS);

            Transfer post = ok(TransferRequest.postPending(id(), hold.id()));
            assertThat(post.amount()).isEqualTo(2_000);
            assertThat(balance(wallet)).isEqualTo(3_000);
            assertThat(acct(wallet).debitsPending()).isZero();
            assertThat(balance(shop)).isEqualTo(2_000);
            assertThat(ledger.hold(region, hold.id()).orElseThrow().status()).isEqualTo(HoldStatus.POSTED);
        }

        @Test
        void partialPostReleasesTheRest() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", null));
            ok(TransferRequest.postPending(id(), hold.id(), 1_500));
            assertThat(balance(wallet)).isEqualTo(3_500);
            assertThat(acct(wallet).availableBalance()).isEqualTo(3_500);
            assertThat(ledger.hold(region, hold.id()).orElseThrow().postedAmount()).isEqualTo(1_500);
        }

        @Test
        void voidReleasesTheHold() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", null));
            ok(TransferRequest.voidPending(id(), hold.id()));
            assertThat(acct(wallet).availableBalance()).isEqualTo(5_000);
            assertThat(acct(shop).creditsPending()).isZero();
            assertThat(run(TransferRequest.postPending(id(), hold.id())).result()).isEqualTo(PENDING_ALREADY_RESOLVED);
        }

        @Test
        void holdsResolveOnlyOnce() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", null));
            ok(TransferRequest.postPending(id(), hold.id(), 100));
            assertThat(run(TransferRequest.postPending(id(), hold.id())).result()).isEqualTo(PENDING_ALREADY_RESOLVED);
            assertThat(run(TransferRequest.voidPending(id(), hold.id())).result()).isEqualTo(PENDING_ALREADY_RESOLVED);
            assertThat(balance(shop)).isEqualTo(100);
        }

        @Test
        void postingMoreThanHeldOrAnUnknownHoldIsRefused() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", null));
            assertThat(run(TransferRequest.postPending(id(), hold.id(), 2_001)).result()).isEqualTo(PENDING_AMOUNT_EXCEEDED);
            assertThat(run(TransferRequest.postPending(id(), id())).result()).isEqualTo(PENDING_NOT_FOUND);
            assertThat(run(TransferRequest.postPending(id(), shop)).result()).isEqualTo(PENDING_NOT_FOUND);
        }

        @Test
        void holdsTimeOutAndReleaseThemselves() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", Duration.ofSeconds(60)));
            clock.advance(Duration.ofSeconds(61));

            ledger.sweepExpired(region);

            assertThat(ledger.hold(region, hold.id()).orElseThrow().status()).isEqualTo(HoldStatus.EXPIRED);
            assertThat(acct(wallet).availableBalance()).isEqualTo(5_000);
            assertThat(run(TransferRequest.postPending(id(), hold.id())).result()).isEqualTo(PENDING_EXPIRED);
        }

        @Test
        void aTimedOutHoldCannotBePostedEvenBeforeAnySweep() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 2_000, "PAYMENT", Duration.ofSeconds(60)));
            clock.advance(Duration.ofSeconds(60));
            assertThat(run(TransferRequest.postPending(id(), hold.id())).result()).isEqualTo(PENDING_EXPIRED);
            assertThat(acct(wallet).availableBalance()).isEqualTo(5_000);
            assertThat(balance(shop)).isZero();
        }

        @Test
        void aHoldCanBePostedInTheSubmissionThatCreatedIt() {
            fund(5_000, 0);
            UUID holdId = id();
            List<TransferOutcome> out = ledger.execute(region, List.of(
                    TransferRequest.pending(holdId, wallet, shop, 300, "PAYMENT", null),
                    TransferRequest.postPending(id(), holdId)));
            assertThat(out).extracting(TransferOutcome::result).containsExactly(OK, OK);
            assertThat(balance(shop)).isEqualTo(300);
        }

        @Test
        void replayedPendingKeepsItsTimeout() {
            fund(5_000, 0);
            TransferRequest hold = TransferRequest.pending(id(), wallet, shop, 10, "PAYMENT", Duration.ofMinutes(1));
            ok(hold);
            clock.advance(Duration.ofSeconds(5));
            assertThat(run(hold).result()).isEqualTo(EXISTS);
        }
    }

    @Nested
    class Linked {
        @Test
        void conversionMovesPointsAndYenTogether() {
            fund(0, 10_000);
            ok(TransferRequest.posted(id(), bank, funding, 50_000, "CONVERSION_FUNDING"));
            ok(TransferRequest.posted(id(), budget, points, 3_000, "AWARD").withLot("POINTS"));

            List<TransferOutcome> out = ledger.execute(region, List.of(
                    TransferRequest.posted(id(), points, redeemed, 1_000, "CONVERT").linked(),
                    TransferRequest.posted(id(), funding, wallet, 1_000, "CONVERT").withLot("POINTS")));

            assertThat(out).extracting(TransferOutcome::result).containsExactly(OK, OK);
            assertThat(balance(points)).isEqualTo(2_000);
            assertThat(balance(wallet)).isEqualTo(1_000);
            assertThat(ledger.balanceBySource(region, wallet)).containsExactly(Map.entry("POINTS", 1_000L));
        }

        @Test
        void aFailureInTheGroupUndoesTheWholeGroup() {
            fund(0, 10_000);
            ok(TransferRequest.posted(id(), budget, points, 3_000, "AWARD").withLot("POINTS"));

            List<TransferOutcome> out = ledger.execute(region, List.of(
                    TransferRequest.posted(id(), points, redeemed, 1_000, "CONVERT").linked(),
                    TransferRequest.posted(id(), funding, wallet, 1_000, "CONVERT"),
                    TransferRequest.posted(id(), budget, points, 5, "AWARD")));

            assertThat(out).extracting(TransferOutcome::result)
                    .containsExactly(LINKED_TRANSFER_FAILED, INSUFFICIENT_FUNDS, OK);
            assertThat(balance(points)).isEqualTo(3_005);
            assertThat(balance(redeemed)).isZero();
            assertThat(ledger.openLots(region, points)).extracting(Lot::remaining).containsExactly(3_000L, 5L);
            assertThat(ledger.journal(region, 0, 100)).hasSize(3);
        }

        @Test
        void aGroupLeftOpenFailsWhole() {
            fund(5_000, 0);
            List<TransferOutcome> out = ledger.execute(region, List.of(
                    TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT"),
                    TransferRequest.posted(id(), wallet, shop, 2, "PAYMENT").linked()));
            assertThat(out).extracting(TransferOutcome::result).containsExactly(OK, LINKED_CHAIN_OPEN);
            assertThat(balance(shop)).isEqualTo(1);
        }

        @Test
        void replayingACommittedGroupAnswersExistsForEveryMember() {
            fund(5_000, 0);
            List<TransferRequest> group = List.of(
                    TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT").linked(),
                    TransferRequest.posted(id(), wallet, shop, 2, "PAYMENT"));
            ledger.execute(region, group);
            assertThat(ledger.execute(region, group)).extracting(TransferOutcome::result).containsExactly(EXISTS, EXISTS);
            assertThat(balance(shop)).isEqualTo(3);
        }
    }

    @Nested
    class Reversals {
        @Test
        void reversalMovesValueBackAndLeavesTheOriginal() {
            fund(5_000, 0);
            Transfer pay = ok(TransferRequest.posted(id(), wallet, shop, 1_000, "PAYMENT"));
            Transfer back = ok(TransferRequest.reversal(id(), pay.id(), "REFUND"));

            assertThat(back.debitAccountId()).isEqualTo(shop);
            assertThat(back.creditAccountId()).isEqualTo(wallet);
            assertThat(back.amount()).isEqualTo(1_000);
            assertThat(back.reversalOf()).isEqualTo(pay.id());
            assertThat(balance(wallet)).isEqualTo(5_000);
            assertThat(ledger.transfer(region, pay.id())).contains(pay);
        }

        @Test
        void partialReversalsNeverExceedTheOriginal() {
            fund(5_000, 0);
            Transfer pay = ok(TransferRequest.posted(id(), wallet, shop, 1_000, "PAYMENT"));
            ok(TransferRequest.reversal(id(), pay.id(), 600, "REFUND"));
            assertThat(run(TransferRequest.reversal(id(), pay.id(), 401, "REFUND")).result()).isEqualTo(REVERSAL_EXCEEDS_ORIGINAL);
            ok(TransferRequest.reversal(id(), pay.id(), 400, "REFUND"));
            assertThat(run(TransferRequest.reversal(id(), pay.id(), "REFUND")).result()).isEqualTo(REVERSAL_EXCEEDS_ORIGINAL);
            assertThat(balance(shop)).isZero();
        }

        @Test
        void onlyPostedMovementsReverse() {
            fund(5_000, 0);
            Transfer hold = ok(TransferRequest.pending(id(), wallet, shop, 10, "PAYMENT", null));
            assertThat(run(TransferRequest.reversal(id(), hold.id(), "REFUND")).result()).isEqualTo(REVERSAL_NOT_ALLOWED);
            assertThat(run(TransferRequest.reversal(id(), id(), "REFUND")).result()).isEqualTo(REVERSAL_TARGET_NOT_FOUND);
        }

        @Test
        void reversalRestoresTheLotsThePaymentUsed() {
            ok(TransferRequest.posted(id(), bank, wallet, 1_000, "TOP_UP").withLot("PAID"));
            Instant premiumEnd = START.plus(Duration.ofDays(30));
            ok(TransferRequest.posted(id(), bank, wallet, 200, "PREMIUM").withLot("PREMIUM", premiumEnd));
            Transfer pay = ok(TransferRequest.posted(id(), wallet, shop, 500, "PAYMENT"));
            // The premium expires first, so the payment used all of it and 300 of the paid yen.
            assertThat(ledger.balanceBySource(region, wallet)).containsExactlyInAnyOrderEntriesOf(Map.of("PAID", 700L));

            ok(TransferRequest.reversal(id(), pay.id(), 250, "REFUND"));

            // Latest expiry first: the paid yen comes back before the premium.
            assertThat(ledger.balanceBySource(region, wallet)).containsExactlyInAnyOrderEntriesOf(Map.of("PAID", 950L));
            ok(TransferRequest.reversal(id(), pay.id(), 250, "REFUND"));
            assertThat(ledger.balanceBySource(region, wallet))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("PAID", 1_000L, "PREMIUM", 200L));
            assertThat(ledger.openLots(region, wallet)).filteredOn(l -> l.source().equals("PREMIUM"))
                    .extracting(Lot::expiresAt).containsOnly(premiumEnd);
        }
    }

    @Nested
    class Lots {
        @Test
        void creditsCreateLotsThatExpireByTheAssetPolicy() {
            fund(0, 1_000);
            Transfer award = ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("POINTS"));
            List<Lot> lots = ledger.openLots(region, points);
            assertThat(lots).hasSize(1);
            Lot lot = lots.get(0);
            assertThat(lot.source()).isEqualTo("POINTS");
            assertThat(lot.amount()).isEqualTo(100);
            assertThat(lot.transferId()).isEqualTo(award.id());
            // Credited 1 April (Tokyo); valid 180 days after, through 28 September; gone at the start of 29 September.
            assertThat(lot.expiresAt()).isEqualTo(Instant.parse("2026-09-28T15:00:00Z"));
        }

        @Test
        void debitsConsumeEarliestExpiryFirst() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("POINTS"));
            clock.advance(Duration.ofDays(10));
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(20))));
            ok(TransferRequest.posted(id(), points, redeemed, 150, "CONVERT"));

            List<Lot> lots = ledger.openLots(region, points);
            assertThat(lots).extracting(Lot::source, Lot::remaining).containsExactly(org.assertj.core.groups.Tuple.tuple("POINTS", 50L));
        }

        @Test
        void valueWithoutExpiryIsSpentLast() {
            ok(TransferRequest.posted(id(), bank, wallet, 100, "TOP_UP").withLot("PAID"));
            ok(TransferRequest.posted(id(), bank, wallet, 50, "PREMIUM").withLot("PREMIUM", START.plus(Duration.ofDays(90))));
            ok(TransferRequest.posted(id(), wallet, shop, 60, "PAYMENT"));
            assertThat(ledger.balanceBySource(region, wallet)).containsExactlyInAnyOrderEntriesOf(Map.of("PAID", 90L));
        }

        @Test
        void sweepMovesExpiredValueToBreakage() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("POINTS"));
            ok(TransferRequest.posted(id(), budget, points, 40, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(1))));
            clock.advance(Duration.ofDays(2));

            SweepResult swept = ledger.sweepExpired(region);

            assertThat(swept).isEqualTo(new SweepResult(1, 40));
            assertThat(balance(points)).isEqualTo(100);
            assertThat(balance(pointBreakage)).isEqualTo(40);
            assertThat(ledger.sweepExpired(region)).isEqualTo(new SweepResult(0, 0));
            Transfer expiry = ledger.journal(region, 0, 100).stream().filter(t -> t.kind() == TransferKind.EXPIRY)
                    .findFirst().orElseThrow();
            assertThat(expiry.debitAccountId()).isEqualTo(points);
            assertThat(expiry.creditAccountId()).isEqualTo(pointBreakage);
        }

        @Test
        void expiredValueCannotBeSpentEvenBeforeASweep() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("POINTS"));
            ok(TransferRequest.posted(id(), budget, points, 40, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(1))));
            clock.advance(Duration.ofDays(2));

            assertThat(run(TransferRequest.posted(id(), points, redeemed, 101, "CONVERT")).result()).isEqualTo(INSUFFICIENT_FUNDS);
            ok(TransferRequest.posted(id(), points, redeemed, 100, "CONVERT"));
            assertThat(balance(pointBreakage)).isEqualTo(40);
            assertThat(balance(points)).isZero();
        }

        @Test
        void sweepLeavesWhatAPendingHoldNeeds() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(1))));
            Transfer hold = ok(TransferRequest.pending(id(), points, redeemed, 30, "CONVERT", null));
            clock.advance(Duration.ofDays(2));

            assertThat(ledger.sweepExpired(region)).isEqualTo(new SweepResult(1, 70));
            ok(TransferRequest.postPending(id(), hold.id()));
            assertThat(balance(points)).isZero();
            assertThat(balance(redeemed)).isEqualTo(30);
        }

        @Test
        void expiringLotsListsWhatExpiresBeforeADatePageByPage() {
            fund(0, 1_000);
            for (int i = 1; i <= 5; i++) {
                ok(TransferRequest.posted(id(), budget, points, i, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(i))));
            }
            ok(TransferRequest.posted(id(), budget, points, 9, "AWARD").withLot("POINTS"));

            List<Lot> first = ledger.expiringLots(region, START.plus(Duration.ofDays(4)).plusSeconds(1), 0, 2);
            List<Lot> second = ledger.expiringLots(region, START.plus(Duration.ofDays(4)).plusSeconds(1),
                    first.get(1).lotId(), 2);

            assertThat(first).extracting(Lot::amount).containsExactly(1L, 2L);
            assertThat(second).extracting(Lot::amount).containsExactly(3L, 4L);
        }

        @Test
        void yearlyExpiryEndsWithTheFiscalYear() {
            ExpiryPolicy fy = ExpiryPolicy.yearlyOn(MonthDay.of(3, 31), TOKYO);
            assertThat(fy.expiresAt(Instant.parse("2026-03-31T14:59:59Z"))).isEqualTo(Instant.parse("2026-03-31T15:00:00Z"));
            assertThat(fy.expiresAt(Instant.parse("2026-03-31T15:00:00Z"))).isEqualTo(Instant.parse("2027-03-31T15:00:00Z"));
        }
    }

    @Nested
    class History {
        @Test
        void balanceAtReadsTheBalanceAsItStoodThen() {
            fund(1_000, 0);
            Instant afterTopUp = clock.instant();
            clock.advance(Duration.ofHours(1));
            ok(TransferRequest.posted(id(), wallet, shop, 300, "PAYMENT"));
            clock.advance(Duration.ofHours(1));
            ok(TransferRequest.posted(id(), wallet, shop, 200, "PAYMENT"));

            assertThat(ledger.balanceAt(region, wallet, START.minusSeconds(1))).isZero();
            assertThat(ledger.balanceAt(region, wallet, afterTopUp)).isEqualTo(1_000);
            assertThat(ledger.balanceAt(region, wallet, START.plus(Duration.ofMinutes(90)))).isEqualTo(700);
            assertThat(ledger.balanceAt(region, wallet, clock.instant())).isEqualTo(500);
        }

        @Test
        void statementPagesCarryRunningBalances() {
            fund(1_000, 0);
            for (int i = 1; i <= 5; i++) {
                clock.advance(Duration.ofMinutes(1));
                ok(TransferRequest.posted(id(), wallet, shop, i * 10, "PAYMENT"));
            }
            List<StatementEntry> all = new ArrayList<>();
            long cursor = 0;
            int pages = 0;
            while (true) {
                StatementPage page = ledger.statement(region, wallet, null, null, cursor, 2);
                all.addAll(page.entries());
                pages++;
                if (page.nextCursor() == null) {
                    break;
                }
                cursor = page.nextCursor();
            }
            assertThat(pages).isEqualTo(3);
            assertThat(all).extracting(StatementEntry::balanceAfter).containsExactly(1_000L, 990L, 970L, 940L, 900L, 850L);
            assertThat(all.get(1).side()).isEqualTo(Side.DEBIT);
            assertThat(all.get(1).reason()).isEqualTo("PAYMENT");

            StatementPage window = ledger.statement(region, wallet, START.plus(Duration.ofMinutes(2)),
                    START.plus(Duration.ofMinutes(4)), 0, 100);
            assertThat(window.entries()).extracting(StatementEntry::amount).containsExactly(20L, 30L);
        }

        @Test
        void journalListsTransfersInOrderWithoutGaps() {
            fund(1_000, 0);
            ok(TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT"));
            run(TransferRequest.posted(id(), wallet, shop, 10_000, "PAYMENT"));
            ok(TransferRequest.posted(id(), wallet, shop, 2, "PAYMENT"));
            assertThat(ledger.journal(region, 0, 10)).extracting(Transfer::seq).containsExactly(1L, 2L, 3L);
            assertThat(ledger.journal(region, 1, 1)).extracting(Transfer::amount).containsExactly(1L);
        }

        @Test
        void verifyCountsTheChain() {
            fund(1_000, 0);
            ok(TransferRequest.posted(id(), wallet, shop, 1, "PAYMENT"));
            VerificationReport report = ledger.verify(region);
            assertThat(report.ok()).isTrue();
            assertThat(report.transfers()).isEqualTo(2);
            assertThat(report.batches()).isEqualTo(2);
        }
    }

    /** Cases found in review, each once wrong in at least one implementation. */
    @Nested
    class FoundInReview {
        @Test
        void expiredValueFreedByAPartialPostInTheSameSubmissionIsNotSpent() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(1))));
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("POINTS"));
            Transfer hold = ok(TransferRequest.pending(id(), points, redeemed, 150, "CONVERT", null));
            clock.advance(Duration.ofDays(2));

            List<TransferOutcome> out = ledger.execute(region, List.of(
                    TransferRequest.postPending(id(), hold.id(), 10),
                    TransferRequest.posted(id(), points, redeemed, 140, "CONVERT")));

            assertThat(out).extracting(TransferOutcome::result).containsExactly(OK, INSUFFICIENT_FUNDS);
            assertThat(balance(points)).isEqualTo(100);
            assertThat(ledger.balanceBySource(region, points)).containsExactlyInAnyOrderEntriesOf(Map.of("POINTS", 100L));
        }

        @Test
        void theSameIdTwiceInOneLinkedGroupCommitsNothing() {
            fund(5_000, 0);
            TransferRequest a = TransferRequest.posted(id(), wallet, shop, 10, "PAYMENT");
            List<TransferOutcome> out = ledger.execute(region, List.of(a.linked(), a.linked(),
                    TransferRequest.posted(id(), wallet, shop, 20, "PAYMENT")));
            assertThat(out).extracting(TransferOutcome::result)
                    .containsExactly(LINKED_TRANSFER_FAILED, LINKED_TRANSFER_FAILED, LINKED_TRANSFER_FAILED);
            assertThat(out).noneMatch(TransferOutcome::committed);
            assertThat(ledger.transfer(region, a.id())).isEmpty();
            assertThat(balance(shop)).isZero();
        }

        @Test
        void aCeilingOnTheBreakageAccountDoesNotStopExpiry() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 100, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(1))));
            ledger.updateAccount(region, pointBreakage, Set.of(), 10L);
            clock.advance(Duration.ofDays(2));

            ok(TransferRequest.posted(id(), budget, points, 5, "AWARD"));
            assertThat(run(TransferRequest.posted(id(), points, redeemed, 1, "CONVERT")).result()).isEqualTo(OK);

            assertThat(balance(pointBreakage)).isEqualTo(100);
            assertThat(balance(points)).isEqualTo(4);
        }

        @Test
        void reversingACreditTakesBackTheLotsItMade() {
            ok(TransferRequest.posted(id(), bank, wallet, 200, "PREMIUM").withLot("PREMIUM", START.plus(Duration.ofDays(30))));
            Transfer charge = ok(TransferRequest.posted(id(), bank, wallet, 1_000, "TOP_UP").withLot("PAID"));

            ok(TransferRequest.reversal(id(), charge.id(), "CANCEL"));

            assertThat(ledger.balanceBySource(region, wallet)).containsExactlyInAnyOrderEntriesOf(Map.of("PREMIUM", 200L));
        }

        @Test
        void anExpiryFindsAnotherIdWhenAClientTookTheOneItWouldDerive() {
            fund(0, 1_000);
            ok(TransferRequest.posted(id(), budget, points, 40, "AWARD").withLot("EVENT", START.plus(Duration.ofDays(1))));
            long nextSeq = ledger.journal(region, 0, 100).size() + 2;
            UUID taken = UUID.nameUUIDFromBytes(("yui:expiry:" + region + ":" + nextSeq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Transfer client = ok(TransferRequest.posted(taken, budget, points, 1, "AWARD"));
            clock.advance(Duration.ofDays(2));

            assertThat(ledger.sweepExpired(region)).isEqualTo(new SweepResult(1, 40));
            assertThat(ledger.transfer(region, taken)).contains(client);
        }

        @Test
        void noOverdraftCannotBeSetOnAnAccountBelowZero() {
            UUID loose = account(AccountSpec.of(id(), YEN, Side.CREDIT));
            ok(TransferRequest.posted(id(), loose, shop, 5, "TEST"));
            assertThatThrownBy(() -> ledger.updateAccount(region, loose, Set.of(NO_OVERDRAFT), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("account " + loose + " is below zero (-5), so NO_OVERDRAFT cannot be set");
        }
    }
}
