package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import jp.yui.server.settlement.BankKana.Overflow;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** BankKana over names people could type: the output is always writable, stable, and cut only between letters. */
class BankKanaPropertiesTest {

    private static final Charset SJIS = Charset.forName("windows-31j");

    /** Kana of every kind BankKana accepts, Latin letters, digits, full-width forms, spaces and dashes. */
    private static final char[] TYPED = typedCharacters();

    private static char[] typedCharacters() {
        StringBuilder pool = new StringBuilder();
        for (char c = 'ぁ'; c <= 'ゖ'; c++) {
            if ("ゐゑを".indexOf(c) < 0) {
                pool.append(c);
            }
        }
        for (char c = 'ァ'; c <= 'ヶ'; c++) {
            if ("ヰヱヲ".indexOf(c) < 0) {
                pool.append(c);
            }
        }
        for (char c = 'ｧ'; c <= 'ﾝ'; c++) {
            pool.append(c);
        }
        pool.append("ABCXYZabcxyz0189ＡＺａｚ０９ 　ー-().,/");
        return pool.toString().toCharArray();
    }

    /** Names of 1 to 45 typed characters that are not all spaces. */
    static Arbitrary<String> typedNames() {
        return Arbitraries.strings().withChars(TYPED).ofMinLength(1).ofMaxLength(45)
                .filter(s -> !BankKana.toBankName(s).isEmpty());
    }

    @Provide
    Arbitrary<String> names() {
        return typedNames();
    }

    @Property
    void bankNamesAreOneByteBankTextAndStable(@ForAll("names") String name) {
        String bank = BankKana.toBankName(name);

        assertThat(BankKana.isBankText(bank)).isTrue();
        assertThat(bank.getBytes(SJIS)).hasSize(bank.length());
        assertThat(BankKana.toBankName(bank)).isEqualTo(bank);
    }

    @Property
    void truncationNeverSeparatesALetterFromItsMark(@ForAll("names") String name,
            @ForAll @IntRange(min = 1, max = 40) int max) {
        String bank = BankKana.toBankName(name);

        String cut = BankKana.fit(bank, max, Overflow.TRUNCATE);

        assertThat(cut.length()).isLessThanOrEqualTo(max);
        assertThat(bank).startsWith(cut);
        if (cut.length() < bank.length()) {
            assertThat(BankKana.isMark(bank.charAt(cut.length()))).isFalse();
        }
    }
}
