package jp.yui.server.report;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * CSV that Excel opens correctly in Japanese: UTF-8 with a byte order mark (without it Excel reads Shift_JIS and
 * garbles every header), CRLF line ends, fields quoted as RFC 4180 says. A table is a list of columns, each a header
 * and how to read its cell from a row, so adding a column is one line.
 *
 * <p>Text that Excel would take for a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab, CR at the start; a
 * shop's name is typed by people) gets a leading apostrophe, as OWASP advises against CSV injection. Numbers are
 * written as they are, negative ones included.
 */
final class Csv {

    /** The media type of every CSV answer. */
    static final String MEDIA_TYPE = "text/csv; charset=UTF-8";

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String CRLF = "\r\n";

    private Csv() {
    }

    /**
     * A column: its Japanese header and its cell of a row (a {@link Number} as it is, anything else as text; null
     * an empty cell).
     */
    record Column<T>(String header, Function<? super T, ?> cell) {
        Column {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(cell, "cell");
        }
    }

    static <T> Column<T> column(String header, Function<? super T, ?> cell) {
        return new Column<>(header, cell);
    }

    /** The byte order mark and the header line. */
    static byte[] head(List<? extends Column<?>> columns) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(text(columns.get(i).header()));
        }
        sb.append(CRLF);
        byte[] line = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BOM.length + line.length];
        System.arraycopy(BOM, 0, out, 0, BOM.length);
        System.arraycopy(line, 0, out, BOM.length, line.length);
        return out;
    }

    /** The rows' lines, without a header. */
    static <T> byte[] rows(List<Column<T>> columns, List<? extends T> rows) {
        StringBuilder sb = new StringBuilder();
        for (T row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(cell(columns.get(i).cell().apply(row)));
            }
            sb.append(CRLF);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A whole table: byte order mark, header, rows. */
    static <T> byte[] table(List<Column<T>> columns, List<? extends T> rows) {
        byte[] head = head(columns);
        byte[] body = rows(columns, rows);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** One cell as CSV text. */
    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        return text(value.toString());
    }

    private static String text(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /**
     * A 200 answer that browsers save as a file.
     *
     * @param filename ASCII letters, digits, {@code -}, {@code _} and {@code .} only, so no quoting or encoding
     *                 of the header is needed
     * @param body     the bytes, or a publisher of them for a streamed answer
     * @throws IllegalStateException if the filename has other characters (the reports build it from dates and
     *                               numbers, so that is a bug, answered 500)
     */
    static MutableHttpResponse<?> attachment(String filename, Object body) {
        if (!filename.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalStateException("CSV file names are plain ASCII: " + filename);
        }
        return HttpResponse.ok(body).contentType(MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
    }
}
