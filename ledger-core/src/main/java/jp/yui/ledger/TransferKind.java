package jp.yui.ledger;

/** What a transfer does. */
public enum TransferKind {
    /** Moves value now. */
    POSTED,
    /** Holds value on both accounts until posted, voided or timed out. */
    PENDING,
    /** Posts a pending transfer, in full or in part; the rest of the hold is released. */
    POST_PENDING,
    /** Releases a pending transfer's hold. */
    VOID_PENDING,
    /** Moves value back from a posted transfer's credit account to its debit account. */
    REVERSAL,
    /** Written by the ledger: sweeps expired lots to the asset's breakage account. */
    EXPIRY
}
