package jp.yui.server.settlement;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jp.yui.server.settlement.BankKana.Overflow;

/**
 * Writes and reads a Zengin 総合振込 (bulk credit transfer) file: the payout file finance uploads to the town's
 * bank after a settlement run.
 *
 * <h2>Layout</h2>
 * Fixed 120-byte records of single-byte Shift_JIS ({@code windows-31j}: ASCII and half-width katakana, so one
 * character is one byte), numeric fields right-aligned and zero-padded, text fields left-aligned and
 * space-padded. Byte offsets below count from 0.
 * <pre>
 * header  1: データ区分 "1"(0,1) 種別コード "21"(1,2) コード区分 "0"(3,1) 依頼人コード(4,10) 依頼人名(14,40)
 *            取組日 MMDD(54,4) 仕向銀行番号(58,4) 仕向銀行名(62,15) 仕向支店番号(77,3) 仕向支店名(80,15)
 *            預金種目(95,1) 口座番号(96,7) ダミー(103,17 spaces)
 * data    2: データ区分 "2"(0,1) 被仕向銀行番号(1,4) 被仕向銀行名(5,15) 被仕向支店番号(20,3) 被仕向支店名(23,15)
 *            手形交換所番号 "0000"(38,4) 預金種目(42,1) 口座番号(43,7) 受取人名(50,30) 振込金額(80,10)
 *            新規コード "0"(90,1) 顧客コード1(91,10) 顧客コード2(101,10) 振込指定区分 " "(111,1)
 *            識別表示 " " or "Y"(112,1) ダミー(113,7 spaces)
 * trailer 8: データ区分 "8"(0,1) 合計件数(1,6) 合計金額(7,12) ダミー(19,101 spaces)
 * end     9: データ区分 "9"(0,1) ダミー(1,119 spaces)
 * </pre>
 * The field order and widths follow the 全銀協制定ファイルフォーマット 【総合振込】 as a regional bank republishes it
 * (header and data record tables), cross-checked with a vendor's FB specification that gives every field's
 * start column, Nablarch's 全銀 sample layout (data-record offsets 80 振込金額 to 113 ダミー), and the Miyazaki
 * Bank's upload guide (120-byte records, CRLF or none); all agree with the widths above. Where a value is a choice:
 * <ul>
 *   <li>手形交換所番号 is unused; the 全銀協 document says to fill it with 0, so it is written {@code 0000} (some
 *       software writes spaces or {@code 9999}; the reader accepts any digits or spaces and ignores them);</li>
 *   <li>新規コード is written {@code 0} (その他); 振込指定区分 is written as a space, which banks treat as 電信扱;</li>
 *   <li>顧客コード1/2 (N(10) each) are written as spaces when absent; with EDI information the 20 bytes of
 *       顧客コード1 and 2 hold it as text and 識別表示 is {@code Y}, as the 全銀協 format defines;</li>
 *   <li>records are followed by CRLF (122 bytes each, the last one too), or by nothing; the 全銀協 document
 *       describes CRLF as added after each 120-byte record.</li>
 * </ul>
 * The requester's 預金種目 may be 普通, 当座 or その他 (1, 2, 9), a payee's also 貯蓄 (4), as the format lists.
 *
 * <p>Names go through {@link BankKana}: the requester's and payees' names with
 * {@link BankKana#toBankName legal-entity abbreviations}, bank and branch names and EDI text with
 * {@link BankKana#toBankText}. The class is stateless and thread-safe.
 */
public final class ZenginTransferFile {
    /** Every record is this many bytes, without its line ending. */
    public static final int RECORD_LENGTH = 120;
    /** The largest amount one data record holds (10 digits). */
    public static final long MAX_AMOUNT = 9_999_999_999L;
    /** The largest total the trailer holds (12 digits). */
    public static final long MAX_TOTAL = 999_999_999_999L;
    /** The most data records the trailer can count (6 digits). */
    public static final int MAX_ROWS = 999_999;

