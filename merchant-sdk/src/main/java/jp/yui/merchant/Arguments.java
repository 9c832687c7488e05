package jp.yui.merchant;

import java.util.regex.Pattern;

/** The argument rules of the payments API (docs/payments-api.md), checked before anything is sent. */
final class Arguments {

    /** A shop's reference: up to 25 characters of {@code [A-Za-z0-9._-]}, so it is safe in URLs, CSVs and logs. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,25}");

    private Arguments() {
    }

    /** @throws IllegalArgumentException if {@code amount <= 0} */
    static long requireAmount(String what, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException(what + " must be > 0: " + amount);
        }
        return amount;
    }

    /**
     * @param reference null for none
     * @throws IllegalArgumentException if it is not 1 to 25 characters of {@code [A-Za-z0-9._-]}
     */
    static String requireReference(String reference) {
        if (reference != null && !REFERENCE.matcher(reference).matches()) {
            throw new IllegalArgumentException(
                    "reference must be 1 to 25 characters of A-Z a-z 0-9 . _ -: " + Chars.quote(reference));
        }
        return reference;
    }

    /** @throws IllegalArgumentException if {@code limit < 1} */
    static int requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be > 0: " + limit);
        }
        return limit;
    }

    /** @throws IllegalArgumentException if the cursor is empty */
    static String requireCursor(String cursor) {
        if (cursor != null && cursor.isEmpty()) {
            throw new IllegalArgumentException("cursor must not be empty: pass null for the first page");
        }
        return cursor;
    }
}
