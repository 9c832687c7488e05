package jp.yui.server.settlement;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a bank's statement export (入出金明細 CSV) into dated, signed yen amounts, so that payouts can be matched
 * with what the bank actually moved.
 *
 * <p>Banks lay their CSVs out differently, so the caller gives a {@link Mapping}: which column holds the date
 * and in which pattern, the amount (one signed column, or separate deposit and withdrawal columns), the
 * description, and optionally a reference and the running balance. Columns are named by 0-based index or by
 * their title in the last header row.
 *
 * <p>Reading is RFC 4180: fields separated by commas, records by CRLF, LF or CR, a field in double quotes may
 * hold commas, line breaks and doubled quotes. A stray quote inside an unquoted field is kept as text, which is
 * what spreadsheet programs do. Empty lines, and lines whose fields are all empty, are skipped.
 *
 * <p>A line that cannot be read (bad date, amount that is not a number, missing column) becomes a
 * {@link LineError} and the rest is still read; only a problem with the file as a whole (an unknown column
 * name, too many lines, bytes that are not text) throws. Line numbers are the file's physical lines from 1,
 * counting the header rows; a record whose quoted field spans lines is numbered by its first line.
 *
 * <p>The class is stateless and thread-safe.
 */
public final class BankStatementCsv {
    /** The most lines (records, header rows included) read unless {@link Options#maxLines()} says otherwise. */
    public static final int DEFAULT_MAX_LINES = 100_000;

    static final Charset WINDOWS_31J = Charset.forName("windows-31j");

    private static final Pattern YEN = Pattern.compile("(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?");

    private BankStatementCsv() {
    }

    /**
     * A column, by 0-based index or by its title in the header row; exactly one of the two.
     *
     * @param index the 0-based index, or -1 when named
     * @param name the title, or null when indexed
     */
    public record Column(int index, String name) {
        /** @throws IllegalArgumentException unless exactly one of a 0-based index and a non-blank name is given */
        public Column {
            if (name == null ? index < 0 : index != -1 || name.isBlank()) {
                throw new IllegalArgumentException("a column is an index >= 0 or a non-blank name: " + index
                        + ", " + name);
            }
        }

        /** The column at a 0-based index. @throws IllegalArgumentException if {@code index < 0} */
        public static Column at(int index) {
            return new Column(index, null);
        }

        /** The column titled {@code name} in the header row, compared after NFKC and trimming. */
        public static Column named(String name) {
            return new Column(-1, requireNonNull(name, "name"));
        }

        @Override
        public String toString() {
            return name == null ? "column " + index : "column \"" + name + "\"";
        }
    }

