package jp.yui.ledger;

/** Two amounts of different assets were combined: a programming error. */
public final class AssetMismatchException extends LedgerException {
    private final String left;
    private final String right;

    public AssetMismatchException(String left, String right) {
        super("asset mismatch: " + left + " and " + right);
        this.left = left;
        this.right = right;
    }

    public String left() {
        return left;
    }

    public String right() {
        return right;
    }
}