    static final Charset CHARSET = Charset.forName("windows-31j");

    private static final String NAME_HINT = "; shorten it or choose Overflow.TRUNCATE for names";
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private ZenginTransferFile() {
    }

    /** 預金種目, the kind of bank account. */
    public enum AccountType {
        /** 普通預金. */
        ORDINARY('1'),
        /** 当座預金. */
        CURRENT('2'),
        /** 貯蓄預金 (payees only). */
        SAVINGS('4'),
        /** その他. */
        OTHER('9');

        private final char code;

        AccountType(char code) {
            this.code = code;
        }

        /** The digit written in the file. */
        public char code() {
            return code;
        }

        static AccountType ofCode(char code) {
            for (AccountType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    /** What follows each record. */
    public enum LineEnding {
        /** CR LF after every record, the last one included. */
        CRLF,
        /** Records back to back. */
        NONE
    }

    /**
     * How to write.
     *
     * @param lineEnding what follows each record
     * @param nameOverflow what to do with a name longer than its field (requester, bank, branch and payee
     *        names); EDI text is never cut
     */
    public record Options(LineEnding lineEnding, Overflow nameOverflow) {
        public Options {
            requireNonNull(lineEnding, "lineEnding");
            requireNonNull(nameOverflow, "nameOverflow");
        }

        /** CRLF after each record, and over-long names refused. */
        public static Options defaults() {
            return new Options(LineEnding.CRLF, Overflow.REFUSE);
        }

        /** These options with another line ending. */
        public Options withLineEnding(LineEnding lineEnding) {
            return new Options(lineEnding, nameOverflow);
        }

        /** These options with another rule for over-long names. */
        public Options withNameOverflow(Overflow nameOverflow) {
            return new Options(lineEnding, nameOverflow);
        }
    }

    /**
     * The header: who pays, from which account, on which day.
     *
     * @param requesterCode 依頼人コード, the 10-digit code the bank gave the town
     * @param requesterName 依頼人名 as typed (converted on writing; bank text when parsed)
     * @param transferDate 取組日 (振込指定日), written as MMDD; must be a bank business day, which is the caller's
     *        concern
     * @param bankCode 仕向銀行番号, 4 digits
     * @param bankName 仕向銀行名; may be empty (null becomes empty)
     * @param branchCode 仕向支店番号, 3 digits
     * @param branchName 仕向支店名; may be empty (null becomes empty)
     * @param accountType 預金種目: ORDINARY, CURRENT or OTHER
     * @param accountNumber 口座番号, 1 to 7 digits; kept left-padded with zeros to 7
     */
    public record Header(String requesterCode, String requesterName, LocalDate transferDate, String bankCode,
            String bankName, String branchCode, String branchName, AccountType accountType, String accountNumber) {
        /**
         * Checks the codes and left-pads the account number.
         *
         * @throws IllegalArgumentException naming the field and the value when a code is not the right number of
         *         digits or the account type is SAVINGS
         */
        public Header {
            requireDigits("requesterCode", requesterCode, 10, 10);
            requireNonNull(requesterName, "requesterName");
            requireNonNull(transferDate, "transferDate");
            requireDigits("bankCode", bankCode, 4, 4);
            bankName = bankName == null ? "" : bankName;
            requireDigits("branchCode", branchCode, 3, 3);
            branchName = branchName == null ? "" : branchName;
            requireNonNull(accountType, "accountType");
            if (accountType == AccountType.SAVINGS) {
                throw new IllegalArgumentException(
                        "requester accountType must be ORDINARY, CURRENT or OTHER (普通, 当座, その他): SAVINGS");
            }
            accountNumber = padDigits("accountNumber", accountNumber, 7);
        }
    }

    /**
     * One payment: to which account, to whom, how much.
     *
     * @param bankCode 被仕向銀行番号, 4 digits
     * @param bankName 被仕向銀行名; may be empty (null becomes empty)
     * @param branchCode 被仕向支店番号, 3 digits
     * @param branchName 被仕向支店名; may be empty (null becomes empty)
     * @param accountType 預金種目
     * @param accountNumber 口座番号, 1 to 7 digits; kept left-padded with zeros to 7
     * @param payeeName 受取人名 as typed (converted on writing; bank text when parsed)
     * @param amount 振込金額 in yen, 1 to {@link #MAX_AMOUNT}
     * @param customerCode1 顧客コード1, 1 to 10 digits kept left-padded to 10, or null
     * @param customerCode2 顧客コード2, likewise, or null
     * @param ediInfo EDI情報 (up to 20 bytes of bank text once converted), or null; excludes the customer codes
     */
    public record Row(String bankCode, String bankName, String branchCode, String branchName,
            AccountType accountType, String accountNumber, String payeeName, long amount, String customerCode1,
            String customerCode2, String ediInfo) {
        /**
         * Checks the codes and the amount, and left-pads the account number and customer codes.
         *
         * @throws IllegalArgumentException naming the field and the value when a code has the wrong number of digits,
         *         the amount is out of range, or both customer codes and EDI information are given
         */
        public Row {
            requireDigits("bankCode", bankCode, 4, 4);
            bankName = bankName == null ? "" : bankName;
            requireDigits("branchCode", branchCode, 3, 3);
            branchName = branchName == null ? "" : branchName;
            requireNonNull(accountType, "accountType");
            accountNumber = padDigits("accountNumber", accountNumber, 7);
            requireNonNull(payeeName, "payeeName");
            if (amount < 1 || amount > MAX_AMOUNT) {
                throw new IllegalArgumentException(
                        String.format(Locale.ROOT, "amount must be 1 to %,d yen: %,d", MAX_AMOUNT, amount));
            }
            customerCode1 = blankToNull(customerCode1) == null ? null : padDigits("customerCode1", customerCode1, 10);
            customerCode2 = blankToNull(customerCode2) == null ? null : padDigits("customerCode2", customerCode2, 10);
            ediInfo = blankToNull(ediInfo);
            if (ediInfo != null && (customerCode1 != null || customerCode2 != null)) {
                // They share the same 20 bytes of the record.
                throw new IllegalArgumentException("a row carries customer codes or EDI information, not both");
            }
        }

        /** A row with no bank or branch names, customer codes or EDI information. */
        public static Row of(String bankCode, String branchCode, AccountType accountType, String accountNumber,
                String payeeName, long amount) {
            return new Row(bankCode, "", branchCode, "", accountType, accountNumber, payeeName, amount, null, null,
                    null);
        }

        /** This row with bank and branch names (as typed; null or empty leaves the field blank). */
        public Row withNames(String bankName, String branchName) {
            return new Row(bankCode, bankName, branchCode, branchName, accountType, accountNumber, payeeName, amount,
                    customerCode1, customerCode2, ediInfo);
        }

        /** This row with customer codes (either may be null) and without EDI information. */
        public Row withCustomerCodes(String customerCode1, String customerCode2) {
            return new Row(bankCode, bankName, branchCode, branchName, accountType, accountNumber, payeeName, amount,
                    customerCode1, customerCode2, null);
        }

        /** This row with EDI information and without customer codes. */
        public Row withEdi(String ediInfo) {
            return new Row(bankCode, bankName, branchCode, branchName, accountType, accountNumber, payeeName, amount,
                    null, null, ediInfo);
        }
    }

    /**
     * A written file.
     *
     * @param bytes the file, ready to upload (a copy is kept and handed out)
     * @param rowCount the number of data records, as in the trailer
     * @param total the sum of the amounts in yen, as in the trailer
     */
    public record Written(byte[] bytes, int rowCount, long total) {
        public Written {
            bytes = bytes.clone();
        }

        @Override
        /** A copy of the file's bytes. */
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Written w && Arrays.equals(bytes, w.bytes) && rowCount == w.rowCount
                    && total == w.total;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(bytes) + rowCount) + Long.hashCode(total);
        }

        @Override
        public String toString() {
            return "Written[" + bytes.length + " bytes, rowCount=" + rowCount + ", total=" + total + "]";
        }
    }

