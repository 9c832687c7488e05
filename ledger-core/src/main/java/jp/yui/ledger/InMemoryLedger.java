package jp.yui.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The reference ledger: everything in memory, each submission decided and applied at once under one lock. Fast,
 * for property tests and simulations; it keeps the same contract as {@link PostgresLedger} (one contract test
 * suite runs against both) but nothing survives the process.
 */
public final class InMemoryLedger implements Ledger {

    private final Clock clock;
    private final Map<Long, Region> regions = new HashMap<>();
    private boolean closed;

    private InMemoryLedger(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A ledger on the given clock. */
    public static InMemoryLedger create(Clock clock) {
        return new InMemoryLedger(clock);
    }

    /** A ledger on the system UTC clock. */
    public static InMemoryLedger create() {
        return new InMemoryLedger(Clock.systemUTC());
    }

    private static final class Region implements Engine.Source {
        final long id;
        final String name;
        final Map<String, Asset> assets = new TreeMap<>();
        final Map<UUID, AccountState> accounts = new HashMap<>();
        final Map<UUID, Transfer> transfers = new HashMap<>();
        final List<Transfer> journal = new ArrayList<>();
        final List<ChainCheck.Batch> batches = new ArrayList<>();
        final Map<UUID, HoldState> holds = new HashMap<>();
        final Map<UUID, List<LotState>> openLots = new HashMap<>();
        final Map<Long, LotState> lots = new TreeMap<>();
        final Map<UUID, List<Consumption>> consumptions = new HashMap<>();
        final Map<UUID, Long> reversed = new HashMap<>();
        final Map<UUID, List<EntryRow>> entries = new HashMap<>();
        byte[] head = HashChain.GENESIS;
        long lastSeq;
        long lastLotSeq;
        Instant lastTimestamp = Instant.EPOCH;

        Region(long id, String name) {
            this.id = id;
            this.name = name;
        }

        @Override
        public AccountState account(UUID id) {
            return accounts.get(id);
        }

        @Override
        public Transfer transfer(UUID id) {
            return transfers.get(id);
        }

        @Override
        public HoldState hold(UUID pendingId) {
            return holds.get(pendingId);
        }

        @Override
        public List<LotState> lots(UUID accountId) {
            return openLots.computeIfAbsent(accountId, k -> new ArrayList<>());
        }

        @Override
        public long reversedAmount(UUID originalId) {
            return reversed.getOrDefault(originalId, 0L);
        }

        @Override
        public List<Consumption> consumptions(UUID transferId) {
            return consumptions.getOrDefault(transferId, List.of());
        }

        @Override
        public Asset asset(String code) {
            return assets.get(code);
        }
    }

    @Override
    public synchronized void createRegion(long regionId, String name) {
        requireOpen();
        Regions.requireValid(regionId, name);
        Region existing = regions.get(regionId);
        if (existing != null) {
            if (!existing.name.equals(name)) {
                throw new IllegalArgumentException("region " + regionId + " exists with another name: " + existing.name);
            }
            return;
        }
        regions.put(regionId, new Region(regionId, name));
    }

    @Override
    public synchronized Asset createAsset(long regionId, AssetSpec spec) {
        Region r = region(regionId);
        Asset asset = new Asset(regionId, spec.code(), spec.expiry(), spec.breakageAccountId());
        Asset existing = r.assets.get(spec.code());
        if (existing != null) {
            if (!existing.equals(asset)) {
                throw new IllegalArgumentException("asset " + spec.code() + " exists with another spec: " + existing);
            }
            return existing;
        }
        if (r.accounts.containsKey(spec.breakageAccountId())) {
            throw new IllegalArgumentException("breakage account id is taken: " + spec.breakageAccountId());
        }
        r.assets.put(spec.code(), asset);
        AccountSpec breakage = Regions.breakageSpec(spec);
        r.accounts.put(breakage.id(), new AccountState(Regions.newAccount(regionId, breakage)));
        return asset;
    }

    @Override
    public synchronized Account createAccount(long regionId, AccountSpec spec) {
        Region r = region(regionId);
        if (!r.assets.containsKey(spec.assetCode())) {
            throw new IllegalArgumentException("unknown asset in region " + regionId + ": " + spec.assetCode());
        }
        AccountState existing = r.accounts.get(spec.id());
        if (existing != null) {
            Regions.requireSameSpec(existing.toAccount(), spec);
            return existing.toAccount();
        }
        AccountState a = new AccountState(Regions.newAccount(regionId, spec));
        r.accounts.put(spec.id(), a);
        return a.toAccount();
    }

    @Override
    public synchronized Account updateAccount(long regionId, UUID accountId, Set<AccountFlag> flags, Long ceiling) {
        Region r = region(regionId);
        AccountState a = r.accounts.get(accountId);
        if (a == null) {
            throw new IllegalArgumentException("unknown account in region " + regionId + ": " + accountId);
        }
        AccountSpec updated = Regions.updatedSpec(a.toAccount(), flags, ceiling);
        a.flags = updated.flags();
        a.ceiling = updated.ceiling();
        return a.toAccount();
    }

    @Override
    public synchronized CompletableFuture<List<TransferOutcome>> submit(long regionId, List<TransferRequest> transfers) {
        List<TransferRequest> requests = List.copyOf(transfers);
        try {
            Region r = region(regionId);
            Engine.Changes changes = decide(r, Set.of(), requests);
            return CompletableFuture.completedFuture(List.copyOf(changes.outcomes));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized SweepResult sweepExpired(long regionId) {
        Region r = region(regionId);
        Instant now = now(r);
        Set<UUID> expiring = new TreeSet<>();
        for (LotState lot : r.lots.values()) {
            if (lot.remaining > 0 && lot.expired(now)) {
                expiring.add(lot.accountId);
            }
        }
        Engine.Changes changes = decide(r, expiring, List.of());
        return new SweepResult(changes.sweptTransfers, changes.sweptAmount);
    }

    private Engine.Changes decide(Region r, Set<UUID> sweep, List<TransferRequest> requests) {
        Instant now = now(r);
        List<HoldState> timedOut = r.holds.values().stream()
                .filter(h -> h.timedOut(now))
                .sorted(Comparator.comparing((HoldState h) -> h.timeoutAt).thenComparing(h -> h.pendingId))
                .collect(Collectors.toList());
        Engine.Changes c = new Engine(r.id, r.batches.size() + 1L, r.lastSeq, r.lastLotSeq, now, r)
                .run(timedOut, sweep, List.of(requests));
        for (Transfer t : c.transfers) {
            r.transfers.put(t.id(), t);
            r.journal.add(t);
            if (t.kind() == TransferKind.REVERSAL) {
                r.reversed.merge(t.reversalOf(), t.amount(), Math::addExact);
            }
        }
        for (EntryRow e : c.entries) {
            r.entries.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
        }
        for (LotState lot : c.newLots) {
            r.lots.put(lot.lotId, lot);
        }
        for (Consumption k : c.consumptions) {
            r.consumptions.computeIfAbsent(k.transferId(), x -> new ArrayList<>()).add(k);
        }
        for (HoldState h : c.newHolds) {
            r.holds.put(h.pendingId, h);
        }
        for (AccountState a : c.touchedAccounts) {
            List<LotState> open = r.openLots.get(a.id);
            if (open != null) {
                open.removeIf(l -> l.remaining == 0);
            }
        }
        if (!c.transfers.isEmpty()) {
            long batchSeq = r.batches.size() + 1L;
            byte[] hash = HashChain.next(r.head, r.id, batchSeq, c.transfers);
            r.batches.add(new ChainCheck.Batch(batchSeq, c.transfers.get(0).seq(), c.transfers.size(), hash));
            r.head = hash;
        }
        r.lastSeq = c.lastSeq;
        r.lastLotSeq = c.lastLotSeq;
        r.lastTimestamp = now;
        return c;
    }

    private Instant now(Region r) {
        return Times.later(Times.micros(clock.instant()), r.lastTimestamp);
    }

    @Override
    public synchronized Optional<Asset> asset(long regionId, String assetCode) {
        return Optional.ofNullable(region(regionId).assets.get(assetCode));
    }

    @Override
    public synchronized Optional<Account> account(long regionId, UUID accountId) {
        AccountState a = region(regionId).accounts.get(accountId);
        return a == null ? Optional.empty() : Optional.of(a.toAccount());
    }

    @Override
    public synchronized Optional<Transfer> transfer(long regionId, UUID transferId) {
        return Optional.ofNullable(region(regionId).transfers.get(transferId));
    }

    @Override
    public synchronized Optional<Hold> hold(long regionId, UUID pendingId) {
        HoldState h = region(regionId).holds.get(pendingId);
        return h == null ? Optional.empty() : Optional.of(h.toHold());
    }

    @Override
    public synchronized long balanceAt(long regionId, UUID accountId, Instant at) {
        Region r = region(regionId);
        requireAccount(r, accountId);
        long balance = 0;
        for (EntryRow e : r.entries.getOrDefault(accountId, List.of())) {
            if (e.timestamp().isAfter(at)) {
                break;
            }
            balance = e.balanceAfter();
        }
        return balance;
    }

    @Override
    public synchronized StatementPage statement(long regionId, UUID accountId, Instant from, Instant to, long afterSeq,
            int limit) {
        Regions.requireLimit(limit, 1_000);
        Region r = region(regionId);
        requireAccount(r, accountId);
        List<StatementEntry> page = new ArrayList<>();
        boolean more = false;
        for (EntryRow e : r.entries.getOrDefault(accountId, List.of())) {
            if (e.seq() <= afterSeq || (from != null && e.timestamp().isBefore(from))
                    || (to != null && !e.timestamp().isBefore(to))) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            Transfer t = r.transfers.get(e.transferId());
            page.add(new StatementEntry(e.seq(), e.transferId(), t.kind(), e.side(), e.amount(), e.balanceAfter(),
                    t.reason(), e.timestamp()));
        }
        return new StatementPage(page, more ? page.get(page.size() - 1).seq() : null);
    }

    @Override
    public synchronized List<Lot> openLots(long regionId, UUID accountId) {
        Region r = region(regionId);
        requireAccount(r, accountId);
        return r.openLots.getOrDefault(accountId, List.of()).stream()
                .filter(l -> l.remaining > 0)
                .map(LotState::toLot)
                .collect(Collectors.toList());
    }

    @Override
    public synchronized List<Lot> expiringLots(long regionId, Instant until, long afterLotId, int limit) {
        Regions.requireLimit(limit, 10_000);
        Objects.requireNonNull(until, "until");
        Region r = region(regionId);
        Comparator<LotState> order = Comparator.comparing((LotState l) -> l.expiresAt).thenComparingLong(l -> l.lotId);
        LotState after = null;
        if (afterLotId != 0) {
            after = r.lots.get(afterLotId);
            if (after == null || after.expiresAt == null) {
                throw new IllegalArgumentException("no expiring lot " + afterLotId + " in region " + regionId);
            }
        }
        LotState cursor = after;
        return r.lots.values().stream()
                .filter(l -> l.remaining > 0 && l.expiresAt != null && l.expiresAt.isBefore(until))
                .filter(l -> cursor == null || order.compare(l, cursor) > 0)
                .sorted(order)
                .limit(limit)
                .map(LotState::toLot)
                .collect(Collectors.toList());
    }

    @Override
    public synchronized List<Transfer> journal(long regionId, long afterSeq, int limit) {
        Regions.requireLimit(limit, 10_000);
        List<Transfer> journal = region(regionId).journal;
        int from = (int) Math.min(Math.max(afterSeq, 0), journal.size());
        return List.copyOf(journal.subList(from, Math.min(journal.size(), from + limit)));
    }

    @Override
    public synchronized VerificationReport verify(long regionId) {
        Region r = region(regionId);
        List<String> problems = new ArrayList<>();
        ChainCheck chain = new ChainCheck(regionId, problems);
        chain.walk(r.batches.iterator(), r.journal.iterator(), r.head);

        Map<UUID, long[]> heldSums = new HashMap<>();
        for (HoldState h : r.holds.values()) {
            if (h.status == HoldStatus.PENDING) {
                heldSums.computeIfAbsent(h.debitAccountId, k -> new long[2])[0] += h.amount;
                heldSums.computeIfAbsent(h.creditAccountId, k -> new long[2])[1] += h.amount;
            }
        }
        Map<Long, Long> consumedPerLot = new HashMap<>();
        r.consumptions.values().forEach(list -> list.forEach(k -> consumedPerLot.merge(k.lotId(), k.amount(), Long::sum)));
        Map<UUID, Long> lotSums = new HashMap<>();
        for (LotState lot : r.lots.values()) {
            if (lot.remaining > 0) {
                lotSums.merge(lot.accountId, lot.remaining, Long::sum);
            }
            long consumed = consumedPerLot.getOrDefault(lot.lotId, 0L);
            if (lot.remaining != lot.amount - consumed) {
                problems.add(Invariants.lotConsumption(lot.lotId, lot.amount, consumed, lot.remaining));
            }
        }
        Map<UUID, long[]> entrySums = new HashMap<>();
        List<Account> accounts = new ArrayList<>();
        for (AccountState a : r.accounts.values()) {
            accounts.add(a.toAccount());
            long running = 0;
            long[] sums = entrySums.computeIfAbsent(a.id, k -> new long[2]);
            for (EntryRow e : r.entries.getOrDefault(a.id, List.of())) {
                running += e.side() == a.normal ? e.amount() : -e.amount();
                sums[e.side() == Side.DEBIT ? 0 : 1] += e.amount();
                if (running != e.balanceAfter()) {
                    problems.add(Invariants.runningBalance(a.id, e.seq(), running, e.balanceAfter()));
                    break;
                }
            }
        }
        Invariants.accounts(accounts, heldSums, lotSums, entrySums, problems);
        Map<Long, Transfer> bySeq = new HashMap<>();
        r.journal.forEach(t -> bySeq.put(t.seq(), t));
        Map<Long, Integer> sides = new HashMap<>();
        for (List<EntryRow> entries : r.entries.values()) {
            for (EntryRow e : entries) {
                Transfer t = bySeq.get(e.seq());
                boolean matches = t != null && Invariants.POSTING.contains(t.kind()) && t.id().equals(e.transferId())
                        && t.amount() == e.amount() && e.accountId().equals(e.side() == Side.DEBIT ? t.debitAccountId()
                        : t.creditAccountId());
                if (matches) {
                    sides.merge(e.seq(), e.side() == Side.DEBIT ? 1 : 2, Integer::sum);
                } else {
                    problems.add(Invariants.strayEntry(e.accountId(), e.seq()));
                }
            }
        }
        for (Transfer t : r.journal) {
            if (Invariants.POSTING.contains(t.kind()) && sides.getOrDefault(t.seq(), 0) != 3) {
                problems.add(Invariants.missingEntry(t.id(), t.seq()));
            }
        }
        return new VerificationReport(regionId, chain.transfers(), chain.batches(), problems);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private Region region(long regionId) {
        requireOpen();
        Region r = regions.get(regionId);
        if (r == null) {
            throw new IllegalArgumentException("unknown region: " + regionId);
        }
        return r;
    }

    private static void requireAccount(Region r, UUID accountId) {
        if (!r.accounts.containsKey(accountId)) {
            throw new IllegalArgumentException("unknown account in region " + r.id + ": " + accountId);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("ledger is closed");
        }
    }
}
