package jp.yui.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The wording of broken invariants, shared by every store's {@code verify()} so reports read the same. */
final class Invariants {
    private Invariants() {
    }

    /**
     * The checks made from account totals and per-account sums a store computed: per asset balance, overdraft,
     * pending totals against open holds, lot sums against lot-tracked balances, entry sums against posted totals.
     *
     * @param heldSums   per account, the open holds' {debit, credit} sums
     * @param lotSums    per account, the open lots' remaining sum
     * @param entrySums  per account, the entries' {debit, credit} sums
     */
    static void accounts(Collection<Account> accounts, Map<UUID, long[]> heldSums, Map<UUID, Long> lotSums,
            Map<UUID, long[]> entrySums, List<String> problems) {
        Map<String, long[]> perAsset = new TreeMap<>();
        long[] none = new long[2];
        for (Account a : accounts) {
            long[] sums = perAsset.computeIfAbsent(a.assetCode(), k -> new long[4]);
            sums[0] += a.debitsPosted();
            sums[1] += a.creditsPosted();
            sums[2] += a.debitsPending();
            sums[3] += a.creditsPending();
            overdraft(a, problems);
            long[] held = heldSums.getOrDefault(a.id(), none);
            if (held[0] != a.debitsPending() || held[1] != a.creditsPending()) {
                problems.add(holds(a.id(), a.debitsPending(), a.creditsPending(), held[0], held[1]));
            }
            long lotSum = lotSums.getOrDefault(a.id(), 0L);
            if (a.has(AccountFlag.LOT_TRACKED) ? lotSum != a.postedBalance() : lotSums.containsKey(a.id())) {
                problems.add(lots(a.id(), lotSum, a.postedBalance()));
            }
            long[] entries = entrySums.getOrDefault(a.id(), none);
            if (entries[0] != a.debitsPosted() || entries[1] != a.creditsPosted()) {
                problems.add(entryTotals(a.id(), entries[0], entries[1], a.debitsPosted(), a.creditsPosted()));
            }
        }
        perAsset.forEach((asset, s) -> balanced(asset, s, problems));
    }

    /** Per asset, posted debits equal posted credits and pending debits equal pending credits. */
    private static void balanced(String asset, long[] sums, List<String> problems) {
        if (sums[0] != sums[1]) {
            problems.add("asset " + asset + ": posted debits " + sums[0] + " != posted credits " + sums[1]);
        }
        if (sums[2] != sums[3]) {
            problems.add("asset " + asset + ": pending debits " + sums[2] + " != pending credits " + sums[3]);
        }
    }

    private static void overdraft(Account a, List<String> problems) {
        if (!a.has(AccountFlag.NO_OVERDRAFT)) {
            return;
        }
        boolean over = a.normal() == Side.CREDIT
                ? a.debitsPosted() + a.debitsPending() > a.creditsPosted()
                : a.creditsPosted() + a.creditsPending() > a.debitsPosted();
        if (over) {
            problems.add("account " + a.id() + " is NO_OVERDRAFT but its available balance is " + a.availableBalance());
        }
    }

    private static String holds(UUID account, long debitsPending, long creditsPending, long heldDebits, long heldCredits) {
        return "account " + account + " has pending debits/credits " + debitsPending + "/" + creditsPending
                + " but its open holds sum to " + heldDebits + "/" + heldCredits;
    }

    private static String lots(UUID account, long lotSum, long balance) {
        return "account " + account + " has open lots summing to " + lotSum + " but a posted balance of " + balance;
    }

    static String lotConsumption(long lotId, long amount, long consumed, long remaining) {
        return "lot " + lotId + " of " + amount + " had " + consumed + " consumed but " + remaining + " remains";
    }

    /** The kinds whose transfers write one entry per side. */
    static final java.util.Set<TransferKind> POSTING = java.util.EnumSet.of(TransferKind.POSTED, TransferKind.POST_PENDING,
            TransferKind.REVERSAL, TransferKind.EXPIRY);

    static String strayEntry(UUID account, long seq) {
        return "the entry of account " + account + " at seq " + seq + " does not match a side of the transfer at that seq";
    }

    static String missingEntry(UUID transfer, long seq) {
        return "transfer " + transfer + " (seq " + seq + ") lacks its debit or credit entry";
    }

    static String runningBalance(UUID account, long seq, long expected, long recorded) {
        return "account " + account + " entry at seq " + seq + " records balance " + recorded + " but the entries before it sum to "
                + expected;
    }

    private static String entryTotals(UUID account, long debits, long credits, long debitsPosted, long creditsPosted) {
        return "account " + account + " entries sum to debits/credits " + debits + "/" + credits + " but its totals are "
                + debitsPosted + "/" + creditsPosted;
    }
}
