package jp.yui.ledger;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Rules an account enforces on every transfer that touches it. */
public enum AccountFlag {
    /** The balance may never go below zero on the account's normal side, counting pending holds against it. */
    NO_OVERDRAFT,
    /**
     * Credits create lots (source, expiry); debits consume them earliest expiry first. Requires a credit-normal
     * {@link #NO_OVERDRAFT} account and is fixed at creation.
     */
    LOT_TRACKED,
    /** Transfers that debit the account are refused with {@link TransferResult#ACCOUNT_FROZEN}. */
    FROZEN_DEBITS,
    /** Transfers that credit the account are refused with {@link TransferResult#ACCOUNT_FROZEN}. */
    FROZEN_CREDITS,
    /** No new transfers in either direction ({@link TransferResult#ACCOUNT_CLOSED}); voids still release holds. */
    CLOSED;

    /** An unmodifiable copy that iterates (and prints) in declaration order. */
    static Set<AccountFlag> copyOf(Set<AccountFlag> flags) {
        Objects.requireNonNull(flags, "flags");
        return Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(AccountFlag.class) : EnumSet.copyOf(flags));
    }
}
