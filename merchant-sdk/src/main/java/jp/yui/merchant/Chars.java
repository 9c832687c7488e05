package jp.yui.merchant;

import java.util.Locale;
import java.util.Objects;

/** Character classes of EMVCo values. Everything here counts Unicode code points, as EMVCo lengths do. */
final class Chars {

    private Chars() {
    }

    /** @return the length of {@code s} in code points */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** EMVCo's "ans": printable ASCII, space to tilde. */
    static boolean isAns(int cp) {
        return cp >= 0x20 && cp <= 0x7E;
    }

    /** What a name in another language may hold: any character but controls and lone surrogates. */
    static boolean isText(int cp) {
        return cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F) && !(cp >= 0xD800 && cp <= 0xDFFF);
    }

    /** @return the code-point index of the first character of {@code s} that is not "ans", or -1 */
    static int firstNotAns(String s) {
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (!isAns(cps[i])) {
                return i;
            }
        }
        return -1;
    }

    /** @return the code-point index of the first character of {@code s} that is not {@link #isText text}, or -1 */
    static int firstNotText(String s) {
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (!isText(cps[i])) {
                return i;
            }
        }
        return -1;
    }

    /** @return the code point at code-point index {@code index} of {@code s} */
    static int codePointAt(String s, int index) {
        return s.codePointAt(s.offsetByCodePoints(0, index));
    }

    /** @return {@code U+00E9}-style name of a code point */
    static String describe(int cp) {
        return String.format(Locale.ROOT, "U+%04X", cp);
    }

    /** @return whether {@code s} is one or more ASCII digits */
    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** @return {@code s} quoted, with controls and lone surrogates shown as {@code \\uXXXX}, for messages */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("'");
        s.codePoints().forEach(cp -> {
            if (isText(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04X", cp));
            }
        });
        return out.append('\'').toString();
    }

    /** Checks a value that goes into the payload as EMVCo "ans": 1 to {@code max} printable ASCII characters. */
    static void requireAns(String what, String value, int max) {
        Objects.requireNonNull(value, what);
        int length = length(value);
        if (length < 1 || length > max) {
            throw new IllegalArgumentException(
                    what + " must have 1 to " + max + " characters, has " + length + ": " + quote(value));
        }
        int bad = firstNotAns(value);
        if (bad >= 0) {
            throw new IllegalArgumentException(what + " must be printable ASCII, found "
                    + describe(codePointAt(value, bad)) + " at index " + bad + ": " + quote(value));
        }
    }
}
