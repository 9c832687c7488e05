package jp.yui.ledger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a region's writer last committed, kept between batches: the journal head, and the accounts and open lots its
 * batches read. It is valid only while the head's {@code change_seq} is the one this writer wrote last; then nothing
 * else has changed the region (every writer of balances, holds or account settings adds one to it under the head
 * lock), so a batch can be decided from memory and written in one statement that checks that assumption.
 *
 * <p>Used by the region's writer thread only. After any failure the writer {@link #invalidate()}s it: a batch
 * changes these objects in place before it knows whether its transaction commits.
 */
final class RegionState {

    /** Beyond this many accounts the state starts again empty, so a huge region cannot hold the heap. */
    static final int MAX_ACCOUNTS = 200_000;

    private PgBatch.Head head;
    /** Pending holds may time out from this instant on; until then a batch need not look for them. */
    private Instant holdsDueAt = Instant.MIN;
    final Map<UUID, AccountState> accounts = new HashMap<>();
    /** Open lots (remaining > 0) of lot-tracked accounts, in consumption order. */
    final Map<UUID, List<LotState>> lots = new HashMap<>();

    /** The head this state belongs to, or null if the state is not valid. */
    PgBatch.Head head() {
        return head;
    }

    boolean valid() {
        return head != null;
    }

    Instant holdsDueAt() {
        return holdsDueAt;
    }

    /** True if this state still describes the region whose head was just read as {@code locked}. */
    boolean matches(PgBatch.Head locked) {
        return head != null && head.changeSeq() == locked.changeSeq();
    }

    void invalidate() {
        head = null;
        holdsDueAt = Instant.MIN;
        accounts.clear();
        lots.clear();
    }

    /**
     * Records a committed batch: its new head, the accounts and lots it read (now as committed), and when pending holds
     * may next time out.
     */
    void committed(PgBatch.Head newHead, Map<UUID, AccountState> read, Map<UUID, List<LotState>> readLots,
            Instant holdsDueAt) {
        if (accounts.size() + read.size() > MAX_ACCOUNTS) {
            accounts.clear();
            lots.clear();
        }
        this.head = newHead;
        this.holdsDueAt = holdsDueAt;
        read.forEach((id, a) -> {
            if (a != null) {
                accounts.put(id, a);
            }
        });
        readLots.forEach((id, list) -> {
            // Spent lots stay in the batch's lists (the engine skips them); the database no longer lists them.
            list.removeIf(l -> l.remaining == 0);
            lots.put(id, list);
        });
    }
}
