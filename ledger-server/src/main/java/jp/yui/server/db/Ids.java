package jp.yui.server.db;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids derived from what they name, so that creating an account or retrying a movement twice lands on the same
 * ledger id (the ledger's idempotency key) even if the server crashed in between.
 */
public final class Ids {
    private Ids() {
    }

    /** A name-based (version 3) UUID of the parts joined by ':'. */
    public static UUID of(Object... parts) {
        StringBuilder sb = new StringBuilder("yui");
        for (Object p : parts) {
            sb.append(':').append(p);
        }
        return UUID.nameUUIDFromBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
