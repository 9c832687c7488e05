package jp.yui.ledger;

/** The outcome of one transfer request. Only {@link #OK} and {@link #EXISTS} mean the transfer is in the journal. */
public enum TransferResult {
    /** Committed now. */
    OK,
    /** A transfer with this id and the same fields was committed before: the original is returned. */
    EXISTS,
    /** A transfer with this id but other fields was committed before: nothing was done. */
    EXISTS_WITH_DIFFERENT_FIELDS,
    /** The debit would take a {@link AccountFlag#NO_OVERDRAFT} account below zero (pending holds count). */
    INSUFFICIENT_FUNDS,
    /** An account does not exist in this region. */
    ACCOUNT_NOT_FOUND,
    /** The two accounts count different assets. */
    ASSET_MISMATCH,
    /** The debit account refuses debits or the credit account refuses credits. */
    ACCOUNT_FROZEN,
    /** An account is closed. */
    ACCOUNT_CLOSED,
    /** The credit would take the account over its ceiling (pending credits count). */
    BALANCE_CEILING_EXCEEDED,
    /** A total would overflow a 64-bit integer. */
    OVERFLOW,
    /** No pending transfer has the given pending id. */
    PENDING_NOT_FOUND,
    /** The pending transfer was already posted or voided. */
    PENDING_ALREADY_RESOLVED,
    /** The pending transfer timed out; its hold was released. */
    PENDING_EXPIRED,
    /** The post amount exceeds the pending amount. */
    PENDING_AMOUNT_EXCEEDED,
    /** No posted transfer has the id to reverse. */
    REVERSAL_TARGET_NOT_FOUND,
    /** Only {@link TransferKind#POSTED} and {@link TransferKind#POST_PENDING} transfers can be reversed. */
    REVERSAL_NOT_ALLOWED,
    /** The reversal, with earlier reversals of the same transfer, would exceed its amount. */
    REVERSAL_EXCEEDS_ORIGINAL,
    /** Another transfer of its linked group failed, so this one was not applied. */
    LINKED_TRANSFER_FAILED,
    /** The last transfer submitted was marked linked, so its group had no end. */
    LINKED_CHAIN_OPEN;

    /** Whether the transfer is in the journal after this result (committed now or before). */
    public boolean committed() {
        return this == OK || this == EXISTS;
    }
}
