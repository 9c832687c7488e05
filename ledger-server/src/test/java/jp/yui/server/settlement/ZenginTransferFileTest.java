package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.Year;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import jp.yui.server.settlement.BankKana.Overflow;
import jp.yui.server.settlement.ZenginTransferFile.AccountType;
import jp.yui.server.settlement.ZenginTransferFile.Header;
import jp.yui.server.settlement.ZenginTransferFile.LineEnding;
import jp.yui.server.settlement.ZenginTransferFile.Options;
import jp.yui.server.settlement.ZenginTransferFile.Parsed;
import jp.yui.server.settlement.ZenginTransferFile.Row;
import jp.yui.server.settlement.ZenginTransferFile.Written;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ZenginTransferFileTest {

    private static final Charset SJIS = Charset.forName("windows-31j");
    private static final Year YEAR = Year.of(2026);

    private static final Header HEADER = new Header("0123456789", "みやきまち", LocalDate.of(2026, 3, 5), "0190",
            "サガギンコウ", "123", "ミヤキ", AccountType.ORDINARY, "12345");

    private static final Row SHOP = Row.of("0001", "001", AccountType.ORDINARY, "7654321",
            "カブシキガイシャ ユイショウテン", 123_456).withNames("ミズホ", "トウキョウ").withCustomerCodes("42", null);

    private static final Row CAFE = Row.of("0005", "250", AccountType.CURRENT, "98", "ゆいカフェ", 20_000);

    // Written out by hand from the 全銀協 layout, field by field, so that a wrong width or order fails here.
    private static final String EXPECTED_HEADER = "1" + "21" + "0" + "0123456789"
            + "ﾐﾔｷﾏﾁ                                   "    // 依頼人名, 40
            + "0305"                                       // 取組日 MMDD
            + "0190"
            + "ｻｶﾞｷﾞﾝｺｳ       "                            // 仕向銀行名, 15
            + "123"
            + "ﾐﾔｷ            "                            // 仕向支店名, 15
            + "1"
            + "0012345"
            + "                 ";                         // ダミー, 17

    private static final String EXPECTED_SHOP = "2" + "0001"
            + "ﾐｽﾞﾎ           "                            // 被仕向銀行名, 15
            + "001"
            + "ﾄｳｷﾖｳ          "                            // 被仕向支店名, 15
            + "0000"                                       // 手形交換所番号
            + "1"
            + "7654321"
            + "ｶ)ﾕｲｼﾖｳﾃﾝ                     "             // 受取人名, 30
            + "0000123456"                                 // 振込金額
            + "0"                                          // 新規コード
            + "0000000042"                                 // 顧客コード1
            + "          "                                 // 顧客コード2, absent
            + " "                                          // 振込指定区分
            + " "                                          // 識別表示
            + "       ";                                   // ダミー, 7

    private static final String EXPECTED_TRAILER = "8" + "000002" + "000000143456"
            + "                                                                                                     ";

    private static final String EXPECTED_END = "9"
            + "                                                                                                                       ";

    private static String record(byte[] file, int index, LineEnding ending) {
        int stride = ending == LineEnding.CRLF ? 122 : 120;
        return new String(Arrays.copyOfRange(file, index * stride, index * stride + 120), SJIS);
    }

    private static String field(byte[] file, int recordIndex, int offset, int length) {
        int at = recordIndex * 122 + offset;
        return new String(Arrays.copyOfRange(file, at, at + length), SJIS);
    }

    @Nested
    class Layout {

        @Test
        void handWrittenRecordsAreThemselves120Bytes() {
            for (String r : List.of(EXPECTED_HEADER, EXPECTED_SHOP, EXPECTED_TRAILER, EXPECTED_END)) {
                assertThat(r.getBytes(SJIS)).hasSize(120);
            }
        }

        @Test
        void recordsMatchTheHandWrittenLayout() {
            byte[] file = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE)).bytes();

            assertThat(record(file, 0, LineEnding.CRLF)).isEqualTo(EXPECTED_HEADER);
            assertThat(record(file, 1, LineEnding.CRLF)).isEqualTo(EXPECTED_SHOP);
            assertThat(record(file, 3, LineEnding.CRLF)).isEqualTo(EXPECTED_TRAILER);
            assertThat(record(file, 4, LineEnding.CRLF)).isEqualTo(EXPECTED_END);
        }

        @Test
        void headerFieldsSitAtTheirByteOffsets() {
            byte[] file = ZenginTransferFile.write(HEADER, List.of(SHOP)).bytes();

            assertThat(field(file, 0, 0, 1)).isEqualTo("1");
            assertThat(field(file, 0, 1, 2)).isEqualTo("21");
            assertThat(field(file, 0, 3, 1)).isEqualTo("0");
            assertThat(field(file, 0, 4, 10)).isEqualTo("0123456789");
            assertThat(field(file, 0, 14, 40)).isEqualTo("ﾐﾔｷﾏﾁ" + " ".repeat(35));
            assertThat(field(file, 0, 54, 4)).isEqualTo("0305");
            assertThat(field(file, 0, 58, 4)).isEqualTo("0190");
            assertThat(field(file, 0, 62, 15)).isEqualTo("ｻｶﾞｷﾞﾝｺｳ       ");
            assertThat(field(file, 0, 77, 3)).isEqualTo("123");
            assertThat(field(file, 0, 80, 15)).isEqualTo("ﾐﾔｷ            ");
            assertThat(field(file, 0, 95, 1)).isEqualTo("1");
            assertThat(field(file, 0, 96, 7)).isEqualTo("0012345");
            assertThat(field(file, 0, 103, 17)).isBlank().hasSize(17);
        }

        @Test
        void dataFieldsSitAtTheirByteOffsets() {
            byte[] file = ZenginTransferFile.write(HEADER, List.of(CAFE.withEdi("INV-2026-0042"))).bytes();

            assertThat(field(file, 1, 0, 1)).isEqualTo("2");
            assertThat(field(file, 1, 1, 4)).isEqualTo("0005");
            assertThat(field(file, 1, 5, 15)).isBlank();
            assertThat(field(file, 1, 20, 3)).isEqualTo("250");
            assertThat(field(file, 1, 23, 15)).isBlank();
            assertThat(field(file, 1, 38, 4)).isEqualTo("0000");
            assertThat(field(file, 1, 42, 1)).isEqualTo("2");
            assertThat(field(file, 1, 43, 7)).isEqualTo("0000098");
            assertThat(field(file, 1, 50, 30)).isEqualTo("ﾕｲｶﾌｴ                         ");
            assertThat(field(file, 1, 80, 10)).isEqualTo("0000020000");
            assertThat(field(file, 1, 90, 1)).isEqualTo("0");
            assertThat(field(file, 1, 91, 20)).isEqualTo("INV-2026-0042       ");
            assertThat(field(file, 1, 111, 1)).isEqualTo(" ");
            assertThat(field(file, 1, 112, 1)).isEqualTo("Y");
            assertThat(field(file, 1, 113, 7)).isEqualTo("       ");
        }

        @Test
        void halfWidthKanaAreOneByteEach() {
            byte[] file = ZenginTransferFile.write(HEADER, List.of(SHOP)).bytes();
            byte[] payee = Arrays.copyOfRange(file, 122 + 50, 122 + 59);

            // ｶ)ﾕｲｼﾖｳﾃﾝ in JIS X 0201: one byte per character, ')' in ASCII.
            assertThat(payee).containsExactly(0xB6, 0x29, 0xD5, 0xB2, 0xBC, 0xD6, 0xB3, 0xC3, 0xDD);
            // The bank name ﾐｽﾞﾎ carries its dakuten as the separate byte 0xDE.
            assertThat(Arrays.copyOfRange(file, 122 + 5, 122 + 9)).containsExactly(0xD0, 0xBD, 0xDE, 0xCE);
        }

        @Test
        void everyRecordIs120BytesFollowedByCrlf() {
            Written written = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE, SHOP));
            byte[] file = written.bytes();

            assertThat(file).hasSize(6 * 122);
            for (int i = 0; i < 6; i++) {
                assertThat(file[i * 122 + 120]).isEqualTo((byte) '\r');
                assertThat(file[i * 122 + 121]).isEqualTo((byte) '\n');
                byte[] record = Arrays.copyOfRange(file, i * 122, i * 122 + 120);
                for (byte b : record) {
                    assertThat(b).as("record %d holds no line break", i).isNotIn((byte) '\r', (byte) '\n');
                }
            }
        }

        @Test
        void recordsBackToBackWithoutLineEndings() {
            Written written = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE),
                    Options.defaults().withLineEnding(LineEnding.NONE));
            byte[] file = written.bytes();

            assertThat(file).hasSize(5 * 120);
            assertThat(record(file, 0, LineEnding.NONE)).isEqualTo(EXPECTED_HEADER);
            assertThat(record(file, 1, LineEnding.NONE)).isEqualTo(EXPECTED_SHOP);
            assertThat(record(file, 4, LineEnding.NONE)).isEqualTo(EXPECTED_END);
        }

        @Test
        void trailerCountAndTotalAreTheDataRows() {
            Written written = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE, CAFE));
            byte[] file = written.bytes();

            assertThat(written.rowCount()).isEqualTo(3);
            assertThat(written.total()).isEqualTo(123_456 + 20_000 + 20_000);
            assertThat(field(file, 4, 0, 1)).isEqualTo("8");
            assertThat(field(file, 4, 1, 6)).isEqualTo("000003");
            assertThat(field(file, 4, 7, 12)).isEqualTo("000000163456");
        }

        @Test
        void writtenBytesCannotBeChangedFromOutside() {
            Written written = ZenginTransferFile.write(HEADER, List.of(SHOP));
            written.bytes()[0] = 'X';
            assertThat(written.bytes()[0]).isEqualTo((byte) '1');
        }
    }

    @Nested
    class RoundTrip {

        private final Header bankHeader = new Header("0123456789", "ﾐﾔｷﾏﾁ", LocalDate.of(2026, 3, 5), "0190",
                "ｻｶﾞｷﾞﾝｺｳ", "123", "ﾐﾔｷ", AccountType.ORDINARY, "0012345");

        @Test
        void writeThenParseGivesTheRowsBackInBankText() {
            Row edi = CAFE.withEdi("inv 42");
            Written written = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE, edi));

            Parsed parsed = ZenginTransferFile.parse(written.bytes(), YEAR);

            assertThat(parsed.header()).isEqualTo(bankHeader);
            assertThat(parsed.rows()).containsExactly(
                    new Row("0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", AccountType.ORDINARY, "7654321", "ｶ)ﾕｲｼﾖｳﾃﾝ", 123_456,
                            "0000000042", null, null),
                    Row.of("0005", "250", AccountType.CURRENT, "0000098", "ﾕｲｶﾌｴ", 20_000),
                    Row.of("0005", "250", AccountType.CURRENT, "98", "ﾕｲｶﾌｴ", 20_000).withEdi("INV 42"));
            assertThat(parsed.rowCount()).isEqualTo(written.rowCount()).isEqualTo(3);
            assertThat(parsed.total()).isEqualTo(written.total()).isEqualTo(163_456);
            assertThat(parsed.lineEnding()).isEqualTo(LineEnding.CRLF);
        }

        @Test
        void writingWhatWasParsedGivesTheSameBytes() {
            for (LineEnding ending : LineEnding.values()) {
                byte[] file = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE),
                        Options.defaults().withLineEnding(ending)).bytes();
                Parsed parsed = ZenginTransferFile.parse(file, YEAR);

                assertThat(parsed.lineEnding()).isEqualTo(ending);
                assertThat(ZenginTransferFile.write(parsed.header(), parsed.rows(),
                        Options.defaults().withLineEnding(ending)).bytes()).isEqualTo(file);
            }
        }

        @Test
        void aLastRecordWithoutCrlfIsAccepted() {
            byte[] file = ZenginTransferFile.write(HEADER, List.of(SHOP)).bytes();
            byte[] trimmed = Arrays.copyOf(file, file.length - 2);

            assertThat(ZenginTransferFile.parse(trimmed, YEAR).rows()).hasSize(1);
        }
    }

    @Nested
    class Refusals {

        @Test
        void codesWithTheWrongNumberOfDigits() {
            assertThatThrownBy(() -> Row.of("123", "001", AccountType.ORDINARY, "1", "ﾕｲ", 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bankCode must be 4 digits: \"123\"");
            assertThatThrownBy(() -> Row.of("0001", "01", AccountType.ORDINARY, "1", "ﾕｲ", 1))
                    .hasMessage("branchCode must be 3 digits: \"01\"");
            assertThatThrownBy(() -> Row.of("0001", "001", AccountType.ORDINARY, "12345678", "ﾕｲ", 1))
                    .hasMessage("accountNumber must be 1 to 7 digits: \"12345678\"");
            assertThatThrownBy(() -> Row.of("0001", "001", AccountType.ORDINARY, "12-34", "ﾕｲ", 1))
                    .hasMessage("accountNumber must be 1 to 7 digits: \"12-34\"");
            assertThatThrownBy(() -> Row.of("0001", "001", AccountType.ORDINARY, "", "ﾕｲ", 1))
                    .hasMessage("accountNumber must be 1 to 7 digits: \"\"");
            assertThatThrownBy(() -> Row.of("０００１", "001", AccountType.ORDINARY, "1", "ﾕｲ", 1))
                    .hasMessage("bankCode must be 4 digits: \"０００１\"");
            assertThatThrownBy(() -> SHOP.withCustomerCodes("12345678901", null))
                    .hasMessage("customerCode1 must be 1 to 10 digits: \"12345678901\"");
            assertThatThrownBy(() -> new Header("123", "ﾕｲ", LocalDate.of(2026, 3, 5), "0190", "", "123", "",
                    AccountType.ORDINARY, "1")).hasMessage("requesterCode must be 10 digits: \"123\"");
        }

        @Test
        void shortAccountNumbersAreLeftPadded() {
            assertThat(Row.of("0001", "001", AccountType.ORDINARY, "98", "ﾕｲ", 1).accountNumber())
                    .isEqualTo("0000098");
        }

        @Test
        void amountsOutsideOneToTenDigits() {
            for (long bad : new long[] {0, -1, 10_000_000_000L}) {
                assertThatThrownBy(() -> Row.of("0001", "001", AccountType.ORDINARY, "1", "ﾕｲ", bad))
                        .hasMessage(String.format("amount must be 1 to 9,999,999,999 yen: %,d", bad));
            }
            assertThat(Row.of("0001", "001", AccountType.ORDINARY, "1", "ﾕｲ", 9_999_999_999L).amount())
                    .isEqualTo(9_999_999_999L);
        }

        @Test
        void customerCodesAndEdiShareTheirBytes() {
            assertThatThrownBy(() -> new Row("0001", "", "001", "", AccountType.ORDINARY, "1", "ﾕｲ", 1, "1", null,
                    "EDI")).hasMessage("a row carries customer codes or EDI information, not both");
        }

        @Test
        void requesterAccountCannotBeSavings() {
            assertThatThrownBy(() -> new Header("0123456789", "ﾕｲ", LocalDate.of(2026, 3, 5), "0190", "", "123",
                    "", AccountType.SAVINGS, "1"))
                    .hasMessage("requester accountType must be ORDINARY, CURRENT or OTHER (普通, 当座, その他): SAVINGS");
        }

        @Test
        void noRows() {
            assertThatThrownBy(() -> ZenginTransferFile.write(HEADER, List.of()))
                    .hasMessage("a transfer file needs at least one row");
        }

        @Test
        void totalBeyondTheTrailersTwelveDigits() {
            Row big = Row.of("0001", "001", AccountType.ORDINARY, "1", "ﾕｲ", 9_999_999_999L);
            List<Row> rows = Collections.nCopies(101, big);

            assertThatThrownBy(() -> ZenginTransferFile.write(HEADER, rows)).hasMessage(
                    "the 101 rows total 1,009,999,999,899 yen, more than the trailer's 12 digits hold "
                            + "(999,999,999,999)");
            assertThat(ZenginTransferFile.write(HEADER, rows.subList(0, 99)).total()).isEqualTo(989_999_999_901L);
        }

        @Test
        void unwritableNameIsNamedWithItsRowAndField() {
            Row shop = Row.of("0001", "001", AccountType.ORDINARY, "1", "みやき店", 100);

            assertThatThrownBy(() -> ZenginTransferFile.write(HEADER, List.of(CAFE, shop)))
                    .isInstanceOf(UnwritableCharacterException.class)
                    .hasMessage("row 2 受取人名 (payeeName): cannot be written in a bank file: '店' at 3 in "
                            + "\"みやき店\"; give the name in kana");
            Header kanji = new Header("0123456789", "みやき町", LocalDate.of(2026, 3, 5), "0190", "", "123", "",
                    AccountType.ORDINARY, "1");
            assertThatThrownBy(() -> ZenginTransferFile.write(kanji, List.of(CAFE)))
                    .hasMessage("header 依頼人名 (requesterName): cannot be written in a bank file: '町' at 3 in "
                            + "\"みやき町\"; give the name in kana");
        }

        @Test
        void blankPayee() {
            Row blank = Row.of("0001", "001", AccountType.ORDINARY, "1", " 　", 100);
            assertThatThrownBy(() -> ZenginTransferFile.write(HEADER, List.of(blank)))
                    .hasMessage("row 1 受取人名 (payeeName) is blank");
        }

        @Test
        void tooLongNameIsRefusedUnlessTruncationWasChosen() {
            String name = "ｱ".repeat(29) + "ｶﾞ";   // 31 bytes; byte 31 is the ﾞ of the ｶ at byte 30
            Row row = Row.of("0001", "001", AccountType.ORDINARY, "1", name, 100);

            assertThatThrownBy(() -> ZenginTransferFile.write(HEADER, List.of(row))).hasMessage(
                    "row 1 受取人名 (payeeName): \"" + name + "\" is 31 bytes, more than the 30 the field holds; "
                            + "shorten it or choose Overflow.TRUNCATE for names");

            byte[] file = ZenginTransferFile.write(HEADER, List.of(row),
                    Options.defaults().withNameOverflow(Overflow.TRUNCATE)).bytes();
            assertThat(field(file, 1, 50, 30)).isEqualTo("ｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱｱ ");
        }

        @Test
        void tooLongEdiIsRefusedEvenWhenNamesMayBeCut() {
            Row row = CAFE.withEdi("ABCDEFGHIJKLMNOPQRSTU");
            assertThatThrownBy(() -> ZenginTransferFile.write(HEADER, List.of(row),
                    Options.defaults().withNameOverflow(Overflow.TRUNCATE))).hasMessage(
                    "row 1 EDI情報 (ediInfo): \"ABCDEFGHIJKLMNOPQRSTU\" is 21 bytes, more than the 20 the field holds; "
                            + "shorten it");
        }
    }

    @Nested
    class StrictReading {

        private final byte[] good = ZenginTransferFile.write(HEADER, List.of(SHOP, CAFE)).bytes();

        private byte[] withRecords(int... order) {
            byte[] out = new byte[order.length * 122];
            for (int i = 0; i < order.length; i++) {
                System.arraycopy(good, order[i] * 122, out, i * 122, 122);
            }
            return out;
        }

        private ZenginFormatException refusal(byte[] file) {
            return (ZenginFormatException) catchThrowable(
                    () -> ZenginTransferFile.parse(file, YEAR));
        }

        @Test
        void aRecordOneByteShort() {
            byte[] file = new byte[good.length - 1];
            System.arraycopy(good, 0, file, 0, 130);
            System.arraycopy(good, 131, file, 130, good.length - 131); // byte 8 of record 2 is gone

            ZenginFormatException e = refusal(file);
            assertThat(e).hasMessage("record 2: not followed by CRLF at offset 242; every record is 120 bytes");
            assertThat(e.recordNumber()).isEqualTo(2);
        }

        @Test
        void withoutLineEndingsTheLengthMustBeWhole() {
            byte[] none = ZenginTransferFile.write(HEADER, List.of(SHOP),
                    Options.defaults().withLineEnding(LineEnding.NONE)).bytes();
            assertThat(refusal(Arrays.copyOf(none, none.length - 1))).hasMessage("the file is 479 bytes, not a whole "
                    + "number of 120-byte records (nor 120-byte records each followed by CRLF)");
        }

        @Test
        void recordsOutOfOrder() {
            assertThat(refusal(withRecords(1, 0, 2, 3, 4)))
                    .hasMessage("record 1: the file must start with a header record (1), found '2'");
            assertThat(refusal(withRecords(0, 3, 4)))
                    .hasMessage("record 2: expected a data record (2), found '8'");
            assertThat(refusal(withRecords(0, 1, 4)))
                    .hasMessage("record 3: expected a data record (2) or the trailer (8), found '9'");
            assertThat(refusal(withRecords(0, 1, 2, 3, 1)))
                    .hasMessage("record 5: expected the end record (9), found '2'");
            assertThat(refusal(withRecords(0, 1, 2, 3, 4, 4)))
                    .hasMessage("record 6: nothing may follow the end record (9), found '9'");
            assertThat(refusal(withRecords(0, 1, 2, 3)))
                    .hasMessage("the file ends without the end record (9)");
        }

        @Test
        void trailerThatDisagreesWithTheData() {
            byte[] oneRowLess = withRecords(0, 1, 3, 4);
            assertThat(refusal(oneRowLess)).hasMessage("record 3: the trailer says 2 rows totalling 143,456 yen, "
                    + "the data records hold 1 rows totalling 123,456 yen");

            byte[] changedAmount = good.clone();
            System.arraycopy("0000123457".getBytes(SJIS), 0, changedAmount, 122 + 80, 10);
            assertThat(refusal(changedAmount)).hasMessage("record 4: the trailer says 2 rows totalling 143,456 yen, "
                    + "the data records hold 2 rows totalling 143,457 yen");
        }

        @Test
        void aTwoByteCharacterInAName() {
            byte[] file = good.clone();
            byte[] a = "ア".getBytes(SJIS);
            System.arraycopy(a, 0, file, 122 + 50, 2);

            assertThat(refusal(file)).hasMessage(
                    "record 2: byte 50 is 0x83, not a single-byte character (ASCII or half-width katakana)");
        }

        @Test
        void fieldsWithTheWrongContent() {
            byte[] amount = good.clone();
            amount[122 + 85] = 'A';
            assertThat(refusal(amount)).hasMessage("record 2: 振込金額 at byte 80 is not 10 digits: \"00001A3456\"");

            byte[] type = good.clone();
            type[122 + 42] = '3';
            assertThat(refusal(type)).hasMessage("record 2: 預金種目 at byte 42 must be one of \"1249\": \"3\"");

            byte[] kind = good.clone();
            kind[1] = '1';
            assertThat(refusal(kind)).hasMessage("record 1: 種別コード at byte 1 must be \"21\": \"11\"");

            byte[] date = good.clone();
            System.arraycopy("0230".getBytes(SJIS), 0, date, 54, 4);
            assertThat(refusal(date)).hasMessage("record 1: 取組日 at byte 54 is not a date in 2026: \"0230\"");

            byte[] name = good.clone();
            name[122 + 51] = '&';
            assertThat(refusal(name)).hasMessage(
                    "record 2: 受取人名 at byte 50 holds characters a bank file does not allow: \"ｶ&ﾕｲｼﾖｳﾃﾝ\"");

            byte[] dummy = good.clone();
            dummy[4 * 122 + 60] = 'X';
            assertThat(refusal(dummy)).hasMessage("record 5: the 119 bytes from byte 1 must be spaces: \""
                    + " ".repeat(59) + "X" + " ".repeat(59) + "\"");
        }

        @Test
        void emptyFile() {
            assertThat(refusal(new byte[0])).hasMessage("the file is empty");
        }

        @Test
        void acceptsWhatOtherSoftwareWritesInUnusedFields() {
            List<byte[]> variants = new ArrayList<>();
            byte[] spaces = good.clone();
            System.arraycopy("    ".getBytes(SJIS), 0, spaces, 122 + 38, 4);   // 手形交換所番号 as spaces
            variants.add(spaces);
            byte[] telegraphic = good.clone();
            telegraphic[122 + 111] = '7';                                    // 振込指定区分 電信扱
            variants.add(telegraphic);
            for (byte[] v : variants) {
                assertThat(ZenginTransferFile.parse(v, YEAR).rows()).hasSize(2);
            }
        }
    }
}
