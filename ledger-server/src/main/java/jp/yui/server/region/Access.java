package jp.yui.server.region;

import java.util.Arrays;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;

/** Role checks shared by the town's controllers; ownership of residents' things is checked where they live. */
public final class Access {
    public static final String ADMIN = "admin";
    public static final String OFFICER = "programme-officer";
    public static final String FINANCE = "finance";
    public static final String CASHIER = "cashier";
    public static final String MERCHANT = "merchant";
    public static final String RESIDENT = "resident";
    public static final String INTEGRATION = "integration";

    private Access() {
    }

    /** The caller is of the region (or platform-wide) and has one of the roles; else 403. */
    public static void require(Caller caller, long regionId, String... roles) {
        caller.requireRegion(regionId);
        if (Arrays.stream(roles).noneMatch(caller::hasRole)) {
            throw Problems.forbidden("this needs one of the roles " + String.join(", ", roles));
        }
    }

    /** Whether the caller is of the region and has one of the roles. */
    public static boolean has(Caller caller, long regionId, String... roles) {
        boolean ofRegion = caller.regionId().map(r -> r == regionId).orElse(caller.hasRole(ADMIN));
        return ofRegion && Arrays.stream(roles).anyMatch(caller::hasRole);
    }

    /** A platform-wide admin (an admin token without a region); else 403. */
    public static void requirePlatformAdmin(Caller caller) {
        if (!caller.hasRole(ADMIN) || caller.regionId().isPresent()) {
            throw Problems.forbidden("creating regions needs a platform-wide admin");
        }
    }
}
