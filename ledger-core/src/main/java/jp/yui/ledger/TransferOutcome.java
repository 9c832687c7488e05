package jp.yui.ledger;

import java.util.Objects;
import java.util.UUID;

/**
 * What happened to one request.
 *
 * @param id       the request's id
 * @param result   the result code
 * @param transfer for {@link TransferResult#OK} the new transfer; for {@link TransferResult#EXISTS} and
 *                 {@link TransferResult#EXISTS_WITH_DIFFERENT_FIELDS} the one committed before; else {@code null}
 */
public record TransferOutcome(UUID id, TransferResult result, Transfer transfer) {
    public TransferOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(result, "result");
    }

    /** Whether the transfer is in the journal (committed now or before). */
    public boolean committed() {
        return result.committed();
    }
}
