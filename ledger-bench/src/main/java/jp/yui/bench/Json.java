package jp.yui.bench;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * A small JSON writer for the report: maps (keys in their iteration order), collections and arrays, strings,
 * numbers, booleans and null. A number that is not finite is written as null. Anything else is written as its
 * {@code toString()}, quoted.
 */
final class Json {

    private Json() {}

    /** The value as indented JSON, ending with a newline. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
            } else {
                sb.append("null");
            }
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "\n" : ",\n");
                first = false;
                indent(sb, depth + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), depth + 1);
            }
            sb.append('\n');
            indent(sb, depth);
            sb.append('}');
        } else if (value instanceof Collection<?> list) {
            writeList(sb, list.toArray(), depth);
        } else if (value.getClass().isArray()) {
            Object[] items = new Object[Array.getLength(value)];
            for (int i = 0; i < items.length; i++) {
                items[i] = Array.get(value, i);
            }
            writeList(sb, items, depth);
        } else {
            quote(sb, value.toString());
        }
    }

    private static void writeList(StringBuilder sb, Object[] items, int depth) {
        if (items.length == 0) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < items.length; i++) {
            sb.append(i == 0 ? "\n" : ",\n");
            indent(sb, depth + 1);
            write(sb, items[i], depth + 1);
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append(']');
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth));
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