    /**
     * Where things are in the bank's CSV. Build it with {@link #signed} or {@link #depositWithdrawal}.
     *
     * @param date the transaction date's column; not null
     * @param dateFormat a {@link DateTimeFormatter} pattern, e.g. {@code uuuu/M/d} (which also reads
     *        {@code 2026/04/01}) or {@code yyyyMMdd}; dates are checked strictly (no 30 February)
     * @param amount the signed amount's column (deposits positive), or null with deposit and withdrawal
     * @param deposit the deposit (お預り/入金) column, or null with amount
     * @param withdrawal the withdrawal (お引出し/出金) column, or null with amount
     * @param description the description (摘要) column; not null
     * @param reference a reference column, or null
     * @param balance the running balance (残高) column, or null
     * @param headerRows how many lines precede the data; named columns are looked up in the last of them
     */
    public record Mapping(Column date, String dateFormat, Column amount, Column deposit, Column withdrawal,
            Column description, Column reference, Column balance, int headerRows) {
        /**
         * Checks that the mapping can be applied.
         *
         * @throws IllegalArgumentException if neither or both amount forms are given, the pattern is not valid,
         *         {@code headerRows < 0}, or a column is named while {@code headerRows} is 0
         */
        public Mapping {
            requireNonNull(date, "date");
            requireNonNull(dateFormat, "dateFormat");
            requireNonNull(description, "description");
            boolean signed = amount != null;
            boolean split = deposit != null || withdrawal != null;
            if (signed == split || split && (deposit == null || withdrawal == null)) {
                throw new IllegalArgumentException(
                        "map either an amount column or both a deposit and a withdrawal column");
            }
            if (headerRows < 0) {
                throw new IllegalArgumentException("headerRows must be >= 0: " + headerRows);
            }
            formatter(dateFormat);
            for (Column c : new Column[] {date, amount, deposit, withdrawal, description, reference, balance}) {
                if (c != null && c.name() != null && headerRows == 0) {
                    throw new IllegalArgumentException(c + " is named, so the file needs headerRows >= 1");
                }
            }
        }

        /** One signed amount column, deposits positive; one header row. */
        public static Mapping signed(Column date, String dateFormat, Column amount, Column description) {
            return new Mapping(date, dateFormat, requireNonNull(amount, "amount"), null, null, description, null,
                    null, 1);
        }

        /** Separate deposit and withdrawal columns; one header row. */
        public static Mapping depositWithdrawal(Column date, String dateFormat, Column deposit, Column withdrawal,
                Column description) {
            return new Mapping(date, dateFormat, null, requireNonNull(deposit, "deposit"),
                    requireNonNull(withdrawal, "withdrawal"), description, null, null, 1);
        }

        /** This mapping with a reference column (null for none). */
        public Mapping withReference(Column reference) {
            return new Mapping(date, dateFormat, amount, deposit, withdrawal, description, reference, balance,
                    headerRows);
        }

        /** This mapping with a running-balance column (null for none). */
        public Mapping withBalance(Column balance) {
            return new Mapping(date, dateFormat, amount, deposit, withdrawal, description, reference, balance,
                    headerRows);
        }

        /** This mapping with {@code headerRows} lines before the data. @throws IllegalArgumentException as the constructor */
        public Mapping withHeaderRows(int headerRows) {
            return new Mapping(date, dateFormat, amount, deposit, withdrawal, description, reference, balance,
                    headerRows);
        }
    }

    /**
     * How to read.
     *
     * @param charset the file's encoding, or null to detect it: a UTF-8 byte-order mark, or bytes that decode
     *        as strict UTF-8, mean UTF-8; otherwise windows-31j (Shift_JIS as Windows and Excel write it)
     * @param maxLines the most lines (records, header rows included) to accept, at least 1
     */
    public record Options(Charset charset, int maxLines) {
        /** @throws IllegalArgumentException if {@code maxLines < 1} */
        public Options {
            if (maxLines < 1) {
                throw new IllegalArgumentException("maxLines must be >= 1: " + maxLines);
            }
        }

        /** Detect the encoding; at most {@link #DEFAULT_MAX_LINES} lines. */
        public static Options defaults() {
            return new Options(null, DEFAULT_MAX_LINES);
        }

        /** These options with a fixed encoding (null to detect it). */
        public Options withCharset(Charset charset) {
            return new Options(charset, maxLines);
        }

        /** These options with another line limit. @throws IllegalArgumentException if {@code maxLines < 1} */
        public Options withMaxLines(int maxLines) {
            return new Options(charset, maxLines);
        }
    }

    /**
     * One statement line.
     *
     * @param lineNumber the file line it starts on, from 1
     * @param date the transaction date
     * @param amount yen, positive for a deposit, negative for a withdrawal; never 0
     * @param description the description after NFKC (half-width kana become full-width) and trimming; may be
     *        empty
     * @param reference the reference, normalised the same way, or null when unmapped or empty
     * @param balance the balance after the line in yen, or null when unmapped or empty
     */
    public record StatementLine(int lineNumber, LocalDate date, long amount, String description, String reference,
            Long balance) {
        public StatementLine {
            requireNonNull(date, "date");
            requireNonNull(description, "description");
        }
    }

    /**
     * A line that could not be read.
     *
     * @param lineNumber the file line it starts on, from 1
     * @param reason every problem found on the line, separated by "; "
     */
    public record LineError(int lineNumber, String reason) {
    }

