package jp.yui.ledger;

/**
 * The database failed while a batch was written. Nothing of the batch is acknowledged; it may or may not have
 * been committed if the failure came during commit, so retry with the same ids: a committed transfer answers
 * {@link TransferResult#EXISTS}.
 */
public final class LedgerUnavailableException extends LedgerException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
