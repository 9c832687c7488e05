package jp.yui.ledger;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An account as the ledger holds it: its spec and its totals, TigerBeetle style. All amounts are whole units
 * of the account's asset.
 *
 * @param regionId       the region
 * @param id             the account's id
 * @param assetCode      the asset it counts
 * @param normal         the side its balance grows on
 * @param flags          its rules
 * @param ceiling        the highest normal-side balance allowed, or {@code null}
 * @param label          a human label
 * @param debitsPosted   sum of posted debits
 * @param creditsPosted  sum of posted credits
 * @param debitsPending  sum of debits held by pending transfers
 * @param creditsPending sum of credits held by pending transfers
 * @param version        incremented by every change to the totals; entries record it
 */
public record Account(
        long regionId,
        UUID id,
        String assetCode,
        Side normal,
        Set<AccountFlag> flags,
        Long ceiling,
        String label,
        long debitsPosted,
        long creditsPosted,
        long debitsPending,
        long creditsPending,
        long version) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(assetCode, "assetCode");
        Objects.requireNonNull(normal, "normal");
        flags = AccountFlag.copyOf(flags);
        label = label == null ? "" : label;
    }

    /** Posted balance on the normal side: credits minus debits for a credit-normal account, and vice versa. */
    public long postedBalance() {
        return normal == Side.CREDIT ? creditsPosted - debitsPosted : debitsPosted - creditsPosted;
    }

    /** What pending holds take away from the normal-side balance. */
    public long pendingOutgoing() {
        return normal == Side.CREDIT ? debitsPending : creditsPending;
    }

    /** What pending holds will add to the normal-side balance if posted. */
    public long pendingIncoming() {
        return normal == Side.CREDIT ? creditsPending : debitsPending;
    }

    /** Posted balance minus pending outgoing holds: what can be spent now. */
    public long availableBalance() {
        return postedBalance() - pendingOutgoing();
    }

    /** Whether the account has the flag. */
    public boolean has(AccountFlag flag) {
        return flags.contains(flag);
    }

    /** The spec this account was created from, with its current flags. */
    public AccountSpec spec() {
        return new AccountSpec(id, assetCode, normal, flags, ceiling, label);
    }
}
