package jp.yui.ledger;

/** The two sides of a double-entry posting; also an account's normal side (where its balance grows). */
public enum Side {
    DEBIT,
    CREDIT;

    /** The other side. */
    public Side opposite() {
        return this == DEBIT ? CREDIT : DEBIT;
    }
}
