package jp.yui.ledger;

import static jp.yui.ledger.AccountFlag.LOT_TRACKED;
import static jp.yui.ledger.AccountFlag.NO_OVERDRAFT;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import jp.yui.testsupport.PostgresTest;
import org.junit.jupiter.api.Test;

/**
 * Many tills at once, against two ledger instances on one database (as two server processes would be): payments
 * from many wallets to a few shops and one hot shop, refunds, holds, top-ups, and retries of what was already
 * sent. No deadlock, no lost update, every acknowledged transfer in the journal exactly once, and retries create
 * nothing new.
 */
@PostgresTest(template = LedgerSchema.class)
class PostgresConcurrencyTest {

    private static final long REGION = 77;
    private static final int THREADS = 16;
    private static final int ROUNDS = 60;

    private final DataSource dataSource;

    PostgresConcurrencyTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Test
    void tillsHammeringOneShopLoseNothingAndDoubleNothing() throws Exception {
        LedgerOptions options = LedgerOptions.defaults().withMaxBatch(64);
        try (PostgresLedger one = PostgresLedger.open(dataSource, options);
             PostgresLedger two = PostgresLedger.open(dataSource, options)) {
            one.createRegion(REGION, "みやき町");
            one.createAsset(REGION, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
            UUID bank = one.createAccount(REGION, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
            List<UUID> wallets = new ArrayList<>();
            List<UUID> shops = new ArrayList<>();
            List<TransferRequest> funding = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                UUID w = one.createAccount(REGION, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT, NO_OVERDRAFT,
                        LOT_TRACKED).withCeiling(100_000)).id();
                wallets.add(w);
                funding.add(TransferRequest.posted(UUID.randomUUID(), bank, w, 20_000, "TOP_UP").withLot("PAID"));
            }
            for (int i = 0; i < 4; i++) {
                shops.add(one.createAccount(REGION, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT, NO_OVERDRAFT)).id());
            }
            UUID hot = shops.get(0);
            assertThat(one.execute(REGION, funding)).allMatch(o -> o.result() == TransferResult.OK);

            Map<UUID, Transfer> acknowledged = new ConcurrentHashMap<>();
            List<TransferRequest> sent = Collections.synchronizedList(new ArrayList<>());
            List<TransferRequest> okRequests = Collections.synchronizedList(new ArrayList<>(funding));
            funding.forEach(sent::add);
            one.journal(REGION, 0, 1_000).forEach(t -> acknowledged.put(t.id(), t));

            ExecutorService tills = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Ledger ledger = t % 2 == 0 ? one : two;
                Random random = new Random(t);
                running.add(tills.submit(() -> {
                    List<UUID> mine = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        UUID wallet = wallets.get(random.nextInt(wallets.size()));
                        UUID shop = random.nextInt(3) == 0 ? shops.get(random.nextInt(shops.size())) : hot;
                        List<TransferRequest> batch = new ArrayList<>();
                        switch (random.nextInt(6)) {
                            case 0:
                                if (!mine.isEmpty()) {
                                    batch.add(TransferRequest.reversal(UUID.randomUUID(),
                                            mine.get(random.nextInt(mine.size())), 1 + random.nextInt(300), "REFUND"));
                                }
                                break;
                            case 1:
                                UUID hold = UUID.randomUUID();
                                batch.add(TransferRequest.pending(hold, wallet, shop, 1 + random.nextInt(900), "PAYMENT",
                                        Duration.ofMinutes(5)));
                                batch.add(random.nextBoolean() ? TransferRequest.postPending(UUID.randomUUID(), hold)
                                        : TransferRequest.voidPending(UUID.randomUUID(), hold));
                                break;
                            case 2:
                                batch.add(TransferRequest.posted(UUID.randomUUID(), bank, wallet, 1 + random.nextInt(5_000), "TOP_UP")
                                        .withLot("PAID"));
                                break;
                            case 3:
                                if (!sent.isEmpty()) {
                                    batch.add(sent.get(random.nextInt(sent.size())));
                                }
                                break;
                            default:
                                batch.add(TransferRequest.posted(UUID.randomUUID(), wallet, shop, 1 + random.nextInt(900), "PAYMENT"));
                                break;
                        }
                        if (batch.isEmpty()) {
                            continue;
                        }
                        List<TransferOutcome> outcomes = ledger.submit(REGION, batch).get(60, TimeUnit.SECONDS);
                        for (int i = 0; i < batch.size(); i++) {
                            TransferOutcome o = outcomes.get(i);
                            sent.add(batch.get(i));
                            if (o.result() == TransferResult.OK) {
                                assertThat(acknowledged.putIfAbsent(o.id(), o.transfer())).as("acknowledged twice: %s", o).isNull();
                                okRequests.add(batch.get(i));
                                if (o.transfer().kind() == TransferKind.POSTED && o.transfer().reason().equals("PAYMENT")) {
                                    mine.add(o.id());
                                }
                            } else if (o.result() == TransferResult.EXISTS) {
                                assertThat(acknowledged).containsKey(o.id());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
            tills.shutdown();

            // Every acknowledged transfer is in the journal exactly once, and nothing else is.
            List<Transfer> journal = new ArrayList<>();
            for (long after = 0; ; ) {
                List<Transfer> page = one.journal(REGION, after, 10_000);
                if (page.isEmpty()) {
                    break;
                }
                journal.addAll(page);
                after = page.get(page.size() - 1).seq();
            }
            assertThat(journal).extracting(Transfer::id).doesNotHaveDuplicates();
            assertThat(Set.copyOf(journal.stream().map(Transfer::id).toList())).isEqualTo(acknowledged.keySet());
            assertThat(journal).extracting(Transfer::seq)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, journal.size()).boxed().toList());
            assertThat(acknowledged.size()).isGreaterThan(THREADS * ROUNDS / 2);

            // No lost update: balances equal what the acknowledged transfers add up to.
            Map<UUID, Long> expected = new HashMap<>();
            for (Transfer t : acknowledged.values()) {
                if (t.kind() == TransferKind.PENDING || t.kind() == TransferKind.VOID_PENDING) {
                    continue;
                }
                expected.merge(t.creditAccountId(), t.amount(), Long::sum);
                expected.merge(t.debitAccountId(), -t.amount(), Long::sum);
            }
            for (UUID w : wallets) {
                assertThat(one.account(REGION, w).orElseThrow().postedBalance()).as("wallet %s", w).isEqualTo(expected.getOrDefault(w, 0L));
            }
            for (UUID s : shops) {
                assertThat(two.account(REGION, s).orElseThrow().postedBalance()).as("shop %s", s).isEqualTo(expected.getOrDefault(s, 0L));
            }

            // Retrying everything acknowledged answers EXISTS with the original and creates nothing new.
            List<TransferRequest> retries = new ArrayList<>(okRequests);
            assertThat(retries).hasSize(acknowledged.size());
            for (int i = 0; i < retries.size(); i += 500) {
                for (TransferOutcome o : two.execute(REGION, retries.subList(i, Math.min(retries.size(), i + 500)))) {
                    assertThat(o.result()).as("retry of %s", o.id()).isEqualTo(TransferResult.EXISTS);
                    assertThat(o.transfer()).isEqualTo(acknowledged.get(o.id()));
                }
            }
            assertThat(countTransfers()).isEqualTo(journal.size());
            assertThat(one.verify(REGION).problems()).isEmpty();
        }
    }

    private long countTransfers() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from ledger_transfer where region_id = " + REGION)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
