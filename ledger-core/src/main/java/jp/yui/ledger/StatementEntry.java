package jp.yui.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of an account statement: a posted movement and the balance after it.
 *
 * @param seq          the transfer's journal position (also the statement's cursor)
 * @param transferId   the transfer
 * @param kind         the transfer's kind
 * @param side         whether the account was debited or credited
 * @param amount       units moved
 * @param balanceAfter the account's posted balance on its normal side after this line
 * @param reason       the transfer's reason code
 * @param timestamp    when it was committed
 */
public record StatementEntry(long seq, UUID transferId, TransferKind kind, Side side, long amount,
        long balanceAfter, String reason, Instant timestamp) {

    /** The signed change this line made to the balance on the account's normal side. */
    public long change(Side normal) {
        return side == normal ? amount : -amount;
    }
}
