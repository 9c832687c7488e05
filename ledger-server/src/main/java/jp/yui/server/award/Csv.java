package jp.yui.server.award;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 reader: one record per line, fields optionally in double quotes ("" for a quote). */
final class Csv {
    private Csv() {
    }

    /** The fields of one line. @throws IllegalArgumentException for an unterminated quote or text after a quote */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unterminated quoted field");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after a quoted field at column " + (i + 1));
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            out.add(field.toString().trim());
            field.setLength(0);
            if (i >= line.length()) {
                return out;
            }
            i++;
        }
    }
}
