package jp.yui.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Transfer metadata: a small flat map of strings, validated, sorted, and written as canonical JSON. */
final class Metadata {

    static final int MAX_ENTRIES = 16;
    static final int MAX_BYTES = 2048;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private Metadata() {
    }

    /** An unmodifiable, key-sorted copy after checking every bound. */
    static Map<String, String> copyOf(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.isEmpty()) {
            return Map.of();
        }
        if (metadata.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("metadata may have at most " + MAX_ENTRIES + " entries: " + metadata.size());
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "metadata key");
            String value = Objects.requireNonNull(e.getValue(), "metadata value of " + key);
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("metadata key must match " + KEY + ": " + key);
            }
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    throw new IllegalArgumentException("metadata value of " + key + " has a control character at " + i);
                }
            }
            sorted.put(key, value);
        }
        int bytes = toJson(sorted).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("metadata must be at most " + MAX_BYTES + " bytes as JSON: " + bytes);
        }
        return Collections.unmodifiableMap(sorted);
    }

    /** Canonical JSON: keys in sorted order, no spaces, only {@code "} and {@code \} escaped. */
    static String toJson(Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(64).append('{');
        new TreeMap<>(metadata).forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, k).append(':');
            quote(sb, v);
        });
        return sb.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"');
    }

    /**
     * Parses a flat JSON object of strings, as PostgreSQL prints a {@code jsonb} value written by
     * {@link #toJson(Map)}.
     *
     * @throws IllegalArgumentException if the text is not such an object
     */
    static Map<String, String> parse(String json) {
        Parser p = new Parser(json);
        TreeMap<String, String> out = new TreeMap<>();
        p.skipSpace();
        p.expect('{');
        p.skipSpace();
        if (p.peek() == '}') {
            p.next();
            p.requireEnd();
            return Map.of();
        }
        while (true) {
            p.skipSpace();
            String key = p.string();
            p.skipSpace();
            p.expect(':');
            p.skipSpace();
            if (out.put(key, p.string()) != null) {
                throw new IllegalArgumentException("duplicate key " + key + " in " + json);
            }
            p.skipSpace();
            char c = p.next();
            if (c == '}') {
                p.requireEnd();
                return Collections.unmodifiableMap(out);
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or } at " + (p.pos - 1) + " in " + json);
            }
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON: " + s);
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (pos - 1) + " in " + s);
            }
        }

        void requireEnd() {
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected text after the object at " + pos + " in " + s);
            }
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"': case '\\': case '/': sb.append(e); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = pos < s.length() ? Character.digit(s.charAt(pos), 16) : -1;
                            if (digit < 0) {
                                throw new IllegalArgumentException("bad \\u escape at " + pos + " in " + s);
                            }
                            code = code * 16 + digit;
                            pos++;
                        }
                        sb.append((char) code);
                        break;
                    default:
                        throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
                }
            }
        }
    }
}
