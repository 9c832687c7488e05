package jp.yui.server.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import jp.yui.server.settlement.BankKana.Overflow;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BankKanaTest {

    private static final Charset SJIS = Charset.forName("windows-31j");

    @Nested
    class ToBankText {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
                // hiragana and full-width katakana
                "やまだ たろう       | ﾔﾏﾀﾞ ﾀﾛｳ",
                "ミヤキチョウ         | ﾐﾔｷﾁﾖｳ",
                // dakuten and handakuten become a separate byte after the letter
                "ガギグゲゴザジズゼゾ   | ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞ",
                "だぢづでどばびぶべぼ   | ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ",
                "パピプペポ           | ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ",
                "ヴァイオリン         | ｳﾞｱｲｵﾘﾝ",
                "ゔ                 | ｳﾞ",
                // small kana are written large, as accounts are registered
                "キュウヨ イチロウ     | ｷﾕｳﾖ ｲﾁﾛｳ",
                "ニッポン            | ﾆﾂﾎﾟﾝ",
                "ぁぃぅぇぉゃゅょっゎ   | ｱｲｳｴｵﾔﾕﾖﾂﾜ",
                "ヵヶ               | ｶｹ",
                "ｷｬｯﾁｧ              | ｷﾔﾂﾁｱ",
                // long vowel and dashes
                "スーパー            | ｽ-ﾊﾟ-",
                "ｽｰﾊﾟｰ              | ｽ-ﾊﾟ-",
                "A－B‐C—D―E−F–G      | A-B-C-D-E-F-G",
                // full-width ASCII, case, spaces
                "ＡＢＣ１２３         | ABC123",
                "ｙｕｉ ｃａｆｅ       | YUI CAFE",
                "yui cafe No.3      | YUI CAFE NO.3",
                "'　ヤマダ　　 タロウ　' | ﾔﾏﾀﾞ ﾀﾛｳ",
                // symbols the banks accept
                "（ユイ）            | (ﾕｲ)",
                "「ユイ」            | ｢ﾕｲ｣",
                "ユイ／ミヤキ，サガ．  | ﾕｲ/ﾐﾔｷ,ｻｶﾞ.",
                "￥¥                | \\\\",
                // already bank text: unchanged
                "ｶ)ﾔﾏﾀﾞ(ｴｲ          | ｶ)ﾔﾏﾀﾞ(ｴｲ",
        })
        void converts(String input, String expected) {
            assertThat(BankKana.toBankText(input)).isEqualTo(expected);
        }

        @Test
        void decomposedVoicedMarksJoinTheirLetter() {
            // macOS hands file names and some pasted text over in NFD: か + U+3099, は + U+309A.
            assertThat(BankKana.toBankText("か\u3099は\u309a")).isEqualTo("ｶﾞﾊﾟ");
            assertThat(BankKana.toBankText("カ゛ハ゜")).isEqualTo("ｶﾞﾊﾟ");
        }

        @Test
        void blankBecomesEmpty() {
            assertThat(BankKana.toBankText(" 　 ")).isEmpty();
        }

        @Test
        void doesNotAbbreviate() {
            assertThat(BankKana.toBankText("カブシキガイシャ ユイ")).isEqualTo("ｶﾌﾞｼｷｶﾞｲｼﾔ ﾕｲ");
        }

        @Test
        void everyAllowedCharacterIsOneByteInShiftJis() {
            String all = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ"
                    + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ().-/,\\｢｣ｶﾞﾊﾟ";
            assertThat(BankKana.isBankText(all)).isTrue();
            assertThat(all.getBytes(SJIS)).hasSize(all.length());
            assertThat(new String(all.getBytes(SJIS), SJIS)).isEqualTo(all);
        }
    }

    @Nested
    class Refusals {

        @Test
        void kanjiIsNamedWithItsPosition() {
            assertThatThrownBy(() -> BankKana.toBankName("みやき店"))
                    .isInstanceOf(UnwritableCharacterException.class)
                    .hasMessage("cannot be written in a bank file: '店' at 3 in \"みやき店\"; give the name in kana")
                    .satisfies(e -> {
                        UnwritableCharacterException u = (UnwritableCharacterException) e;
                        assertThat(u.codePoint()).isEqualTo('店');
                        assertThat(u.index()).isEqualTo(3);
                        assertThat(u.input()).isEqualTo("みやき店");
                    });
        }

        @Test
        void kanjiInOtherTextAsksForKana() {
            assertThatThrownBy(() -> BankKana.toBankText("佐賀"))
                    .hasMessage("cannot be written in a bank file: '佐' at 0 in \"佐賀\"; give it in kana");
        }

        @Test
        void emojiIsCountedAsOneCharacter() {
            assertThatThrownBy(() -> BankKana.toBankName("ユイ😀カフェ"))
                    .hasMessage("cannot be written in a bank file: '😀' at 2 in \"ユイ😀カフェ\"; "
                            + "a bank file takes only kana, A-Z, 0-9, space and ( ) . - / , ｢ ｣ ¥");
        }

        @Test
        void middleDotIsRefusedNotGuessed() {
            assertThatThrownBy(() -> BankKana.toBankName("ジョン・スミス"))
                    .hasMessage("cannot be written in a bank file: '・' at 3 in \"ジョン・スミス\"; "
                            + "a bank file takes only kana, A-Z, 0-9, space and ( ) . - / , ｢ ｣ ¥");
        }

        @Test
        void woAndArchaicKanaAreRefused() {
            assertThatThrownBy(() -> BankKana.toBankName("ヲ")).hasMessageStartingWith(
                    "cannot be written in a bank file: 'ヲ' at 0");
            assertThatThrownBy(() -> BankKana.toBankName("ゑびす")).hasMessageStartingWith(
                    "cannot be written in a bank file: 'ゑ' at 0");
            assertThatThrownBy(() -> BankKana.toBankName("ｦ")).hasMessageStartingWith(
                    "cannot be written in a bank file: 'ｦ' at 0");
        }

        @Test
        void unsupportedAsciiSymbol() {
            assertThatThrownBy(() -> BankKana.toBankName("A&B"))
                    .hasMessageStartingWith("cannot be written in a bank file: '&' at 1 in \"A&B\";");
        }

        @Test
        void controlCharacterIsShownByItsCode() {
            assertThatThrownBy(() -> BankKana.toBankName("\tユイ"))
                    .hasMessageStartingWith("cannot be written in a bank file: 'U+0009' at 0 in \"\tユイ\";");
        }

        @Test
        void voicedMarkWithoutALetter() {
            assertThatThrownBy(() -> BankKana.toBankName("ﾞｱ"))
                    .hasMessage("cannot be written in a bank file: 'ﾞ' at 0 in \"ﾞｱ\"; "
                            + "a voiced sound mark must follow a kana letter");
            assertThatThrownBy(() -> BankKana.toBankName("A゛"))
                    .hasMessage("cannot be written in a bank file: '゛' at 1 in \"A゛\"; "
                            + "a voiced sound mark must follow a kana letter");
            assertThatThrownBy(() -> BankKana.toBankName("ガ\u3099"))
                    .hasMessageEndingWith("a voiced sound mark must follow a kana letter");
        }
    }

    @Nested
    class LegalEntityAbbreviations {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', value = {
                "カブシキガイシャ ヤマダショウテン             | ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ",
                "ヤマダショウテン カブシキガイシャ             | ﾔﾏﾀﾞｼﾖｳﾃﾝ(ｶ",
                "ヤマダ カブシキガイシャ トウキョウ エイギョウショ | ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ(ｴｲ",
                "ヤマダカブシキガイシャトウキョウシシャ         | ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳｼｼﾔ",
                "ゆうげんがいしゃ みやき                      | ﾕ)ﾐﾔｷ",
                "ミヤキ ゴウメイガイシャ                      | ﾐﾔｷ(ﾒ",
                "ゴウシガイシャ ユイ                         | ｼ)ﾕｲ",
                "ユイ ゴウドウガイシャ                       | ﾕｲ(ﾄﾞ",
                "イッパンシャダンホウジン ユイ                | ｼﾔ)ﾕｲ",
                "シャダンホウジン ユイ                       | ｼﾔ)ﾕｲ",
                "コウエキザイダンホウジン ミヤキ               | ｻﾞｲ)ﾐﾔｷ",
                "イリョウホウジンシャダン ユイカイ             | ｲ)ﾕｲｶｲ",
                "イリョウホウジン ユイカイ                    | ｲ)ﾕｲｶｲ",
                "シャカイフクシホウジン ミヤキ                | ﾌｸ)ﾐﾔｷ",
                "トクテイヒエイリカツドウホウジン ミヤキ        | ﾄｸﾋ)ﾐﾔｷ",
                "ガッコウホウジン ユイガクエン                 | ｶﾞｸ)ﾕｲｶﾞｸｴﾝ",
                "ミヤキ ノウジクミアイホウジン                 | ﾐﾔｷ(ﾉｳ",
                "ﾐﾔｷ ｶﾌﾞｼｷｶﾞｲｼﾔ ｻｶﾞ ｼﾕﾂﾁﾖｳｼﾖ                | ﾐﾔｷ(ｶ)ｻｶﾞ(ｼﾕﾂ",
                // the word alone names no one, so it stays spelt out
                "ゴウドウガイシャ                            | ｺﾞｳﾄﾞｳｶﾞｲｼﾔ",
                // already abbreviated: unchanged
                "カ)ヤマダ                                  | ｶ)ﾔﾏﾀﾞ",
        })
        void abbreviates(String input, String expected) {
            assertThat(BankKana.toBankName(input)).isEqualTo(expected);
        }

        @Test
        void convertingAgainChangesNothing() {
            for (String name : new String[] {"カブシキガイシャ ヤマダ", "ヤマダ(カ)トウキョウ エイギョウショ", "きゅうよ いちろう"}) {
                String once = BankKana.toBankName(name);
                assertThat(BankKana.toBankName(once)).isEqualTo(once);
            }
        }
    }

    @Nested
    class Fit {

        @Test
        void textThatFitsIsReturnedAsItIs() {
            assertThat(BankKana.fit("ﾔﾏﾀﾞ", 4, Overflow.REFUSE)).isEqualTo("ﾔﾏﾀﾞ");
        }

        @Test
        void refusesRatherThanCutting() {
            assertThatThrownBy(() -> BankKana.fit("ﾔﾏﾀﾞ ﾀﾛｳ", 5, Overflow.REFUSE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"ﾔﾏﾀﾞ ﾀﾛｳ\" is 8 bytes, more than the 5 the field holds");
        }

        @Test
        void truncationKeepsALetterWithItsMark() {
            // ｶﾞｶﾞｶﾞ is ｶ ﾞ ｶ ﾞ ｶ ﾞ: three bytes would end on a bare ｶ, so only ｶﾞ is kept.
            assertThat(BankKana.fit("ｶﾞｶﾞｶﾞ", 3, Overflow.TRUNCATE)).isEqualTo("ｶﾞ");
            assertThat(BankKana.fit("ｶﾞｶﾞｶﾞ", 4, Overflow.TRUNCATE)).isEqualTo("ｶﾞｶﾞ");
            assertThat(BankKana.fit("ﾊﾟﾋﾟ", 3, Overflow.TRUNCATE)).isEqualTo("ﾊﾟ");
        }

        @Test
        void truncationNeverSplitsAMarkAtAnyLength() {
            String name = BankKana.toBankName("ガッコウホウジン ゴバンガクエン ドウブツ パーク ヴィラ");
            for (int max = 1; max <= name.length(); max++) {
                String cut = BankKana.fit(name, max, Overflow.TRUNCATE);
                assertThat(cut.length()).isLessThanOrEqualTo(max);
                assertThat(name).startsWith(cut);
                if (cut.length() < name.length()) {
                    assertThat(BankKana.isMark(name.charAt(cut.length())))
                            .as("cut at %d leaves %s without its mark", max, cut).isFalse();
                }
            }
        }

        @Test
        void truncationDropsTrailingSpaceAndOpenParenthesis() {
            assertThat(BankKana.fit("ﾔﾏﾀﾞ ﾀﾛｳ", 5, Overflow.TRUNCATE)).isEqualTo("ﾔﾏﾀﾞ");
            assertThat(BankKana.fit("ﾔﾏﾀﾞ(ｶ", 5, Overflow.TRUNCATE)).isEqualTo("ﾔﾏﾀﾞ");
        }

        @Test
        void refusesTextThatIsNotBankText() {
            assertThatThrownBy(() -> BankKana.fit("やまだ", 10, Overflow.TRUNCATE))
                    .hasMessage("not bank text, convert it with toBankText or toBankName first: \"やまだ\"");
            assertThatThrownBy(() -> BankKana.fit("ﾔﾏﾀﾞ", 0, Overflow.TRUNCATE))
                    .hasMessage("maxLength must be >= 1: 0");
        }
    }

    @Test
    void isBankTextChecksCharactersAndMarks() {
        assertThat(BankKana.isBankText("")).isTrue();
        assertThat(BankKana.isBankText("ｶ)ﾔﾏﾀﾞ 1-2")).isTrue();
        assertThat(BankKana.isBankText("ﾔﾏﾀﾞ ﾀﾛｰ")).isFalse();   // ｰ must have become -
        assertThat(BankKana.isBankText("ｷｬ")).isFalse();        // small kana
        assertThat(BankKana.isBankText("yamada")).isFalse();
        assertThat(BankKana.isBankText("ﾞｶ")).isFalse();
        assertThat(BankKana.isBankText("ﾔﾏﾀﾞﾞ")).isFalse();
    }
}