    /**
     * What was read.
     *
     * @param lines the lines read, in file order
     * @param errors the lines that could not be read, in file order
     * @param charset the encoding the file was read in
     */
    public record Result(List<StatementLine> lines, List<LineError> errors, Charset charset) {
        public Result {
            lines = List.copyOf(lines);
            errors = List.copyOf(errors);
        }
    }

    /** {@link #parse(byte[], Mapping, Options)} with {@link Options#defaults()}. */
    public static Result parse(byte[] file, Mapping mapping) {
        return parse(file, mapping, Options.defaults());
    }

    /**
     * Reads a statement.
     *
     * @param file the CSV's bytes; not null
     * @param mapping where the columns are; not null
     * @param options encoding and line limit; not null
     * @return the lines read and the lines that could not be
     * @throws IllegalArgumentException if the bytes are not text in the given (or a detectable) encoding, the
     *         file has more than {@code options.maxLines()} lines, or a named column is not in the header row
     */
    public static Result parse(byte[] file, Mapping mapping, Options options) {
        requireNonNull(file, "file");
        requireNonNull(mapping, "mapping");
        requireNonNull(options, "options");
        Charset charset = options.charset() != null ? options.charset() : detect(file);
        String text = decode(file, charset);
        List<CsvRecord> records = CsvRecord.read(text, options.maxLines());

        Map<Column, Integer> indexes = resolve(mapping, records);
        DateTimeFormatter dates = formatter(mapping.dateFormat());
        List<StatementLine> lines = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        for (int r = mapping.headerRows(); r < records.size(); r++) {
            CsvRecord record = records.get(r);
            if (record.isBlank()) {
                continue;
            }
            LineReader line = new LineReader(record, indexes);
            StatementLine read = line.read(mapping, dates);
            if (read != null) {
                lines.add(read);
            } else {
                errors.add(new LineError(record.line(), String.join("; ", line.problems)));
            }
        }
        return new Result(lines, errors, charset);
    }

    private static Charset detect(byte[] file) {
        if (hasBom(file)) {
            return StandardCharsets.UTF_8;
        }
        try {
            strictDecode(file, StandardCharsets.UTF_8);
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            // Shift_JIS text almost never happens to be valid UTF-8, so failing UTF-8 is the signal to fall back.
            return WINDOWS_31J;
        }
    }

