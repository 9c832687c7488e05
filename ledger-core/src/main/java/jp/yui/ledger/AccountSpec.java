package jp.yui.ledger;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What to create for an account. Creating the same spec twice is a no-op; creating a different spec under an
 * existing id is refused.
 *
 * @param id        client-chosen id
 * @param assetCode the asset the account counts
 * @param normal    the side on which the balance grows (a wallet or payable: credit; bank/cash: debit)
 * @param flags     rules the account enforces
 * @param ceiling   the highest balance allowed on the normal side counting pending credits, or {@code null}
 * @param label     a short human label for statements ("wallet of resident 1234"), may be empty
 */
public record AccountSpec(UUID id, String assetCode, Side normal, Set<AccountFlag> flags, Long ceiling, String label) {

    public AccountSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(assetCode, "assetCode");
        Objects.requireNonNull(normal, "normal");
        flags = AccountFlag.copyOf(flags);
        if (ceiling != null && ceiling < 0) {
            throw new IllegalArgumentException("ceiling must be >= 0: " + ceiling);
        }
        label = label == null ? "" : label;
        if (label.length() > 200) {
            throw new IllegalArgumentException("label must be at most 200 characters: " + label.length());
        }
        if (flags.contains(AccountFlag.LOT_TRACKED)
                && (normal != Side.CREDIT || !flags.contains(AccountFlag.NO_OVERDRAFT))) {
            throw new IllegalArgumentException(
                    "LOT_TRACKED needs a CREDIT-normal account with NO_OVERDRAFT: " + normal + " " + flags);
        }
    }

    /** A spec with no ceiling and no label. */
    public static AccountSpec of(UUID id, String assetCode, Side normal, AccountFlag... flags) {
        return new AccountSpec(id, assetCode, normal, flags.length == 0 ? Set.of() : Set.of(flags), null, "");
    }

    /** This spec with a balance ceiling. */
    public AccountSpec withCeiling(long ceiling) {
        return new AccountSpec(id, assetCode, normal, flags, ceiling, label);
    }

    /** This spec with a label. */
    public AccountSpec withLabel(String label) {
        return new AccountSpec(id, assetCode, normal, flags, ceiling, label);
    }
}
