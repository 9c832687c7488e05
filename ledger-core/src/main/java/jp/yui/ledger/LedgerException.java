package jp.yui.ledger;

/** Root of the ledger's exceptions: misuse and infrastructure, never business outcomes (those are results). */
public class LedgerException extends RuntimeException {
    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
