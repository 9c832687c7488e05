package jp.yui.ledger;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** Rules for creating and changing regions, assets and accounts, the same in every store. */
final class Regions {
    private Regions() {
    }

    static void requireValid(long regionId, String name) {
        if (regionId <= 0) {
            throw new IllegalArgumentException("regionId must be > 0: " + regionId);
        }
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("region name must be 1 to 200 characters and not blank: '" + name + "'");
        }
    }

    /** The breakage account created with an asset: credit-normal, no flags. */
    static AccountSpec breakageSpec(AssetSpec asset) {
        return AccountSpec.of(asset.breakageAccountId(), asset.code(), Side.CREDIT).withLabel("breakage " + asset.code());
    }

    static Account newAccount(long regionId, AccountSpec spec) {
        return new Account(regionId, spec.id(), spec.assetCode(), spec.normal(), spec.flags(), spec.ceiling(),
                spec.label(), 0, 0, 0, 0, 0);
    }

    static void requireSameSpec(Account existing, AccountSpec spec) {
        if (!existing.spec().equals(spec)) {
            throw new IllegalArgumentException("account " + spec.id() + " exists with another spec: " + existing.spec());
        }
    }

    /** The spec after a flag and ceiling change; LOT_TRACKED is fixed at creation. */
    static AccountSpec updatedSpec(Account existing, Set<AccountFlag> flags, Long ceiling) {
        Set<AccountFlag> copy = flags.isEmpty() ? EnumSet.noneOf(AccountFlag.class) : EnumSet.copyOf(flags);
        if (copy.contains(AccountFlag.LOT_TRACKED) != existing.has(AccountFlag.LOT_TRACKED)) {
            throw new IllegalArgumentException("LOT_TRACKED is fixed at creation of account " + existing.id());
        }
        if (copy.contains(AccountFlag.NO_OVERDRAFT) && !existing.has(AccountFlag.NO_OVERDRAFT)
                && existing.availableBalance() < 0) {
            throw new IllegalArgumentException("account " + existing.id() + " is below zero (" + existing.availableBalance()
                    + "), so NO_OVERDRAFT cannot be set");
        }
        return new AccountSpec(existing.id(), existing.assetCode(), existing.normal(), copy, ceiling, existing.label());
    }

    static void requireLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new IllegalArgumentException("limit must be between 1 and " + max + ": " + limit);
        }
    }

}
