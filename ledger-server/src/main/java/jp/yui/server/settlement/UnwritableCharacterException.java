package jp.yui.server.settlement;

/**
 * A character that a Zengin bank file cannot carry (kanji, emoji, a symbol outside the banks' set), named with
 * its position so that the person who typed the name can fix it.
 *
 * <p>The message reads, for example, {@code cannot be written in a bank file: '店' at 3 in "みやき店"; give the
 * name in kana}. Positions count Unicode code points from 0, so an emoji counts as one.
 */
public final class UnwritableCharacterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int codePoint;
    private final int index;
    private final String input;
    private final String hint;

    UnwritableCharacterException(int codePoint, int index, String input, String hint) {
        this("", codePoint, index, input, hint);
    }

    private UnwritableCharacterException(String context, int codePoint, int index, String input, String hint) {
        super(context + "cannot be written in a bank file: '" + shown(codePoint) + "' at " + index + " in \"" + input
                + "\"; " + hint);
        this.codePoint = codePoint;
        this.index = index;
        this.input = input;
        this.hint = hint;
    }

    /** The same refusal with where it happened in front, e.g. {@code "row 3 受取人名 (payeeName): "}. */
    UnwritableCharacterException in(String context) {
        UnwritableCharacterException placed = new UnwritableCharacterException(context, codePoint, index, input, hint);
        placed.initCause(this);
        return placed;
    }

    /** The refused character. */
    public int codePoint() {
        return codePoint;
    }

    /** Its position in {@link #input()}, in code points from 0. */
    public int index() {
        return index;
    }

    /** The text as the caller gave it. */
    public String input() {
        return input;
    }

    // A tab or a control character would be invisible between the quotes, so it is named by its code instead.
    private static String shown(int codePoint) {
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint) && codePoint != ' '
                || Character.getType(codePoint) == Character.FORMAT) {
            return String.format("U+%04X", codePoint);
        }
        return new String(Character.toChars(codePoint));
    }
}
