package jp.yui.server.db;

import java.util.ArrayList;
import java.util.List;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;

/** Linked ledger groups as the town's flows post them: all of a payment's, refund's or payout's transfers or none. */
public final class Linked {
    private Linked() {
    }

    /** The transfers as one linked group: every one but the last marked linked. */
    public static List<TransferRequest> group(List<TransferRequest> transfers) {
        List<TransferRequest> linked = new ArrayList<>(transfers.size());
        for (int i = 0; i < transfers.size(); i++) {
            linked.add(i < transfers.size() - 1 ? transfers.get(i).linked() : transfers.get(i));
        }
        return linked;
    }

    /**
     * The outcome that made a group fail (not the ones failed only because another did), or null if it committed.
     */
    public static TransferOutcome firstFailure(List<TransferOutcome> outcomes) {
        return outcomes.stream().filter(o -> o.result() != TransferResult.LINKED_TRANSFER_FAILED && !o.committed())
                .findFirst().orElse(null);
    }
}
