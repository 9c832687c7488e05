package jp.yui.ledger;

/**
 * What an expiry sweep did.
 *
 * @param transfers how many {@link TransferKind#EXPIRY} transfers it wrote
 * @param amount    total units swept to breakage accounts
 */
public record SweepResult(long transfers, long amount) {
}
