package jp.yui.ledger;

import jp.yui.testsupport.MutableClock;

import static jp.yui.ledger.AccountFlag.LOT_TRACKED;
import static jp.yui.ledger.AccountFlag.NO_OVERDRAFT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.yui.testsupport.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random histories of transfers, holds, posts, voids, reversals, linked groups, multi-transfer submissions,
 * replays (same and altered fields), clock moves and expiry sweeps, driven through {@link InMemoryLedger} and
 * {@link PostgresLedger} side by side. Every outcome, account, lot, hold and journal row must be the same in
 * both, and both must verify: per asset debits equal credits, no overdraft, lots sum to balances, running
 * balances agree, the hash chain holds.
 */
class LedgerModelPropertiesTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");
    private static final AtomicLong REGIONS = new AtomicLong(2_000_000_000L + System.nanoTime() % 1_000_000L);

    private static TestDatabase database;
    private static MutableClock pgClock;
    private static PostgresLedger postgres;

    @BeforeContainer
    static void start() {
        database = TestDatabase.create(LedgerSchema.class);
        pgClock = new MutableClock(START);
        postgres = PostgresLedger.open(database.dataSource(), LedgerOptions.defaults().withClock(pgClock));
    }

    @AfterContainer
    static void stop() {
        postgres.close();
        database.close();
    }

    enum Kind { POSTED, PENDING, POST, VOID, REVERSE, REPLAY, ALTERED_REPLAY, LINKED, BATCH, ADVANCE, SWEEP }

    /** One step of a history; the numbers pick accounts, earlier requests and amounts. */
    record Op(Kind kind, int a, int b, long amount, int ref, int extra) {
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(8, Kind.POSTED), net.jqwik.api.Tuple.of(3, Kind.PENDING),
                net.jqwik.api.Tuple.of(3, Kind.POST), net.jqwik.api.Tuple.of(2, Kind.VOID),
                net.jqwik.api.Tuple.of(3, Kind.REVERSE), net.jqwik.api.Tuple.of(2, Kind.REPLAY),
                net.jqwik.api.Tuple.of(1, Kind.ALTERED_REPLAY), net.jqwik.api.Tuple.of(2, Kind.LINKED),
                net.jqwik.api.Tuple.of(2, Kind.BATCH), net.jqwik.api.Tuple.of(3, Kind.ADVANCE),
                net.jqwik.api.Tuple.of(1, Kind.SWEEP));
        Arbitrary<Long> amounts = Arbitraries.oneOf(Arbitraries.longs().between(1, 3_000),
                Arbitraries.of(1L, 4_999L, 5_000L, 9_999L, 10_001L, 100_000L));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99), amounts, Arbitraries.integers().between(0, 999),
                Arbitraries.integers().between(0, 999)).as(Op::new);
        return op.list().ofMinSize(20).ofMaxSize(80);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void postgresBehavesExactlyLikeTheReferenceModel(@ForAll("histories") List<Op> history) {
        pgClock.set(START);
        MutableClock memClock = new MutableClock(START);
        World mem = new World(InMemoryLedger.create(memClock), memClock, REGIONS.incrementAndGet());
        World pg = new World(postgres, pgClock, mem.region);
        mem.setUp();
        pg.setUp();
        Script script = new Script(mem.region);
        for (Op op : history) {
            script.step(op, mem, pg);
        }
        mem.assertSameState(pg, script);
        assertThat(mem.ledger.verify(mem.region).problems()).isEmpty();
        assertThat(pg.ledger.verify(pg.region).problems()).isEmpty();
    }

    @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
    void theReferenceModelKeepsItsInvariants(@ForAll("histories") List<Op> history) {
        MutableClock clock = new MutableClock(START);
        World mem = new World(InMemoryLedger.create(clock), clock, REGIONS.incrementAndGet());
        mem.setUp();
        Script script = new Script(mem.region);
        for (Op op : history) {
            script.step(op, mem, null);
        }
        assertThat(mem.ledger.verify(mem.region).problems()).isEmpty();
    }

    /** A ledger with one region of the property town, and the clock it runs on. */
    static final class World {
        final Ledger ledger;
        final MutableClock clock;
        final long region;
        final List<UUID> accounts = new ArrayList<>();
        final List<UUID> yen = new ArrayList<>();
        final List<UUID> points = new ArrayList<>();

        World(Ledger ledger, MutableClock clock, long region) {
            this.ledger = ledger;
            this.clock = clock;
            this.region = region;
        }

        void setUp() {
            ledger.createRegion(region, "property town " + region);
            ledger.createAsset(region, new AssetSpec("YEN", ExpiryPolicy.never(), name("yen-breakage")));
            ledger.createAsset(region, new AssetSpec("PT", ExpiryPolicy.afterDays(1, TOKYO), name("pt-breakage")));
            create(AccountSpec.of(name("bank"), "YEN", Side.DEBIT));
            create(AccountSpec.of(name("w1"), "YEN", Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED).withCeiling(10_000));
            create(AccountSpec.of(name("w2"), "YEN", Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED).withCeiling(10_000));
            create(AccountSpec.of(name("shop"), "YEN", Side.CREDIT, NO_OVERDRAFT));
            create(AccountSpec.of(name("issued"), "PT", Side.DEBIT));
            create(AccountSpec.of(name("budget"), "PT", Side.CREDIT, NO_OVERDRAFT));
            create(AccountSpec.of(name("p1"), "PT", Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED));
            create(AccountSpec.of(name("p2"), "PT", Side.CREDIT, NO_OVERDRAFT, LOT_TRACKED));
            accounts.add(name("nobody"));
            accounts.add(name("yen-breakage"));
            yen.addAll(List.of(name("bank"), name("w1"), name("w2"), name("shop"), name("yen-breakage")));
            points.addAll(List.of(name("issued"), name("budget"), name("p1"), name("p2")));
            ledger.execute(region, List.of(
                    TransferRequest.posted(name("fund-w1"), name("bank"), name("w1"), 5_000, "TOP_UP").withLot("PAID"),
                    TransferRequest.posted(name("fund-budget"), name("issued"), name("budget"), 100_000, "BUDGET")));
        }

        private void create(AccountSpec spec) {
            accounts.add(ledger.createAccount(region, spec).id());
        }

        UUID name(String what) {
            return UUID.nameUUIDFromBytes((region + ":" + what).getBytes(StandardCharsets.UTF_8));
        }

        void assertSameState(World other, Script script) {
            for (UUID id : accounts) {
                assertThat(other.ledger.account(other.region, id)).as("account %s", id)
                        .isEqualTo(ledger.account(region, id));
                if (ledger.account(region, id).isPresent()) {
                    assertThat(other.ledger.openLots(other.region, id)).as("lots of %s", id)
                            .isEqualTo(ledger.openLots(region, id));
                }
            }
            for (UUID pending : script.pendings) {
                assertThat(other.ledger.hold(other.region, pending)).isEqualTo(ledger.hold(region, pending));
            }
            assertThat(other.ledger.journal(other.region, 0, 10_000)).isEqualTo(ledger.journal(region, 0, 10_000));
        }
    }

    /** Turns ops into requests, submits them to one or two worlds, and checks the outcomes agree. */
    static final class Script {
        final long region;
        final List<TransferRequest> submitted = new ArrayList<>();
        final List<UUID> pendings = new ArrayList<>();
        final List<UUID> committed = new ArrayList<>();
        long next;

        Script(long region) {
            this.region = region;
        }

        UUID newId() {
            return UUID.nameUUIDFromBytes((region + ":t" + next++).getBytes(StandardCharsets.UTF_8));
        }

        void step(Op op, World a, World b) {
            // Nine times in ten both sides count the same asset; else any account, or one that does not exist.
            List<UUID> accounts = op.b() % 10 == 0 ? a.accounts : op.a() % 2 == 0 ? a.yen : a.points;
            int n = accounts.size();
            UUID debit = accounts.get(op.a() % n);
            UUID credit = accounts.get((op.a() % n + 1 + op.b() % (n - 1)) % n);
            List<TransferRequest> requests = new ArrayList<>();
            switch (op.kind()) {
                case POSTED:
                    requests.add(lot(TransferRequest.posted(newId(), debit, credit, op.amount(), "T"), op, a.clock));
                    break;
                case PENDING:
                    Duration timeout = op.extra() % 3 == 0 ? null : Duration.ofMinutes(op.extra() % 180 + 1);
                    requests.add(lot(TransferRequest.pending(newId(), debit, credit, op.amount(), "HOLD", timeout), op, a.clock));
                    break;
                case POST:
                    if (pendings.isEmpty()) {
                        return;
                    }
                    UUID p = pendings.get(op.ref() % pendings.size());
                    requests.add(op.extra() % 2 == 0 ? TransferRequest.postPending(newId(), p)
                            : TransferRequest.postPending(newId(), p, op.amount()));
                    break;
                case VOID:
                    if (pendings.isEmpty()) {
                        return;
                    }
                    requests.add(TransferRequest.voidPending(newId(), pendings.get(op.ref() % pendings.size())));
                    break;
                case REVERSE:
                    if (committed.isEmpty()) {
                        return;
                    }
                    UUID original = committed.get(op.ref() % committed.size());
                    requests.add(op.extra() % 2 == 0 ? TransferRequest.reversal(newId(), original, "REFUND")
                            : TransferRequest.reversal(newId(), original, op.amount() % 500 + 1, "REFUND"));
                    break;
                case REPLAY:
                    if (submitted.isEmpty()) {
                        return;
                    }
                    requests.add(submitted.get(op.ref() % submitted.size()));
                    break;
                case ALTERED_REPLAY: {
                    if (submitted.isEmpty()) {
                        return;
                    }
                    TransferRequest old = submitted.get(op.ref() % submitted.size());
                    requests.add(TransferRequest.posted(old.id(), debit, credit, op.amount(), "T"));
                    break;
                }
                case LINKED: {
                    int size = 2 + op.extra() % 2;
                    for (int i = 0; i < size; i++) {
                        UUID d = accounts.get((op.a() + i * 3) % n);
                        UUID c = accounts.get((op.a() + i * 3 + 1 + (op.b() + i) % (n - 1)) % n);
                        TransferRequest r = lot(TransferRequest.posted(newId(), d, c, op.amount() / (i + 1) + 1, "CONVERT"), op, a.clock);
                        requests.add(i < size - 1 ? r.linked() : r);
                    }
                    break;
                }
                case BATCH:
                    for (int i = 0; i < 3; i++) {
                        UUID d = accounts.get((op.a() + i) % n);
                        UUID c = accounts.get((op.a() + i + 1 + op.b() % (n - 1)) % n);
                        requests.add(TransferRequest.posted(newId(), d, c, op.amount() + i, "T"));
                    }
                    break;
                case ADVANCE: {
                    Duration d = Duration.ofMinutes(op.amount() % (3 * 24 * 60) + 1);
                    a.clock.advance(d);
                    if (b != null) {
                        b.clock.advance(d);
                    }
                    return;
                }
                case SWEEP: {
                    SweepResult swept = a.ledger.sweepExpired(a.region);
                    if (b != null) {
                        assertThat(b.ledger.sweepExpired(b.region)).isEqualTo(swept);
                    }
                    return;
                }
                default:
                    throw new IllegalStateException(op.kind().name());
            }
            List<TransferOutcome> outcomes = a.ledger.execute(a.region, requests);
            if (b != null) {
                assertThat(b.ledger.execute(b.region, requests)).as("outcomes of %s", requests).isEqualTo(outcomes);
            }
            for (int i = 0; i < requests.size(); i++) {
                TransferRequest r = requests.get(i);
                Statistics.label("results").collect(r.kind(), outcomes.get(i).result());
                submitted.add(r);
                if (outcomes.get(i).result() == TransferResult.OK) {
                    committed.add(r.id());
                    if (r.kind() == TransferKind.PENDING) {
                        pendings.add(r.id());
                    }
                }
            }
        }

        /** Some credits name a lot source, some an expiry of their own. */
        private static TransferRequest lot(TransferRequest r, Op op, MutableClock clock) {
            switch (op.extra() % 4) {
                case 0:
                    return r.withLot("PAID");
                case 1:
                    return r.withLot("PREMIUM", clock.instant().plus(Duration.ofHours(op.extra() % 72 + 1)));
                case 2:
                    return r.withLot("POINTS");
                default:
                    return r;
            }
        }
    }
}
