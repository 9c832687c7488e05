package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import jp.yui.testsupport.PostgresTest;
import org.junit.jupiter.api.Test;

/** The writer's back-pressure and its promise that a future completes only after the batch is committed. */
@PostgresTest(template = LedgerSchema.class)
class PostgresWriterTest {

    private final DataSource dataSource;

    PostgresWriterTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Test
    void aFullQueueRefusesWithOverloadedAndTheQueuedWorkStillCommits() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        DataSource slow = gated(dataSource, gate);
        try (PostgresLedger setUp = PostgresLedger.open(dataSource, LedgerOptions.defaults());
             PostgresLedger ledger = PostgresLedger.open(slow, LedgerOptions.defaults().withMaxBatch(2).withQueueCapacity(4))) {
            setUp.createRegion(1, "みやき町");
            setUp.createAsset(1, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
            UUID bank = setUp.createAccount(1, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
            UUID shop = setUp.createAccount(1, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();

            // The writer is stuck waiting for a connection; four transfers fit in the queue, the fifth does not.
            List<CompletableFuture<List<TransferOutcome>>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                queued.add(ledger.submit(1, List.of(TransferRequest.posted(UUID.randomUUID(), bank, shop, 10, "PAYMENT"))));
            }
            CompletableFuture<List<TransferOutcome>> refused =
                    ledger.submit(1, List.of(TransferRequest.posted(UUID.randomUUID(), bank, shop, 10, "PAYMENT")));

            assertThat(refused).isCompletedExceptionally();
            assertThat(refused.handle((r, e) -> e).get()).isInstanceOf(LedgerOverloadedException.class)
                    .hasMessage("writer of region 1 is overloaded: 4 transfers queued, capacity 4");
            assertThat(queued).noneMatch(CompletableFuture::isDone);
            assertThat(setUp.journal(1, 0, 10)).isEmpty();

            gate.countDown();
            for (CompletableFuture<List<TransferOutcome>> f : queued) {
                assertThat(f.get(30, TimeUnit.SECONDS).get(0).result()).isEqualTo(TransferResult.OK);
            }
            assertThat(setUp.account(1, shop).orElseThrow().postedBalance()).isEqualTo(40);
            assertThat(setUp.verify(1).ok()).isTrue();
        }
    }

    @Test
    void aLinkedGroupLeftOpenEndsWithItsOwnSubmissionEvenWhenOthersShareTheBatch() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (PostgresLedger setUp = PostgresLedger.open(dataSource, LedgerOptions.defaults());
             PostgresLedger ledger = PostgresLedger.open(gated(dataSource, gate), LedgerOptions.defaults())) {
            setUp.createRegion(2, "みやき町");
            setUp.createAsset(2, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
            UUID bank = setUp.createAccount(2, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
            UUID wallet = setUp.createAccount(2, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT, AccountFlag.NO_OVERDRAFT)).id();
            UUID shop = setUp.createAccount(2, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();

            // Five clients' submissions wait together and are committed as one batch.
            List<CompletableFuture<List<TransferOutcome>>> f = new ArrayList<>();
            f.add(ledger.submit(2, List.of(TransferRequest.posted(UUID.randomUUID(), bank, wallet, 100, "TOP_UP"))));
            f.add(ledger.submit(2, List.of(TransferRequest.posted(UUID.randomUUID(), wallet, shop, 1_000, "PAYMENT").linked())));
            f.add(ledger.submit(2, List.of(TransferRequest.posted(UUID.randomUUID(), wallet, shop, 10, "PAYMENT"))));
            f.add(ledger.submit(2, List.of(TransferRequest.posted(UUID.randomUUID(), wallet, shop, 20, "PAYMENT").linked())));
            f.add(ledger.submit(2, List.of(TransferRequest.posted(UUID.randomUUID(), wallet, shop, 30, "PAYMENT"))));
            gate.countDown();

            List<TransferResult> results = new ArrayList<>();
            for (CompletableFuture<List<TransferOutcome>> one : f) {
                results.add(one.get(30, TimeUnit.SECONDS).get(0).result());
            }
            assertThat(results).containsExactly(TransferResult.OK, TransferResult.LINKED_CHAIN_OPEN, TransferResult.OK,
                    TransferResult.LINKED_CHAIN_OPEN, TransferResult.OK);
            assertThat(setUp.account(2, shop).orElseThrow().postedBalance()).isEqualTo(40);
        }
    }

    @Test
    void oneBadSubmissionDoesNotFailTheOthersInItsBatch() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (PostgresLedger setUp = PostgresLedger.open(dataSource, LedgerOptions.defaults());
             PostgresLedger ledger = PostgresLedger.open(gated(dataSource, gate), LedgerOptions.defaults())) {
            setUp.createRegion(3, "みやき町");
            setUp.createAsset(3, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
            UUID bank = setUp.createAccount(3, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
            UUID shop = setUp.createAccount(3, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();
            UUID breakage = setUp.asset(3, "YEN").orElseThrow().breakageAccountId();
            // A check constraint, added for this test, refuses any credit to one account: it stands in for anything
            // that makes one submission's writes fail in the database.
            CompletableFuture<List<TransferOutcome>> good =
                    ledger.submit(3, List.of(TransferRequest.posted(UUID.randomUUID(), bank, shop, 10, "PAYMENT")));
            CompletableFuture<List<TransferOutcome>> bad =
                    ledger.submit(3, List.of(TransferRequest.posted(UUID.randomUUID(), bank, breakage, 10, "X")));
            sql("alter table ledger_account add constraint scratch_no_breakage check (not (region_id = 3 and account_id = '"
                    + breakage + "' and credits_posted > 0))");
            try {
                gate.countDown();
                assertThat(good.get(30, TimeUnit.SECONDS).get(0).result()).isEqualTo(TransferResult.OK);
                assertThat(bad.handle((r, e) -> e).get(30, TimeUnit.SECONDS)).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(LedgerUnavailableException.class);
            } finally {
                sql("alter table ledger_account drop constraint scratch_no_breakage");
            }
            assertThat(setUp.account(3, shop).orElseThrow().postedBalance()).isEqualTo(10);
        }
    }

    @Test
    void aWriterDecidingFromMemorySeesWhatAnotherProcessChanged() {
        try (PostgresLedger one = PostgresLedger.open(dataSource, LedgerOptions.defaults());
             PostgresLedger two = PostgresLedger.open(dataSource, LedgerOptions.defaults())) {
            one.createRegion(4, "みやき町");
            one.createAsset(4, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
            UUID bank = one.createAccount(4, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
            UUID wallet = one.createAccount(4, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT,
                    AccountFlag.NO_OVERDRAFT, AccountFlag.LOT_TRACKED)).id();
            UUID shop = one.createAccount(4, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();
            assertThat(one.execute(4, TransferRequest.posted(UUID.randomUUID(), bank, wallet, 100, "TOP_UP")).result())
                    .isEqualTo(TransferResult.OK);
            // `one` now remembers the wallet at 100; `two` spends 60 of it.
            assertThat(two.execute(4, TransferRequest.posted(UUID.randomUUID(), wallet, shop, 60, "PAYMENT")).result())
                    .isEqualTo(TransferResult.OK);
            assertThat(one.execute(4, TransferRequest.posted(UUID.randomUUID(), wallet, shop, 60, "PAYMENT")).result())
                    .isEqualTo(TransferResult.INSUFFICIENT_FUNDS);
            assertThat(one.execute(4, TransferRequest.posted(UUID.randomUUID(), wallet, shop, 40, "PAYMENT")).result())
                    .isEqualTo(TransferResult.OK);

            // A frozen account, changed by another process between two batches of `one`.
            one.execute(4, TransferRequest.posted(UUID.randomUUID(), bank, wallet, 50, "TOP_UP"));
            two.updateAccount(4, wallet, java.util.Set.of(AccountFlag.NO_OVERDRAFT, AccountFlag.LOT_TRACKED,
                    AccountFlag.FROZEN_DEBITS), null);
            assertThat(one.execute(4, TransferRequest.posted(UUID.randomUUID(), wallet, shop, 10, "PAYMENT")).result())
                    .isEqualTo(TransferResult.ACCOUNT_FROZEN);
            two.updateAccount(4, wallet, java.util.Set.of(AccountFlag.NO_OVERDRAFT, AccountFlag.LOT_TRACKED), null);
            assertThat(one.execute(4, TransferRequest.posted(UUID.randomUUID(), wallet, shop, 10, "PAYMENT")).result())
                    .isEqualTo(TransferResult.OK);

            assertThat(one.account(4, wallet).orElseThrow().postedBalance()).isEqualTo(40);
            assertThat(one.openLots(4, wallet)).extracting(Lot::remaining).containsExactly(40L);
            assertThat(one.verify(4).problems()).isEmpty();
        }
    }

    @Test
    void anIdTakenBeforeIsFoundWhenTheWriterDecidesFromMemory() {
        try (PostgresLedger ledger = PostgresLedger.open(dataSource, LedgerOptions.defaults())) {
            ledger.createRegion(5, "みやき町");
            ledger.createAsset(5, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
            UUID bank = ledger.createAccount(5, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
            UUID wallet = ledger.createAccount(5, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT,
                    AccountFlag.NO_OVERDRAFT)).id();
            UUID shop = ledger.createAccount(5, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();
            UUID paid = UUID.randomUUID();
            ledger.execute(5, TransferRequest.posted(UUID.randomUUID(), bank, wallet, 100, "TOP_UP"));
            assertThat(ledger.execute(5, TransferRequest.posted(paid, wallet, shop, 30, "PAYMENT")).result())
                    .isEqualTo(TransferResult.OK);

            // The same id again: as it was (EXISTS), or changed so that it would also fail for funds.
            assertThat(ledger.execute(5, TransferRequest.posted(paid, wallet, shop, 30, "PAYMENT")).result())
                    .isEqualTo(TransferResult.EXISTS);
            assertThat(ledger.execute(5, TransferRequest.posted(paid, wallet, shop, 1_000, "PAYMENT")).result())
                    .isEqualTo(TransferResult.EXISTS_WITH_DIFFERENT_FIELDS);
            // A taken id in a batch with a new transfer: the new one still commits, once.
            List<TransferOutcome> mixed = ledger.execute(5, List.of(
                    TransferRequest.posted(UUID.randomUUID(), wallet, shop, 5, "PAYMENT"),
                    TransferRequest.posted(paid, wallet, shop, 30, "PAYMENT")));
            assertThat(mixed).extracting(TransferOutcome::result)
                    .containsExactly(TransferResult.OK, TransferResult.EXISTS);
            assertThat(ledger.account(5, shop).orElseThrow().postedBalance()).isEqualTo(35);
            assertThat(ledger.verify(5).problems()).isEmpty();
        }
    }

    private void sql(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void aClosedLedgerRefusesNewWork() {
        PostgresLedger ledger = PostgresLedger.open(dataSource, LedgerOptions.defaults());
        ledger.close();
        CompletableFuture<List<TransferOutcome>> f = ledger.submit(1, List.of(
                TransferRequest.posted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, "X")));
        assertThat(f).isCompletedExceptionally();
        org.assertj.core.api.Assertions.assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).cause().hasMessage("ledger is closed");
    }

    /** A data source whose connections wait for the gate to open. */
    private static DataSource gated(DataSource real, CountDownLatch gate) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        gate.await();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

}
