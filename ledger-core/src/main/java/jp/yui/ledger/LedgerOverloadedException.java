package jp.yui.ledger;

/**
 * The region's writer queue is full: nothing of the submission was accepted. Retry later with the same ids
 * (a server answers 503 with {@code Retry-After}).
 */
public final class LedgerOverloadedException extends LedgerException {
    public LedgerOverloadedException(long regionId, int queued, int capacity) {
        super("writer of region " + regionId + " is overloaded: " + queued + " transfers queued, capacity " + capacity);
    }
}
