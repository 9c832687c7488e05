package jp.yui.bench;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which accounts a benchmark transfer moves between. The baselines and Yui draw from here alike, so their rates
 * compare the same work.
 */
final class Workload {
    private Workload() {
    }

    /** A debit account chosen uniformly; for a hot workload, any account but the hot one (index 0). */
    static int debit(UUID[] accounts, boolean hot, ThreadLocalRandom r) {
        return hot ? 1 + r.nextInt(accounts.length - 1) : r.nextInt(accounts.length);
    }

    /** The credit account: the hot one (index 0), or one chosen uniformly among all but the debit account. */
    static int credit(UUID[] accounts, boolean hot, int debit, ThreadLocalRandom r) {
        if (hot) {
            return 0;
        }
        int other = r.nextInt(accounts.length - 1);
        return other >= debit ? other + 1 : other;
    }
}
