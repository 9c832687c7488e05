package jp.yui.ledger;

/** The state of a pending transfer's hold. */
public enum HoldStatus {
    PENDING,
    POSTED,
    VOIDED,
    /** The timeout passed before a post or void; the hold was released. */
    EXPIRED
}
