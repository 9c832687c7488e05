package jp.yui.server.infra;

import java.util.Set;

/** The server's roles, as they appear in a token's {@code roles} claim and in {@code api_key.role}. */
public final class Roles {

    /** Sets up regions, assets, merchants, staff and keys; without a {@code region_id}, for every region. */
    public static final String ADMIN = "admin";
    /** Runs point programmes and awards points. */
    public static final String PROGRAMME_OFFICER = "programme-officer";
    /** Reconciles, settles, reports. */
    public static final String FINANCE = "finance";
    /** Charges wallets at a counter. */
    public static final String CASHIER = "cashier";
    /** A shop's till or app (API key bound to one merchant). */
    public static final String MERCHANT = "merchant";
    /** A resident; the token carries {@code resident_id}. */
    public static final String RESIDENT = "resident";
    /** A backend such as a step counter (API key, optionally bound to one programme). */
    public static final String INTEGRATION = "integration";

    public static final Set<String> ALL =
            Set.of(ADMIN, PROGRAMME_OFFICER, FINANCE, CASHIER, MERCHANT, RESIDENT, INTEGRATION);

    /** The roles an API key may carry; people sign in with tokens. */
    public static final Set<String> API_KEY_ROLES = Set.of(MERCHANT, INTEGRATION);

    private Roles() {
    }
}
