package jp.yui.server.region;

import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.Side;

/**
 * The parts an account plays in a region's chart of accounts (DESIGN.md), with the side its balance grows on and
 * its rules. Programme and campaign budgets and resident wallets are created with their programme, campaign or
 * resident.
 */
public enum Purpose {
    /** Yen received by bank transfer and paid out to shops. */
    BANK(Side.DEBIT, false),
    /** Yen taken in cash at a counter. */
    CASH(Side.DEBIT, false),
    /** The town's yen behind point-to-currency conversion. */
    CONVERSION_FUNDING(Side.CREDIT, true),
    /** Payout fees earned. */
    FEE_REVENUE(Side.CREDIT, false),
    /** Payouts decided, not yet confirmed by the bank. */
    SETTLEMENT_PAYABLE(Side.CREDIT, false),
    /** Where appropriated points come from: points in issue grow on the debit side. */
    ISSUED(Side.DEBIT, false),
    /** Points given back for currency. */
    REDEEMED(Side.CREDIT, false);

    private final Side normal;
    private final boolean noOverdraft;

    Purpose(Side normal, boolean noOverdraft) {
        this.normal = normal;
        this.noOverdraft = noOverdraft;
    }

    public Side normal() {
        return normal;
    }

    public AccountFlag[] flags() {
        return noOverdraft ? new AccountFlag[] {AccountFlag.NO_OVERDRAFT} : new AccountFlag[0];
    }

    /** Whether a region's currency has this account (else its point assets do). */
    public boolean forCurrency() {
        return this != ISSUED && this != REDEEMED;
    }
}
