package jp.yui.merchant;

import java.util.Objects;
import java.util.Optional;

/**
 * A string is not a well-formed EMVCo merchant-presented QR payload. {@link #reason()} is stable and meant for
 * code; the message is for people and names the tag and the character offset, for example
 * {@code tag 54 at offset 38: length 07 runs past the end (payload has 44 characters)}.
 *
 * <p>Offsets count characters (Unicode code points) from the start of the payload, as EMVCo lengths do. They point
 * at the start of the offending tag; for a tag that is missing, at the start of the template that should hold it,
 * or 0 when a top-level tag is missing.
 */
public final class QrFormatException extends MerchantException {

    /** Why a payload was refused. The names are stable: code may switch on them. */
    public enum Reason {
        /** The payload ends inside a tag's id or length (or is empty). */
        TRUNCATED,
        /** A tag id is not two digits. */
        BAD_ID,
        /** A tag length is not two digits. */
        NON_NUMERIC_LENGTH,
        /** A tag's length runs past the end of the payload or of its template. */
        LENGTH_OVERRUN,
        /** A tag appears twice, at top level or within one template. */
        DUPLICATE_TAG,
        /** A mandatory tag or sub-field is absent. */
        MISSING_TAG,
        /** A tag is present where the code's kind forbids it (an amount in a static code). */
        UNEXPECTED_TAG,
        /** A value has the wrong length or characters for its tag (also: a payload longer than 512 characters). */
        BAD_VALUE,
        /** The CRC (tag 63) does not match the payload, or is not four upper-case hex digits. */
        BAD_CRC,
        /** Tag 63 is present but not the last tag. */
        CRC_NOT_LAST,
        /** Tag 00 (payload format indicator) is present but not the first tag. */
        FORMAT_INDICATOR_NOT_FIRST,
        /** Tag 00 holds a payload format other than {@code 01}. */
        UNSUPPORTED_VERSION
    }

    private final Reason reason;
    private final int offset;
    private final String tag;

    QrFormatException(Reason reason, String tag, int offset, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.tag = tag;
        this.offset = offset;
    }

    /** @return why the payload was refused; never null */
    public Reason reason() {
        return reason;
    }

    /** @return the character offset of the offending tag (see the class comment), {@code >= 0} */
    public int offset() {
        return offset;
    }

    /**
     * @return the offending tag, {@code "54"} at top level or {@code "62.05"} within a template; empty when the
     *     problem is not one tag's (an empty payload, an id that is not two digits)
     */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }
}
