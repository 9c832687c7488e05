package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import jp.yui.server.settlement.BankStatementCsv.Column;
import jp.yui.server.settlement.BankStatementCsv.Mapping;
import jp.yui.server.settlement.BankStatementCsv.Result;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a quoted field holds (commas, quotes, line breaks), it reads back as written, normalised. */
class BankStatementCsvPropertiesTest {

    private static final Mapping MAPPING = Mapping.signed(Column.named("日付"), "uuuu/MM/dd", Column.named("金額"),
            Column.named("摘要")).withReference(Column.named("照会"));

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.strings().withChars("ユイカフェﾌﾘｺﾐ,\"\n\r ab12¥円-").ofMaxLength(30);
    }

    @Property
    void quotedFieldsReadBackAsWritten(@ForAll("fields") String description, @ForAll("fields") String reference,
            @ForAll long seed) {
        long amount = seed == 0 ? 1 : seed == Long.MIN_VALUE ? Long.MAX_VALUE : seed;
        String csv = "日付,摘要,金額,照会\r\n2026/04/01," + quoted(description) + ","
                + quoted(String.format(Locale.ROOT, "%,d円", amount)) + "," + quoted(reference) + "\r\n";

        Result result = BankStatementCsv.parse(csv.getBytes(StandardCharsets.UTF_8), MAPPING);

        assertThat(result.errors()).isEmpty();
        assertThat(result.lines()).singleElement().satisfies(line -> {
            assertThat(line.lineNumber()).isEqualTo(2);
            assertThat(line.amount()).isEqualTo(amount);
            assertThat(line.description()).isEqualTo(nfkc(description));
            assertThat(line.reference()).isEqualTo(nfkc(reference).isEmpty() ? null : nfkc(reference));
        });
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String nfkc(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).strip();
    }
}