    /**
     * A file read back. Names are bank text with trailing spaces removed.
     *
     * @param header the header record
     * @param rows the data records in file order
     * @param total the sum of the amounts, equal to the trailer's
     * @param lineEnding what followed the records
     */
    public record Parsed(Header header, List<Row> rows, long total, LineEnding lineEnding) {
        public Parsed {
            rows = List.copyOf(rows);
        }

        /** The number of data records, equal to the trailer's count. */
        public int rowCount() {
            return rows.size();
        }
    }

    /** {@link #write(Header, List, Options)} with {@link Options#defaults()}. */
    public static Written write(Header header, List<Row> rows) {
        return write(header, rows, Options.defaults());
    }

    /**
     * Writes the file: a header, one data record per row in the given order, the trailer and the end record.
     *
     * @param header who pays; not null
     * @param rows the payments, at least one and at most {@link #MAX_ROWS}; not null
     * @param options line ending and what to do with over-long names; not null
     * @return the bytes, the row count and the total
     * @throws IllegalArgumentException if there are no rows or too many, if the total exceeds {@link #MAX_TOTAL},
     *         if a required name is blank, or if a name or EDI text is longer than its field (names only when
     *         {@code options.nameOverflow()} is REFUSE); messages name the row (from 1) and the field
     * @throws UnwritableCharacterException if a name or EDI text holds a character a bank file cannot carry; the
     *         message starts with the row and field
     */
    public static Written write(Header header, List<Row> rows, Options options) {
        requireNonNull(header, "header");
        requireNonNull(rows, "rows");
        requireNonNull(options, "options");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a transfer file needs at least one row");
        }
        if (rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a transfer file holds at most %,d rows (the trailer's 6 digits): %,d", MAX_ROWS, rows.size()));
        }
        Overflow overflow = options.nameOverflow();
        ByteArrayOutputStream out = new ByteArrayOutputStream((RECORD_LENGTH + 2) * (rows.size() + 3));

        String where = "header ";
        put(out, options, new RecordBuilder("header")
                .text("1", 1)
                .text("21", 2)
                .text("0", 1)
                .digits(header.requesterCode(), 10)
                .text(name(where + "依頼人名 (requesterName)", header.requesterName(), 40, overflow), 40)
                .digits(String.format(Locale.ROOT, "%02d%02d", header.transferDate().getMonthValue(),
                        header.transferDate().getDayOfMonth()), 4)
                .digits(header.bankCode(), 4)
                .text(text(where + "仕向銀行名 (bankName)", header.bankName(), 15, overflow, NAME_HINT), 15)
                .digits(header.branchCode(), 3)
                .text(text(where + "仕向支店名 (branchName)", header.branchName(), 15, overflow, NAME_HINT), 15)
                .text(String.valueOf(header.accountType().code()), 1)
                .digits(header.accountNumber(), 7)
                .spaces(17)
                .bytes());

        long total = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = requireNonNull(rows.get(i), "rows[" + i + "]");
            where = "row " + (i + 1) + " ";
            boolean edi = row.ediInfo() != null;
            RecordBuilder record = new RecordBuilder("data")
                    .text("2", 1)
                    .digits(row.bankCode(), 4)
                    .text(text(where + "被仕向銀行名 (bankName)", row.bankName(), 15, overflow, NAME_HINT), 15)
                    .digits(row.branchCode(), 3)
                    .text(text(where + "被仕向支店名 (branchName)", row.branchName(), 15, overflow, NAME_HINT), 15)
                    .digits("0000", 4)
                    .text(String.valueOf(row.accountType().code()), 1)
                    .digits(row.accountNumber(), 7)
                    .text(name(where + "受取人名 (payeeName)", row.payeeName(), 30, overflow), 30)
                    .digits(Long.toString(row.amount()), 10)
                    .text("0", 1);
            if (edi) {
                record.text(text(where + "EDI情報 (ediInfo)", row.ediInfo(), 20, Overflow.REFUSE, "; shorten it"), 20);
            } else {
                record.digitsOrSpaces(row.customerCode1(), 10).digitsOrSpaces(row.customerCode2(), 10);
            }
            put(out, options, record
                    .spaces(1)
                    .text(edi ? "Y" : " ", 1)
                    .spaces(7)
                    .bytes());
            total = Math.addExact(total, row.amount());
        }
        if (total > MAX_TOTAL) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the %,d rows total %,d yen, more than the trailer's 12 digits hold (%,d)", rows.size(), total,
                    MAX_TOTAL));
        }

        put(out, options, new RecordBuilder("trailer")
                .text("8", 1)
                .digits(Integer.toString(rows.size()), 6)
                .digits(Long.toString(total), 12)
                .spaces(101)
                .bytes());
        put(out, options, new RecordBuilder("end")
                .text("9", 1)
                .spaces(119)
                .bytes());
        return new Written(out.toByteArray(), rows.size(), total);
    }

    /**
     * Reads a 総合振込 file strictly: every record 120 bytes of single-byte characters, followed by CRLF
     * throughout or by nothing throughout (the last record may lack its CRLF); one header, at least one data
     * record, a trailer whose count and total equal the data records', and the end record, in that order and
     * nothing after. Use it to check a file before uploading it.
     *
     * @param file the file's bytes; not null
     * @param year the year of the 取組日, which the file gives only as MMDD; not null
     * @return the header, rows and total; names are bank text, account numbers and customer codes as in the file
     * @throws ZenginFormatException for the first problem, naming the record, field, byte offset and value
     */
    public static Parsed parse(byte[] file, Year year) {
        requireNonNull(file, "file");
        requireNonNull(year, "year");
        LineEnding lineEnding = file.length >= RECORD_LENGTH + 2 && file[RECORD_LENGTH] == CR
                && file[RECORD_LENGTH + 1] == LF ? LineEnding.CRLF : LineEnding.NONE;
        List<byte[]> records = split(file, lineEnding);

        Header header = null;
        List<Row> rows = new ArrayList<>();
        long total = 0;
        boolean trailerSeen = false;
        boolean endSeen = false;
        for (int n = 1; n <= records.size(); n++) {
            RecordReader r = new RecordReader(records.get(n - 1), n);
            char kind = r.kind();
            if (endSeen) {
                throw new ZenginFormatException(n, "nothing may follow the end record (9), found '" + kind + "'");
            }
            if (header == null) {
                if (kind != '1') {
                    throw new ZenginFormatException(n, "the file must start with a header record (1), found '"
                            + kind + "'");
                }
                header = readHeader(r, year);
            } else if (kind == '2' && !trailerSeen) {
                Row row = readRow(r);
                rows.add(row);
                total = Math.addExact(total, row.amount());
            } else if (kind == '8' && !trailerSeen && !rows.isEmpty()) {
                readTrailer(r, rows.size(), total);
                trailerSeen = true;
            } else if (kind == '9' && trailerSeen) {
                r.spaces(119);
                endSeen = true;
            } else {
                String expected = trailerSeen ? "the end record (9)"
                        : rows.isEmpty() ? "a data record (2)" : "a data record (2) or the trailer (8)";
                throw new ZenginFormatException(n, "expected " + expected + ", found '" + kind + "'");
            }
        }
        if (!endSeen) {
            String missing = header == null ? "a header record (1)" : rows.isEmpty() ? "data records (2)"
                    : !trailerSeen ? "the trailer (8)" : "the end record (9)";
            throw new ZenginFormatException(0, "the file ends without " + missing);
        }
        return new Parsed(header, rows, total, lineEnding);
    }

    private static Header readHeader(RecordReader r, Year year) {
        r.literal("種別コード", "21");
        r.literal("コード区分", "0");
        String requesterCode = r.digits("依頼人コード", 10);
        String requesterName = r.bankText("依頼人名", 40);
        int dateOffset = r.offset();
        String mmdd = r.digits("取組日", 4);
        LocalDate date;
        try {
            date = LocalDate.of(year.getValue(), Integer.parseInt(mmdd.substring(0, 2)),
                    Integer.parseInt(mmdd.substring(2)));
        } catch (DateTimeException e) {
            throw new ZenginFormatException(r.number(), "取組日 at byte " + dateOffset + " is not a date in "
                    + year + ": \"" + mmdd + "\"");
        }
        String bankCode = r.digits("仕向銀行番号", 4);
        String bankName = r.bankText("仕向銀行名", 15);
        String branchCode = r.digits("仕向支店番号", 3);
        String branchName = r.bankText("仕向支店名", 15);
        AccountType type = r.accountType("預金種目", "129");
        String account = r.digits("口座番号", 7);
        r.spaces(17);
        if (requesterName.isEmpty()) {
            throw new ZenginFormatException(r.number(), "依頼人名 at byte 14 is blank");
        }
        return new Header(requesterCode, requesterName, date, bankCode, bankName, branchCode, branchName, type,
                account);
    }

    private static Row readRow(RecordReader r) {
        String bankCode = r.digits("被仕向銀行番号", 4);
        String bankName = r.bankText("被仕向銀行名", 15);
        String branchCode = r.digits("被仕向支店番号", 3);
        String branchName = r.bankText("被仕向支店名", 15);
        r.digitsOrSpaces("手形交換所番号", 4);
        AccountType type = r.accountType("預金種目", "1249");
        String account = r.digits("口座番号", 7);
        String payee = r.bankText("受取人名", 30);
        int amountOffset = r.offset();
        long amount = Long.parseLong(r.digits("振込金額", 10));
        r.oneOf("新規コード", "012");
        int codesOffset = r.offset();
        r.skip(20);
        r.oneOf("振込指定区分", " 78");
        boolean edi = r.oneOf("識別表示", " Y") == 'Y';
        r.spaces(7);
        if (payee.isEmpty()) {
            throw new ZenginFormatException(r.number(), "受取人名 at byte 50 is blank");
        }
        if (amount < 1) {
            throw new ZenginFormatException(r.number(), "振込金額 at byte " + amountOffset + " is zero");
        }
        RecordReader codes = r.at(codesOffset);
        String ediInfo = null;
        String code1 = null;
        String code2 = null;
        if (edi) {
            ediInfo = codes.bankText("EDI情報", 20);
        } else {
            code1 = codes.digitsOrSpaces("顧客コード1", 10);
            code2 = codes.digitsOrSpaces("顧客コード2", 10);
        }
        return new Row(bankCode, bankName, branchCode, branchName, type, account, payee, amount, code1, code2,
                ediInfo);
    }

    private static void readTrailer(RecordReader r, int rowCount, long total) {
        long count = Long.parseLong(r.digits("合計件数", 6));
        long sum = Long.parseLong(r.digits("合計金額", 12));
        r.spaces(101);
        if (count != rowCount || sum != total) {
            throw new ZenginFormatException(r.number(), String.format(Locale.ROOT,
                    "the trailer says %,d rows totalling %,d yen, the data records hold %,d rows totalling %,d yen",
                    count, sum, rowCount, total));
        }
    }

    private static List<byte[]> split(byte[] file, LineEnding lineEnding) {
        int stride = lineEnding == LineEnding.CRLF ? RECORD_LENGTH + 2 : RECORD_LENGTH;
        if (file.length == 0) {
            throw new ZenginFormatException(0, "the file is empty");
        }
        if (lineEnding == LineEnding.NONE && file.length % RECORD_LENGTH != 0) {
            throw new ZenginFormatException(0, "the file is " + file.length
                    + " bytes, not a whole number of 120-byte records (nor 120-byte records each followed by CRLF)");
        }
        List<byte[]> records = new ArrayList<>();
        for (int at = 0; at < file.length; at += stride) {
            int n = records.size() + 1;
            if (file.length - at < RECORD_LENGTH) {
                throw new ZenginFormatException(n, "only " + (file.length - at)
                        + " bytes are left at offset " + at + "; every record is 120 bytes");
            }
            if (lineEnding == LineEnding.CRLF && at + RECORD_LENGTH < file.length
                    && (at + RECORD_LENGTH + 1 >= file.length || file[at + RECORD_LENGTH] != CR
                    || file[at + RECORD_LENGTH + 1] != LF)) {
                throw new ZenginFormatException(n, "not followed by CRLF at offset " + (at + RECORD_LENGTH)
                        + "; every record is 120 bytes");
            }
            records.add(Arrays.copyOfRange(file, at, at + RECORD_LENGTH));
        }
        return records;
    }

    private static void put(ByteArrayOutputStream out, Options options, byte[] record) {
        out.writeBytes(record);
        if (options.lineEnding() == LineEnding.CRLF) {
            out.write(CR);
            out.write(LF);
        }
    }

    private static String name(String field, String value, int length, Overflow overflow) {
        String bank;
        try {
            bank = BankKana.toBankName(value);
        } catch (UnwritableCharacterException e) {
            throw e.in(field + ": ");
        }
        if (bank.isEmpty()) {
            throw new IllegalArgumentException(field + " is blank");
        }
        return fitted(field, bank, length, overflow, NAME_HINT);
    }

    private static String text(String field, String value, int length, Overflow overflow, String hint) {
        String bank;
        try {
            bank = BankKana.toBankText(value);
        } catch (UnwritableCharacterException e) {
            throw e.in(field + ": ");
        }
        return fitted(field, bank, length, overflow, hint);
    }

    private static String fitted(String field, String bank, int length, Overflow overflow, String hint) {
        if (bank.isEmpty()) {
            return bank;
        }
        try {
            return BankKana.fit(bank, length, overflow);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage() + hint, e);
        }
    }

    private static void requireDigits(String field, String value, int min, int max) {
        requireNonNull(value, field);
        if (value.length() < min || value.length() > max || !allDigits(value)) {
            String count = min == max ? min + " digits" : min + " to " + max + " digits";
            throw new IllegalArgumentException(field + " must be " + count + ": \"" + value + "\"");
        }
    }

    private static String padDigits(String field, String value, int width) {
        requireDigits(field, value, 1, width);
        return "0".repeat(width - value.length()) + value;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Appends fields left to right and checks that the record comes to exactly 120 bytes. */
    private static final class RecordBuilder {
        private final String kind;
        private final StringBuilder sb = new StringBuilder(RECORD_LENGTH);

        RecordBuilder(String kind) {
            this.kind = kind;
        }

        /** Bank text, left-aligned and space-padded; callers have fitted it already. */
        RecordBuilder text(String value, int width) {
            if (value.length() > width) {
                throw new IllegalStateException(kind + " record: \"" + value + "\" is wider than its " + width
                        + "-byte field");
            }
            sb.append(value).append(" ".repeat(width - value.length()));
            return this;
        }

        /** Digits, right-aligned and zero-padded. */
        RecordBuilder digits(String value, int width) {
            if (value.length() > width || !allDigits(value)) {
                throw new IllegalStateException(kind + " record: \"" + value + "\" does not fit a " + width
                        + "-digit field");
            }
            sb.append("0".repeat(width - value.length())).append(value);
            return this;
        }

        RecordBuilder digitsOrSpaces(String value, int width) {
            return value == null ? spaces(width) : digits(value, width);
        }

        RecordBuilder spaces(int width) {
            sb.append(" ".repeat(width));
            return this;
        }

        byte[] bytes() {
            byte[] bytes = sb.toString().getBytes(CHARSET);
            // Every character is meant to be one byte; a two-byte one would shift every field after it.
            if (bytes.length != RECORD_LENGTH || sb.length() != RECORD_LENGTH) {
                throw new IllegalStateException(kind + " record is " + bytes.length + " bytes, not 120: \"" + sb
                        + "\"");
            }
            return bytes;
        }
    }

    /** Reads fields left to right from one 120-byte record, naming the record, field and offset on a problem. */
    private static final class RecordReader {
        private final String record;
        private final int number;
        private int at;

        RecordReader(byte[] bytes, int number) {
            this.number = number;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xFF;
                // ASCII printable or JIS X 0201 katakana: anything else is a two-byte character, a control
                // character or a different encoding, and would shift the fields after it.
                if (!(b >= 0x20 && b <= 0x7E || b >= 0xA1 && b <= 0xDF)) {
                    throw new ZenginFormatException(number, String.format(Locale.ROOT,
                            "byte %d is 0x%02X, not a single-byte character (ASCII or half-width katakana)", i, b));
                }
            }
            this.record = new String(bytes, CHARSET);
        }

        private RecordReader(String record, int number, int at) {
            this.record = record;
            this.number = number;
            this.at = at;
        }

        int number() {
            return number;
        }

        int offset() {
            return at;
        }

        RecordReader at(int offset) {
            return new RecordReader(record, number, offset);
        }

        char kind() {
            at = 1;
            return record.charAt(0);
        }

        private String take(int width) {
            String s = record.substring(at, at + width);
            at += width;
            return s;
        }

        void skip(int width) {
            at += width;
        }

        void literal(String field, String expected) {
            int offset = at;
            String s = take(expected.length());
            if (!s.equals(expected)) {
                throw new ZenginFormatException(number, field + " at byte " + offset + " must be \"" + expected
                        + "\": \"" + s + "\"");
            }
        }

        String digits(String field, int width) {
            int offset = at;
            String s = take(width);
            if (!allDigits(s)) {
                throw new ZenginFormatException(number, field + " at byte " + offset + " is not " + width
                        + " digits: \"" + s + "\"");
            }
            return s;
        }

        String digitsOrSpaces(String field, int width) {
            int offset = at;
            String s = take(width);
            if (s.isBlank()) {
                return null;
            }
            if (!allDigits(s)) {
                throw new ZenginFormatException(number, field + " at byte " + offset + " is neither " + width
                        + " digits nor spaces: \"" + s + "\"");
            }
            return s;
        }

        String bankText(String field, int width) {
            int offset = at;
            String s = take(width).stripTrailing();
            if (!BankKana.isBankText(s)) {
                throw new ZenginFormatException(number, field + " at byte " + offset
                        + " holds characters a bank file does not allow: \"" + s + "\"");
            }
            return s;
        }

        char oneOf(String field, String allowed) {
            int offset = at;
            char c = take(1).charAt(0);
            if (allowed.indexOf(c) < 0) {
                throw new ZenginFormatException(number, field + " at byte " + offset + " must be one of \""
                        + allowed + "\": \"" + c + "\"");
            }
            return c;
        }

        AccountType accountType(String field, String allowed) {
            return AccountType.ofCode(oneOf(field, allowed));
        }

        void spaces(int width) {
            int offset = at;
            String s = take(width);
            if (!s.isBlank()) {
                throw new ZenginFormatException(number, "the " + width + " bytes from byte " + offset
                        + " must be spaces: \"" + s + "\"");
            }
        }
    }
}
