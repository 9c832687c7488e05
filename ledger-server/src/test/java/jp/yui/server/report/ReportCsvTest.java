package jp.yui.server.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV for Excel in Japanese: BOM, CRLF, RFC 4180 quoting, no formulas smuggled in through text. */
class ReportCsvTest {

    record Row(String name, long amount) {
    }

    private static final List<Csv.Column<Row>> COLUMNS = List.of(
            Csv.column("加盟店名", Row::name),
            Csv.column("金額", Row::amount));

    @Test
    void aTableStartsWithTheByteOrderMarkAndEndsEveryLineWithCrLf() {
        byte[] csv = Csv.table(COLUMNS, List.of(new Row("ゆいカフェ", 1200), new Row("みやき商店", -300)));
        assertThat(Arrays.copyOf(csv, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("加盟店名,金額\r\nゆいカフェ,1200\r\nみやき商店,-300\r\n");
    }

    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuoted() {
        assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.cell(null)).isEmpty();
        assertThat(Csv.cell(42L)).isEqualTo("42");
    }

    @Test
    void textThatExcelWouldRunAsAFormulaIsDefused() {
        assertThat(Csv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(Csv.cell("+81")).isEqualTo("'+81");
        assertThat(Csv.cell("-1")).isEqualTo("'-1");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.cell(-1L)).isEqualTo("-1");
    }

    @Test
    void rowsAloneHaveNoByteOrderMarkSoStreamedPagesJoinIntoOneFile() {
        byte[] head = Csv.head(COLUMNS);
        byte[] rows = Csv.rows(COLUMNS, List.of(new Row("x", 1)));
        assertThat(new String(rows, StandardCharsets.UTF_8)).isEqualTo("x,1\r\n");
        assertThat(new String(head, StandardCharsets.UTF_8)).isEqualTo("\uFEFF加盟店名,金額\r\n");
    }
}
