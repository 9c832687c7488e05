package jp.yui.ledger;

import java.util.Set;
import java.util.UUID;

/** An account's row while a batch decides: mutable totals, snapshots for undo. Not thread-safe. */
final class AccountState {
    final long regionId;
    final UUID id;
    final String assetCode;
    final Side normal;
    final String label;
    Set<AccountFlag> flags;
    Long ceiling;
    long debitsPosted;
    long creditsPosted;
    long debitsPending;
    long creditsPending;
    long version;

    AccountState(Account a) {
        this.regionId = a.regionId();
        this.id = a.id();
        this.assetCode = a.assetCode();
        this.normal = a.normal();
        this.label = a.label();
        this.flags = a.flags();
        this.ceiling = a.ceiling();
        this.debitsPosted = a.debitsPosted();
        this.creditsPosted = a.creditsPosted();
        this.debitsPending = a.debitsPending();
        this.creditsPending = a.creditsPending();
        this.version = a.version();
    }

    Account toAccount() {
        return new Account(regionId, id, assetCode, normal, flags, ceiling, label, debitsPosted, creditsPosted,
                debitsPending, creditsPending, version);
    }

    boolean has(AccountFlag flag) {
        return flags.contains(flag);
    }

    long postedBalance() {
        return normal == Side.CREDIT ? creditsPosted - debitsPosted : debitsPosted - creditsPosted;
    }

    long available() {
        return postedBalance() - (normal == Side.CREDIT ? debitsPending : creditsPending);
    }

    long[] totals() {
        return new long[] {debitsPosted, creditsPosted, debitsPending, creditsPending, version};
    }

    void restore(long[] t) {
        debitsPosted = t[0];
        creditsPosted = t[1];
        debitsPending = t[2];
        creditsPending = t[3];
        version = t[4];
    }
}
