package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import jp.yui.server.settlement.BankStatementCsv.Column;
import jp.yui.server.settlement.BankStatementCsv.LineError;
import jp.yui.server.settlement.BankStatementCsv.Mapping;
import jp.yui.server.settlement.BankStatementCsv.Options;
import jp.yui.server.settlement.BankStatementCsv.Result;
import jp.yui.server.settlement.BankStatementCsv.StatementLine;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BankStatementCsvTest {

    private static final Charset SJIS = Charset.forName("windows-31j");

    private static final Mapping SIGNED = Mapping.signed(Column.named("日付"), "uuuu/M/d", Column.named("金額"),
            Column.named("摘要"));

    private static byte[] utf8WithBom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xEF);
        out.write(0xBB);
        out.write(0xBF);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static LocalDate day(int month, int day) {
        return LocalDate.of(2026, month, day);
    }

    @Nested
    class Encodings {

        @Test
        void utf8WithByteOrderMark() {
            byte[] file = utf8WithBom("日付,摘要,金額,残高\r\n"
                    + "2026/04/01,振込 ユイカフェ,\"1,200\",\"10,000\"\r\n"
                    + "2026/4/2,ATM,-500,\"9,500\"\r\n");

            Result result = BankStatementCsv.parse(file, SIGNED.withBalance(Column.named("残高")));

            assertThat(result.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(result.errors()).isEmpty();
            assertThat(result.lines()).containsExactly(
                    new StatementLine(2, day(4, 1), 1_200, "振込 ユイカフェ", null, 10_000L),
                    new StatementLine(3, day(4, 2), -500, "ATM", null, 9_500L));
        }

        @Test
        void utf8WithoutByteOrderMark() {
            byte[] file = "日付,摘要,金額\n2026/04/01,ﾌﾘｺﾐ,1000\n".getBytes(StandardCharsets.UTF_8);

            Result result = BankStatementCsv.parse(file, SIGNED);

            assertThat(result.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(result.lines()).extracting(StatementLine::description).containsExactly("フリコミ");
        }

        @Test
        void shiftJisWithDepositAndWithdrawalColumns() {
            // As a Japanese bank's Windows export writes it: Shift_JIS, half-width kana, yen signs, 円.
            String csv = "取引日,お取引内容,お預り金額,お引出金額,差引残高,照会番号\r\n"
                    + "2026/04/01,ﾌﾘｺﾐ ﾕｲｶﾌｪ,\"¥1,200\",,\"10,000円\",A-001\r\n"
                    + "2026/04/02,ｿｳｺﾞｳﾌﾘｺﾐ,,\"１，０００\",\"9,000円\",\r\n"
                    + "2026/04/03,ﾃｽｳﾘｮｳ,0,110,\"8,890円\",A-003\r\n";
            byte[] file = csv.getBytes(SJIS);
            Mapping mapping = Mapping.depositWithdrawal(Column.named("取引日"), "uuuu/MM/dd",
                            Column.named("お預り金額"), Column.named("お引出金額"), Column.named("お取引内容"))
                    .withBalance(Column.named("差引残高"))
                    .withReference(Column.named("照会番号"));

            Result result = BankStatementCsv.parse(file, mapping);

            assertThat(result.charset()).isEqualTo(SJIS);
            assertThat(result.errors()).isEmpty();
            assertThat(result.lines()).containsExactly(
                    new StatementLine(2, day(4, 1), 1_200, "フリコミ ユイカフェ", "A-001", 10_000L),
                    new StatementLine(3, day(4, 2), -1_000, "ソウゴウフリコミ", null, 9_000L),
                    new StatementLine(4, day(4, 3), -110, "テスウリョウ", "A-003", 8_890L));
        }

        @Test
        void givenCharsetIsUsedAndCheckedStrictly() {
            byte[] sjis = "日付,摘要,金額\r\n2026/04/01,ユイ,1\r\n".getBytes(SJIS);

            assertThat(BankStatementCsv.parse(sjis, SIGNED, Options.defaults().withCharset(SJIS)).lines())
                    .hasSize(1);
            assertThatThrownBy(() -> BankStatementCsv.parse(sjis, SIGNED,
                    Options.defaults().withCharset(StandardCharsets.UTF_8)))
                    .hasMessage("the statement is not UTF-8 text; give its encoding in Options");
        }

        @Test
        void bytesThatAreNeitherEncoding() {
            byte[] file = {'a', ',', (byte) 0x81, (byte) 0x7F, '\n'};   // 0x81 0x7F is not a Shift_JIS character
            assertThatThrownBy(() -> BankStatementCsv.parse(file,
                    Mapping.signed(Column.at(0), "uuuu/M/d", Column.at(1), Column.at(2)).withHeaderRows(0)))
                    .hasMessage("the statement is not windows-31j text (nor UTF-8); give its encoding in Options");
        }
    }

    @Nested
    class Quoting {

        @Test
        void commasNewlinesAndDoubledQuotesInsideQuotes() {
            String csv = "日付,摘要,金額\n"
                    + "2026/04/01,\"振込, ユイ \"\"カフェ\"\"\",1000\n"
                    + "2026/04/02,\"二行の\r\n摘要\",2000\n"
                    + "2026/04/03,残り,x\n";

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), SIGNED);

            assertThat(result.lines()).containsExactly(
                    new StatementLine(2, day(4, 1), 1_000, "振込, ユイ \"カフェ\"", null, null),
                    new StatementLine(3, day(4, 2), 2_000, "二行の\r\n摘要", null, null));
            // The quoted line break moved the next record to line 5.
            assertThat(result.errors()).containsExactly(new LineError(5, "amount \"x\" is not a yen amount"));
        }

        @Test
        void textAfterAClosingQuoteSpoilsOnlyItsLine() {
            String csv = "日付,摘要,金額\n2026/04/01,\"ユイ\"カフェ,1000\n2026/04/02,ミヤキ,2000\n";

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), SIGNED);

            assertThat(result.errors()).containsExactly(
                    new LineError(2, "text after the closing quote of field 1: \"カフェ\""));
            assertThat(result.lines()).extracting(StatementLine::lineNumber).containsExactly(3);
        }

        @Test
        void quoteLeftOpen() {
            String csv = "日付,摘要,金額\n2026/04/01,ミヤキ,2000\n2026/04/02,\"ユイ,1000\n2026/04/03,x,1\n";

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), SIGNED);

            assertThat(result.lines()).hasSize(1);
            assertThat(result.errors()).containsExactly(
                    new LineError(3, "a quoted field is still open at the end of the file"));
        }

        @Test
        void blankLinesAreSkippedButCounted() {
            String csv = "日付,摘要,金額\r\n\r\n,,\r\n2026/04/01,ユイ,1\r\n\r\n";

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), SIGNED);

            assertThat(result.errors()).isEmpty();
            assertThat(result.lines()).extracting(StatementLine::lineNumber).containsExactly(4);
        }

        @Test
        void carriageReturnAloneEndsALine() {
            String csv = "日付,摘要,金額\r2026/04/01,ユイ,1\r2026/04/02,ユイ,2\r";

            assertThat(BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), SIGNED).lines())
                    .extracting(StatementLine::lineNumber).containsExactly(2, 3);
        }
    }

    @Nested
    class BadLines {

        @Test
        void eachBadLineIsReportedWithItsNumberAndTheRestIsRead() {
            String csv = "日付,摘要,金額\n"
                    + "2026/02/30,存在しない日,100\n"
                    + "2026/04/01,良い行,100\n"
                    + "04/02/2026,順序違い,100\n"
                    + "2026/04/03,金額なし,\n"
                    + "2026/04/04,ゼロ,0\n"
                    + "2026/04/05,桁区切り違い,\"1,23,4\"\n"
                    + "2026/04/06,端数,1000.50\n"
                    + "2026/04/07,列不足\n"
                    + ",両方だめ,abc\n"
                    + "2026/04/08,小数ゼロ,1000.00\n";

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), SIGNED);

            assertThat(result.lines()).containsExactly(
                    new StatementLine(3, day(4, 1), 100, "良い行", null, null),
                    new StatementLine(11, day(4, 8), 1_000, "小数ゼロ", null, null));
            assertThat(result.errors()).containsExactly(
                    new LineError(2, "date \"2026/02/30\" is not a date in the form uuuu/M/d"),
                    new LineError(4, "date \"04/02/2026\" is not a date in the form uuuu/M/d"),
                    new LineError(5, "amount is empty"),
                    new LineError(6, "amount is zero"),
                    new LineError(7, "amount \"1,23,4\" is not a yen amount"),
                    new LineError(8, "amount \"1000.50\" is not a whole number of yen"),
                    new LineError(9, "column \"金額\" is missing: the line has 2 columns"),
                    new LineError(10, "date is empty; amount \"abc\" is not a yen amount"));
        }

        @Test
        void depositAndWithdrawalMustNameOneSide() {
            String csv = "2026/04/01,両方,100,50\n"
                    + "2026/04/02,どちらもなし,,\n"
                    + "2026/04/03,ゼロ二つ,0,0\n"
                    + "2026/04/04,負の入金,-100,\n"
                    + "2026/04/05,出金,,\"2,000\"\n";
            Mapping byIndex = Mapping.depositWithdrawal(Column.at(0), "uuuu/MM/dd", Column.at(2), Column.at(3),
                    Column.at(1)).withHeaderRows(0);

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), byIndex);

            assertThat(result.lines()).containsExactly(new StatementLine(5, day(4, 5), -2_000, "出金", null, null));
            assertThat(result.errors()).containsExactly(
                    new LineError(1, "both deposit (100) and withdrawal (50) have an amount"),
                    new LineError(2, "neither deposit nor withdrawal has an amount"),
                    new LineError(3, "neither deposit nor withdrawal has an amount"),
                    new LineError(4, "deposit is negative: -100"));
        }

        @Test
        void aBadBalanceIsALineError() {
            String csv = "日付,摘要,金額,残高\n2026/04/01,ユイ,100,残高不明\n";

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8),
                    SIGNED.withBalance(Column.named("残高")));

            assertThat(result.errors()).containsExactly(new LineError(2, "balance \"残高不明\" is not a yen amount"));
        }
    }

    @Nested
    class Amounts {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', value = {
                "1234          | 1234",
                "'1,234'       | 1234",
                "'1,234,567'   | 1234567",
                "'¥1,234'      | 1234",
                "'￥1,234'      | 1234",
                "'\\1,234'     | 1234",
                "'1,234円'     | 1234",
                "'１，２３４円'  | 1234",
                "-500          | -500",
                "'－500'        | -500",
                "'▲1,000'      | -1000",
                "'△1,000'      | -1000",
                "'¥-300'       | -300",
                "+7            | 7",
                "1000.00       | 1000",
                "' 42 '        | 42",
        })
        void readsWhatBanksPrint(String text, long expected) {
            assertThat(BankStatementCsv.yen(text)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', value = {
                "'1,23,4'                | is not a yen amount",
                "'12,34'                 | is not a yen amount",
                "12a                     | is not a yen amount",
                "--5                     | is not a yen amount",
                "1000.5                  | is not a whole number of yen",
                "99999999999999999999    | is too large",
        })
        void refusesTheRest(String text, String reason) {
            assertThatThrownBy(() -> BankStatementCsv.yen(text)).hasMessage("\"" + text + "\" " + reason);
        }

        @Test
        void blankIsNoAmount() {
            assertThat(BankStatementCsv.yen(" 　")).isNull();
        }
    }

    @Nested
    class Mappings {

        @Test
        void unknownColumnNameStopsTheParse() {
            byte[] file = "日付,摘要,金額\n2026/04/01,ユイ,1\n".getBytes(StandardCharsets.UTF_8);
            Mapping mapping = Mapping.signed(Column.named("日付"), "uuuu/M/d", Column.named("入金額"),
                    Column.named("摘要"));

            assertThatThrownBy(() -> BankStatementCsv.parse(file, mapping))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("column \"入金額\" is not in the header row (line 1): 日付, 摘要, 金額");
        }

        @Test
        void namesAreLookedUpInTheLastHeaderRowAfterNormalising() {
            String csv = "口座番号,1234567\n照会期間,2026/04/01〜2026/04/30\n\"日付 \",摘要,ｷﾝｶﾞｸ\n2026/04/01,ユイ,5\n";
            Mapping mapping = Mapping.signed(Column.named("日付"), "uuuu/M/d", Column.named("キンガク"),
                    Column.named("摘要")).withHeaderRows(3);

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), mapping);

            assertThat(result.lines()).containsExactly(new StatementLine(4, day(4, 1), 5, "ユイ", null, null));
        }

        @Test
        void aNameTwiceInTheHeaderIsAmbiguous() {
            byte[] file = "日付,摘要,金額,金額\n".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> BankStatementCsv.parse(file, SIGNED)).hasMessage(
                    "column \"金額\" appears twice in the header row (line 1, columns 2 and 3); map it by index");
        }

        @Test
        void fewerLinesThanHeaderRows() {
            byte[] file = "日付,摘要,金額\n".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> BankStatementCsv.parse(file, SIGNED.withHeaderRows(2)))
                    .hasMessage("the statement has 1 lines, fewer than its 2 header rows");
        }

        @Test
        void amountFormsAreEitherOr() {
            assertThatThrownBy(() -> new Mapping(Column.at(0), "uuuu/M/d", null, null, null, Column.at(1), null,
                    null, 0)).hasMessage("map either an amount column or both a deposit and a withdrawal column");
            assertThatThrownBy(() -> new Mapping(Column.at(0), "uuuu/M/d", Column.at(2), Column.at(3), Column.at(4),
                    Column.at(1), null, null, 0))
                    .hasMessage("map either an amount column or both a deposit and a withdrawal column");
            assertThatThrownBy(() -> new Mapping(Column.at(0), "uuuu/M/d", null, Column.at(3), null, Column.at(1),
                    null, null, 0))
                    .hasMessage("map either an amount column or both a deposit and a withdrawal column");
        }

        @Test
        void namedColumnsNeedAHeaderRow() {
            assertThatThrownBy(() -> SIGNED.withHeaderRows(0))
                    .hasMessage("column \"日付\" is named, so the file needs headerRows >= 1");
        }

        @Test
        void badDatePattern() {
            assertThatThrownBy(() -> Mapping.signed(Column.at(0), "uuuu/{M}", Column.at(1), Column.at(2)))
                    .hasMessageStartingWith("dateFormat is not a date pattern: \"uuuu/{M}\"");
        }

        @Test
        void yyyyPatternsAreCheckedStrictlyToo() {
            String csv = "20260401,ユイ,1\n20260230,ミヤキ,2\n";
            Mapping mapping = Mapping.signed(Column.at(0), "yyyyMMdd", Column.at(2), Column.at(1)).withHeaderRows(0);

            Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), mapping);

            assertThat(result.lines()).extracting(StatementLine::date).containsExactly(day(4, 1));
            assertThat(result.errors()).containsExactly(
                    new LineError(2, "date \"20260230\" is not a date in the form yyyyMMdd"));
        }

        @Test
        void columnsAreAnIndexOrAName() {
            assertThatThrownBy(() -> Column.at(-1)).hasMessage("a column is an index >= 0 or a non-blank name: -1, null");
            assertThatThrownBy(() -> Column.named(" ")).hasMessage("a column is an index >= 0 or a non-blank name: -1,  ");
        }
    }

    @Nested
    class Limits {

        private final String fourLines = "日付,摘要,金額\n2026/04/01,a,1\n2026/04/02,b,2\n2026/04/03,c,3\n";

        @Test
        void refusesAFileOverTheLineLimit() {
            assertThatThrownBy(() -> BankStatementCsv.parse(fourLines.getBytes(StandardCharsets.UTF_8), SIGNED,
                    Options.defaults().withMaxLines(3)))
                    .hasMessage("the statement has more than 3 lines; split it or raise maxLines");
        }

        @Test
        void aFileAtTheLimitIsRead() {
            assertThat(BankStatementCsv.parse(fourLines.getBytes(StandardCharsets.UTF_8), SIGNED,
                    Options.defaults().withMaxLines(4)).lines()).hasSize(3);
        }

        @Test
        void defaultLimitIsOneHundredThousandLines() {
            assertThat(Options.defaults().maxLines()).isEqualTo(100_000);
            StringBuilder big = new StringBuilder("日付,摘要,金額\n");
            for (int i = 0; i < 100_000; i++) {
                big.append("2026/04/01,a,1\n");
            }
            assertThatThrownBy(() -> BankStatementCsv.parse(big.toString().getBytes(StandardCharsets.UTF_8), SIGNED))
                    .hasMessage("the statement has more than 100,000 lines; split it or raise maxLines");
        }
    }
}
