package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.Year;
import java.util.Arrays;
import java.util.List;
import jp.yui.server.settlement.BankKana.Overflow;
import jp.yui.server.settlement.ZenginTransferFile.AccountType;
import jp.yui.server.settlement.ZenginTransferFile.Header;
import jp.yui.server.settlement.ZenginTransferFile.LineEnding;
import jp.yui.server.settlement.ZenginTransferFile.Options;
import jp.yui.server.settlement.ZenginTransferFile.Parsed;
import jp.yui.server.settlement.ZenginTransferFile.Row;
import jp.yui.server.settlement.ZenginTransferFile.Written;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random valid payee rows always make a file of 120-byte records that reads back to the same rows and totals. */
class ZenginTransferFilePropertiesTest {

    private static final Charset SJIS = Charset.forName("windows-31j");
    private static final Header HEADER = new Header("0123456789", "ミヤキチョウ", LocalDate.of(2026, 3, 31), "0190",
            "サガギンコウ", "123", "ミヤキ", AccountType.ORDINARY, "12345");

    @Provide
    Arbitrary<List<Row>> rowLists() {
        Arbitrary<String> bank = Arbitraries.strings().numeric().ofLength(4);
        Arbitrary<String> branch = Arbitraries.strings().numeric().ofLength(3);
        Arbitrary<AccountType> type = Arbitraries.of(AccountType.class);
        Arbitrary<String> account = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(7);
        Arbitrary<Long> amount = Arbitraries.longs().between(1, ZenginTransferFile.MAX_AMOUNT);
        Arbitrary<String> code = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(10).injectNull(0.5);
        Arbitrary<Row> row = Combinators
                .combine(bank, branch, type, account, BankKanaPropertiesTest.typedNames(), amount, code)
                .as((b, br, t, a, name, yen, c) -> Row.of(b, br, t, a, name, yen).withCustomerCodes(c, null));
        return row.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void randomPayeeRowsGive120ByteRecordsAndTheirOwnTotals(@ForAll("rowLists") List<Row> rows,
            @ForAll LineEnding ending) {
        Options options = Options.defaults().withLineEnding(ending).withNameOverflow(Overflow.TRUNCATE);

        Written written = ZenginTransferFile.write(HEADER, rows, options);

        int stride = ending == LineEnding.CRLF ? 122 : 120;
        byte[] file = written.bytes();
        assertThat(file).hasSize((rows.size() + 3) * stride);
        for (int at = 0; at < file.length; at += stride) {
            byte[] record = Arrays.copyOfRange(file, at, at + 120);
            // One byte per character: the decoded record is 120 characters with no line break inside.
            assertThat(new String(record, SJIS)).hasSize(120).doesNotContain("\r", "\n");
            if (ending == LineEnding.CRLF) {
                assertThat(Arrays.copyOfRange(file, at + 120, at + 122)).containsExactly('\r', '\n');
            }
        }

        Parsed parsed = ZenginTransferFile.parse(file, Year.of(2026));
        long sum = rows.stream().mapToLong(Row::amount).sum();
        assertThat(written.rowCount()).isEqualTo(rows.size());
        assertThat(written.total()).isEqualTo(sum);
        assertThat(parsed.rowCount()).isEqualTo(rows.size());
        assertThat(parsed.total()).isEqualTo(sum);
        for (int i = 0; i < rows.size(); i++) {
            Row in = rows.get(i);
            Row out = parsed.rows().get(i);
            assertThat(out.amount()).isEqualTo(in.amount());
            assertThat(out.accountNumber()).isEqualTo(in.accountNumber());
            assertThat(out.customerCode1()).isEqualTo(in.customerCode1());
            assertThat(out.payeeName())
                    .isEqualTo(BankKana.fit(BankKana.toBankName(in.payeeName()), 30, Overflow.TRUNCATE));
        }
    }
}