    private static String decode(byte[] file, Charset charset) {
        boolean bom = charset.equals(StandardCharsets.UTF_8) && hasBom(file);
        byte[] body = bom ? Arrays.copyOfRange(file, 3, file.length) : file;
        try {
            return strictDecode(body, charset);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the statement is not " + charset.name() + " text"
                    + (charset.equals(WINDOWS_31J) ? " (nor UTF-8)" : "") + "; give its encoding in Options");
        }
    }

    private static boolean hasBom(byte[] file) {
        return file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF;
    }

    private static String strictDecode(byte[] bytes, Charset charset) throws CharacterCodingException {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static Map<Column, Integer> resolve(Mapping mapping, List<CsvRecord> records) {
        Map<Column, Integer> indexes = new LinkedHashMap<>();
        List<String> titles = null;
        int titleLine = 0;
        for (Column c : new Column[] {mapping.date(), mapping.amount(), mapping.deposit(), mapping.withdrawal(),
                mapping.description(), mapping.reference(), mapping.balance()}) {
            if (c == null || indexes.containsKey(c)) {
                continue;
            }
            if (c.name() == null) {
                indexes.put(c, c.index());
                continue;
            }
            if (titles == null) {
                if (records.size() < mapping.headerRows()) {
                    throw new IllegalArgumentException("the statement has " + records.size()
                            + " lines, fewer than its " + mapping.headerRows() + " header rows");
                }
                CsvRecord header = records.get(mapping.headerRows() - 1);
                titleLine = header.line();
                titles = new ArrayList<>();
                for (String field : header.fields()) {
                    titles.add(normalise(field));
                }
            }
            String wanted = normalise(c.name());
            int first = titles.indexOf(wanted);
            if (first < 0) {
                throw new IllegalArgumentException(c + " is not in the header row (line " + titleLine + "): "
                        + String.join(", ", titles));
            }
            int last = titles.lastIndexOf(wanted);
            if (last != first) {
                throw new IllegalArgumentException(c + " appears twice in the header row (line " + titleLine
                        + ", columns " + first + " and " + last + "); map it by index");
            }
            indexes.put(c, first);
        }
        return indexes;
    }

    static DateTimeFormatter formatter(String pattern) {
        try {
            // ERA defaults to the common era so that "yyyy" works under STRICT, which is what refuses 2026/02/30.
            return new DateTimeFormatterBuilder()
                    .appendPattern(pattern)
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dateFormat is not a date pattern: \"" + pattern + "\" ("
                    + e.getMessage() + ")", e);
        }
    }

    private static String normalise(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).strip();
    }

    /**
     * Reads a yen amount as banks print it: {@code 1,234}, {@code ¥1,234}, {@code 1,234円}, full-width digits,
     * a leading {@code -}, {@code ▲} or {@code △} for minus, and {@code .00} after it.
     *
     * @return the amount, or null when the text is blank
     * @throws IllegalArgumentException with the reason, quoting the text
     */
    static Long yen(String raw) {
        String s = normalise(raw);
        if (s.isEmpty()) {
            return null;
        }
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("▲") || s.startsWith("△")) {
            negative = true;
            s = s.substring(1).strip();
        } else if (s.startsWith("+")) {
            s = s.substring(1).strip();
        }
        // Shift_JIS has the yen sign at 0x5C, which windows-31j decodes as a backslash.
        if (s.startsWith("¥") || s.startsWith("\\")) {
            s = s.substring(1).strip();
        }
        if (s.endsWith("円")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (!negative && s.startsWith("-")) {
            negative = true;
            s = s.substring(1).strip();
        }
        Matcher m = YEN.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a yen amount");
        }
        if (m.group(2) != null && !m.group(2).matches("0+")) {
            throw new IllegalArgumentException("\"" + raw + "\" is not a whole number of yen");
        }
        String digits = m.group(1).replace(",", "");
        try {
            long value = Long.parseLong(digits);
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + raw + "\" is too large");
        }
    }

    /** Reads one data record, collecting every problem rather than stopping at the first. */
    private static final class LineReader {
        private final CsvRecord record;
        private final Map<Column, Integer> indexes;
        final List<String> problems = new ArrayList<>();

        LineReader(CsvRecord record, Map<Column, Integer> indexes) {
            this.record = record;
            this.indexes = indexes;
        }

        StatementLine read(Mapping mapping, DateTimeFormatter dates) {
            if (record.error() != null) {
                problems.add(record.error());
                return null;
            }
            LocalDate date = date(mapping.date(), mapping.dateFormat(), dates);
            Long amount = mapping.amount() != null ? signedAmount(mapping.amount())
                    : splitAmount(mapping.deposit(), mapping.withdrawal());
            String description = text(mapping.description());
            String reference = mapping.reference() == null ? null : text(mapping.reference());
            Long balance = mapping.balance() == null ? null : yen("balance", mapping.balance());
            if (!problems.isEmpty()) {
                return null;
            }
            return new StatementLine(record.line(), date, amount, description,
                    reference == null || reference.isEmpty() ? null : reference, balance);
        }

        private String field(Column c) {
            int i = indexes.get(c);
            if (i >= record.fields().size()) {
                problems.add(c + " is missing: the line has " + record.fields().size() + " columns");
                return null;
            }
            return record.fields().get(i);
        }

        private LocalDate date(Column c, String pattern, DateTimeFormatter dates) {
            String raw = field(c);
            if (raw == null) {
                return null;
            }
            String s = normalise(raw);
            if (s.isEmpty()) {
                problems.add("date is empty");
                return null;
            }
            try {
                return LocalDate.parse(s, dates);
            } catch (DateTimeParseException e) {
                problems.add("date \"" + raw + "\" is not a date in the form " + pattern);
                return null;
            }
        }

        private Long yen(String what, Column c) {
            String raw = field(c);
            if (raw == null) {
                return null;
            }
            try {
                return BankStatementCsv.yen(raw);
            } catch (IllegalArgumentException e) {
                problems.add(what + " " + e.getMessage());
                return null;
            }
        }

        private Long signedAmount(Column c) {
            int before = problems.size();
            Long amount = yen("amount", c);
            if (problems.size() == before) {
                if (amount == null) {
                    problems.add("amount is empty");
                } else if (amount == 0) {
                    problems.add("amount is zero");
                }
            }
            return amount;
        }

        private Long splitAmount(Column depositColumn, Column withdrawalColumn) {
            int before = problems.size();
            Long deposit = yen("deposit", depositColumn);
            Long withdrawal = yen("withdrawal", withdrawalColumn);
            if (problems.size() != before) {
                return null;
            }
            long in = deposit == null ? 0 : deposit;
            long out = withdrawal == null ? 0 : withdrawal;
            if (in < 0 || out < 0) {
                problems.add((in < 0 ? "deposit" : "withdrawal") + " is negative: " + (in < 0 ? in : out));
                return null;
            }
            // Some banks print 0 in the column that does not apply, so zero counts as empty here.
            if (in != 0 && out != 0) {
                problems.add(String.format(Locale.ROOT, "both deposit (%,d) and withdrawal (%,d) have an amount",
                        in, out));
                return null;
            }
            if (in == 0 && out == 0) {
                problems.add("neither deposit nor withdrawal has an amount");
                return null;
            }
            return in != 0 ? in : -out;
        }

        private String text(Column c) {
            String raw = field(c);
            return raw == null ? null : normalise(raw);
        }
    }

    /**
     * One CSV record: its fields, the line it starts on, and what was wrong with its quoting, if anything.
     */
    private record CsvRecord(int line, List<String> fields, String error) {

        boolean isBlank() {
            return error == null && fields.stream().allMatch(String::isBlank);
        }

        /**
         * Splits text into records (RFC 4180, plus LF or CR alone as line breaks).
         *
         * @throws IllegalArgumentException when there are more than {@code maxLines} records
         */
        static List<CsvRecord> read(String text, int maxLines) {
            List<CsvRecord> records = new ArrayList<>();
            int i = 0;
            int line = 1;
            int n = text.length();
            while (i < n) {
                if (records.size() == maxLines) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "the statement has more than %,d lines; split it or raise maxLines", maxLines));
                }
                int startLine = line;
                List<String> fields = new ArrayList<>();
                String error = null;
                StringBuilder field = new StringBuilder();
                boolean recordDone = false;
                while (!recordDone) {
                    field.setLength(0);
                    if (i < n && text.charAt(i) == '"') {
                        i++;
                        boolean closed = false;
                        while (i < n) {
                            char c = text.charAt(i++);
                            if (c == '"') {
                                if (i < n && text.charAt(i) == '"') {
                                    field.append('"');
                                    i++;
                                } else {
                                    closed = true;
                                    break;
                                }
                            } else {
                                if (c == '\n' || c == '\r' && (i >= n || text.charAt(i) != '\n')) {
                                    line++;
                                }
                                field.append(c);
                            }
                        }
                        if (!closed) {
                            error = error != null ? error
                                    : "a quoted field is still open at the end of the file";
                        }
                        int after = i;
                        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                            i++;
                        }
                        if (i > after && !text.substring(after, i).isBlank() && error == null) {
                            error = "text after the closing quote of field " + fields.size() + ": \""
                                    + text.substring(after, i) + "\"";
                        }
                    } else {
                        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                            field.append(text.charAt(i++));
                        }
                    }
                    fields.add(field.toString());
                    if (i < n && text.charAt(i) == ',') {
                        i++;
                    } else {
                        recordDone = true;
                    }
                }
                if (i < n) {
                    // At a line break: CRLF, LF or CR.
                    if (text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    i++;
                    line++;
                }
                records.add(new CsvRecord(startLine, fields, error));
            }
            return records;
        }
    }
}
