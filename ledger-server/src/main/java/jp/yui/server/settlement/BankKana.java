package jp.yui.server.settlement;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a name into the characters Japanese banks accept in a Zengin (全銀) file, or says which character
 * cannot be turned.
 *
 * <h2>The character set</h2>
 * The 全銀協 format carries JIS X 0201 single-byte characters. What a bank file may hold in a name field
 * ("bank text" below) is:
 * <ul>
 *   <li>half-width katakana {@code ｱ}–{@code ﾝ} (large forms only; {@code ｦ} is not accepted), with the voiced
 *       marks {@code ﾞ} and {@code ﾟ}, each written after its base letter as its own byte;</li>
 *   <li>upper-case {@code A}–{@code Z} and digits {@code 0}–{@code 9};</li>
 *   <li>space and the symbols {@code ( ) . - / , ｢ ｣ ¥} (the yen sign is byte 0x5C, which Java's
 *       {@code windows-31j} reads as {@code '\'}, so it appears here as a backslash).</li>
 * </ul>
 * This is the 全銀協 character set for 総合振込 text fields as it is commonly published (PCA's
 * "全銀協使用可能文字" page; the Keiyo, Joyo and MUFG banks' and jinjer's name-entry pages). Those pages also show that many banks accept fewer symbols in a name than
 * in other fields: PCA lists only {@code ( ) - .} and space for 受取人名 and 依頼人名 and says {@code ¥ ｢ ｣} belong
 * to EDI information (some software turns them into spaces in names); MUFG accepts {@code , - . ( ) /} and
 * space. Those per-bank rules are not enforced here; a town whose bank is stricter should keep to
 * {@code ( ) - .} and space in names.
 *
 * <h2>What is converted</h2>
 * <ul>
 *   <li>hiragana to katakana, full-width katakana to half-width: {@code ガ → ｶﾞ}, {@code パ → ﾊﾟ},
 *       {@code ヴ → ｳﾞ}; combining and spacing voiced marks (か followed by U+3099, {@code ゛}) to {@code ﾞ}/{@code ﾟ};</li>
 *   <li>small kana to their large forms ({@code ァィゥェォャュョッヮヵヶ} and half-width {@code ｧｨｩｪｫｬｭｮｯ}),
 *       because bank account names are registered in large kana ({@code キュウヨ → ｷﾕｳﾖ});</li>
 *   <li>{@code ー}, {@code ｰ} and the dashes {@code ‐ ‑ ‒ – — ― − －} to {@code -};</li>
 *   <li>full-width ASCII and the ideographic space to half-width; {@code 「」} to {@code ｢｣}; {@code ￥} to
 *       {@code ¥}; lower case to upper case;</li>
 *   <li>runs of spaces to one space; leading and trailing spaces are dropped.</li>
 * </ul>
 * {@code ヲ ヰ ヱ} (and their hiragana), {@code ・}, {@code 。}, {@code 、}, kanji, emoji and every other symbol are
 * refused with an {@link UnwritableCharacterException}, never replaced, because a guessed spelling makes the
 * receiving bank return the transfer as 名義相違.
 *
 * <h2>Legal-entity abbreviations</h2>
 * {@link #toBankName(String)} also writes a legal-entity word spelt out in kana as the banks' abbreviation, in
 * the position rule the banks publish (the Keiyo and Joyo banks' pages and a bank's 法人略語 別表):
 * at the start {@code ｶ)ﾔﾏﾀﾞ}, at the end {@code ﾔﾏﾀﾞ(ｶ}, in the middle {@code ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ}; spaces around
 * the abbreviation are dropped. A name that is nothing but the word is left spelt out.
 * <table>
 *   <caption>Words and abbreviations</caption>
 *   <tr><th>word</th><th>spelt</th><th>abbreviation</th></tr>
 *   <tr><td>株式会社</td><td>カブシキガイシャ</td><td>ｶ</td></tr>
 *   <tr><td>有限会社</td><td>ユウゲンガイシャ</td><td>ﾕ</td></tr>
 *   <tr><td>合名会社</td><td>ゴウメイガイシャ</td><td>ﾒ</td></tr>
 *   <tr><td>合資会社</td><td>ゴウシガイシャ</td><td>ｼ</td></tr>
 *   <tr><td>合同会社</td><td>ゴウドウガイシャ</td><td>ﾄﾞ</td></tr>
 *   <tr><td>相互会社</td><td>ソウゴガイシャ</td><td>ｿ</td></tr>
 *   <tr><td>医療法人, 医療法人社団, 医療法人財団, 社会医療法人</td><td>イリョウホウジン…</td><td>ｲ</td></tr>
 *   <tr><td>財団法人, 一般財団法人, 公益財団法人</td><td>ザイダンホウジン…</td><td>ｻﾞｲ</td></tr>
 *   <tr><td>社団法人, 一般社団法人, 公益社団法人</td><td>シャダンホウジン…</td><td>ｼﾔ</td></tr>
 *   <tr><td>宗教法人</td><td>シュウキョウホウジン</td><td>ｼﾕｳ</td></tr>
 *   <tr><td>学校法人</td><td>ガッコウホウジン</td><td>ｶﾞｸ</td></tr>
 *   <tr><td>社会福祉法人</td><td>シャカイフクシホウジン</td><td>ﾌｸ</td></tr>
 *   <tr><td>特定非営利活動法人</td><td>トクテイヒエイリカツドウホウジン</td><td>ﾄｸﾋ</td></tr>
 *   <tr><td>独立行政法人</td><td>ドクリツギョウセイホウジン</td><td>ﾄﾞｸ</td></tr>
 *   <tr><td>地方独立行政法人</td><td>チホウドクリツギョウセイホウジン</td><td>ﾁﾄﾞｸ</td></tr>
 *   <tr><td>国立大学法人, 公立大学法人</td><td>コクリツダイガクホウジン…</td><td>ﾀﾞｲ</td></tr>
 *   <tr><td>弁護士法人</td><td>ベンゴシホウジン</td><td>ﾍﾞﾝ</td></tr>
 *   <tr><td>税理士法人</td><td>ゼイリシホウジン</td><td>ｾﾞｲ</td></tr>
 *   <tr><td>司法書士法人</td><td>シホウショシホウジン</td><td>ｼﾎｳ</td></tr>
 *   <tr><td>行政書士法人</td><td>ギョウセイショシホウジン</td><td>ｷﾞﾖ</td></tr>
 *   <tr><td>農事組合法人</td><td>ノウジクミアイホウジン</td><td>ﾉｳ</td></tr>
 *   <tr><td>営業所</td><td>エイギョウショ</td><td>ｴｲ</td></tr>
 *   <tr><td>出張所</td><td>シュッチョウショ</td><td>ｼﾕﾂ</td></tr>
 * </table>
 *
 * <p>All methods are static, pure and thread-safe. Bank text is one byte per {@code char} in Shift_JIS, so its
 * {@link String#length()} is its length in the file.
 */
public final class BankKana {
    /** What {@link #fit} does with text longer than the field. */
    public enum Overflow {
        /** Refuse with an {@link IllegalArgumentException}: the default, because a cut name may not match the account. */
        REFUSE,
        /** Cut at the field's length, never between a letter and its voiced mark. */
        TRUNCATE
    }

    static final char DAKUTEN = 'ﾞ';
    static final char HANDAKUTEN = 'ﾟ';

    private static final String SYMBOLS = " ().-/,\\｢｣";
    private static final String ALLOWED_LIST = "kana, A-Z, 0-9, space and ( ) . - / , ｢ ｣ ¥";

    /** Full-width katakana (after hiragana has been shifted onto it) and half-width small kana, to bank text. */
    private static final Map<Integer, String> KANA = new HashMap<>();

    static {
        pairs("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン",
                "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ", "");
        pairs("ガギグゲゴザジズゼゾダヂヅデドバビブベボ", "ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ", String.valueOf(DAKUTEN));
        pairs("パピプペポ", "ﾊﾋﾌﾍﾎ", String.valueOf(HANDAKUTEN));
        pairs("ヴ", "ｳ", String.valueOf(DAKUTEN));
        pairs("ァィゥェォャュョッヮヵヶ", "ｱｲｳｴｵﾔﾕﾖﾂﾜｶｹ", "");
        pairs("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ", "");
    }

    private record Abbreviation(String spelt, String abbreviation) {
    }

    /** Longest spelling first, so that 一般社団法人 wins over 社団法人 and 医療法人社団 over 医療法人. */
    private static final List<Abbreviation> ABBREVIATIONS = abbreviations(
            "カブシキガイシャ", "カ",
            "ユウゲンガイシャ", "ユ",
            "ゴウメイガイシャ", "メ",
            "ゴウシガイシャ", "シ",
            "ゴウドウガイシャ", "ド",
            "ソウゴガイシャ", "ソ",
            "イリョウホウジン", "イ",
            "イリョウホウジンシャダン", "イ",
            "イリョウホウジンザイダン", "イ",
            "シャカイイリョウホウジン", "イ",
            "ザイダンホウジン", "ザイ",
            "イッパンザイダンホウジン", "ザイ",
            "コウエキザイダンホウジン", "ザイ",
            "シャダンホウジン", "シャ",
            "イッパンシャダンホウジン", "シャ",
            "コウエキシャダンホウジン", "シャ",
            "シュウキョウホウジン", "シュウ",
            "ガッコウホウジン", "ガク",
            "シャカイフクシホウジン", "フク",
            "トクテイヒエイリカツドウホウジン", "トクヒ",
            "ドクリツギョウセイホウジン", "ドク",
            "チホウドクリツギョウセイホウジン", "チドク",
            "コクリツダイガクホウジン", "ダイ",
            "コウリツダイガクホウジン", "ダイ",
            "ベンゴシホウジン", "ベン",
            "ゼイリシホウジン", "ゼイ",
            "シホウショシホウジン", "シホウ",
            "ギョウセイショシホウジン", "ギョ",
            "ノウジクミアイホウジン", "ノウ",
            "エイギョウショ", "エイ",
            "シュッチョウショ", "シュツ");

    private BankKana() {
    }

    /**
     * Converts text (a bank or branch name, an EDI note) to bank text, without abbreviating legal-entity words.
     *
     * @param text any text; not null
     * @return the bank text; empty when {@code text} is blank
     * @throws UnwritableCharacterException for the first character that has no bank-text form, named with its
     *         position in {@code text}
     */
    public static String toBankText(String text) {
        return convert(requireNonNull(text, "text"), "give it in kana");
    }

    /**
     * Converts a payee or requester name to bank text and writes legal-entity words as the banks' abbreviations
     * ({@code カブシキガイシャ ヤマダ → ｶ)ﾔﾏﾀﾞ}); see the class description for the table. Converting a result
     * again gives the same result.
     *
     * @param name the name as a person would type it (kana, full- or half-width, any case); not null
     * @return the bank text; empty when {@code name} is blank
     * @throws UnwritableCharacterException for the first character that has no bank-text form, for example
     *         {@code cannot be written in a bank file: '店' at 3 in "みやき店"; give the name in kana}
     */
    public static String toBankName(String name) {
        return abbreviate(convert(requireNonNull(name, "name"), "give the name in kana"));
    }

    /**
     * Fits bank text into a field of {@code maxLength} bytes.
     *
     * @param bankText text already in bank form ({@link #isBankText}); not null
     * @param maxLength the field's length in bytes, at least 1
     * @param overflow whether text that is too long is refused or cut
     * @return {@code bankText} itself when it fits; when cut, its longest prefix that fits and does not separate
     *         a letter from its {@code ﾞ}/{@code ﾟ}, without trailing spaces or a dangling {@code (}
     * @throws IllegalArgumentException if {@code bankText} is not bank text, if {@code maxLength < 1}, or if it
     *         is longer than {@code maxLength} and {@code overflow} is {@link Overflow#REFUSE}
     */
    public static String fit(String bankText, int maxLength, Overflow overflow) {
        requireNonNull(bankText, "bankText");
        requireNonNull(overflow, "overflow");
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be >= 1: " + maxLength);
        }
        if (!isBankText(bankText)) {
            throw new IllegalArgumentException("not bank text, convert it with toBankText or toBankName first: \""
                    + bankText + "\"");
        }
        if (bankText.length() <= maxLength) {
            return bankText;
        }
        if (overflow == Overflow.REFUSE) {
            throw new IllegalArgumentException("\"" + bankText + "\" is " + bankText.length()
                    + " bytes, more than the " + maxLength + " the field holds");
        }
        int cut = maxLength;
        // A mark is its own byte after its letter: cutting between them would leave ｶ where the account says ｶﾞ.
        if (isMark(bankText.charAt(cut))) {
            cut--;
        }
        String kept = bankText.substring(0, cut);
        int end = kept.length();
        while (end > 0 && (kept.charAt(end - 1) == ' ' || kept.charAt(end - 1) == '(')) {
            end--;
        }
        return kept.substring(0, end);
    }

    /**
     * Whether every character of {@code s} is bank text and every {@code ﾞ}/{@code ﾟ} follows a kana letter.
     *
     * @param s the text to check; not null
     * @return true when {@code s} can be written to a bank file as it is (the empty string is bank text)
     */
    public static boolean isBankText(String s) {
        requireNonNull(s, "s");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isMark(c)) {
                if (i == 0 || !isKanaLetter(s.charAt(i - 1))) {
                    return false;
                }
            } else if (!isKanaLetter(c) && !isUpperAsciiOrDigit(c) && SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isMark(char c) {
        return c == DAKUTEN || c == HANDAKUTEN;
    }

    private static boolean isKanaLetter(char c) {
        return c >= 'ｱ' && c <= 'ﾝ';
    }

    private static boolean isUpperAsciiOrDigit(char c) {
        return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static String convert(String input, String kanjiHint) {
        StringBuilder out = new StringBuilder(input.length() + 8);
        int index = 0;
        for (int i = 0; i < input.length(); index++) {
            int original = input.codePointAt(i);
            i += Character.charCount(original);
            int cp = original;
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                cp -= 0xFEE0; // full-width ASCII block sits at a fixed offset from ASCII
            }
            if (cp >= 0x3041 && cp <= 0x3096) {
                cp += 0x60; // hiragana block sits at a fixed offset from katakana
            }
            if (cp == 0x3099 || cp == 0x309B || cp == 0xFF9E || cp == 0x309A || cp == 0x309C || cp == 0xFF9F) {
                if (out.length() == 0 || !isKanaLetter(out.charAt(out.length() - 1))) {
                    throw new UnwritableCharacterException(original, index, input,
                            "a voiced sound mark must follow a kana letter");
                }
                out.append(cp == 0x309A || cp == 0x309C || cp == 0xFF9F ? HANDAKUTEN : DAKUTEN);
                continue;
            }
            String kana = KANA.get(cp);
            if (kana != null) {
                out.append(kana);
            } else if (cp >= 'ｱ' && cp <= 'ﾝ' || cp == '｢' || cp == '｣') {
                out.append((char) cp);
            } else if (cp == '「' || cp == '」') {
                out.append(cp == '「' ? '｢' : '｣');
            } else if (cp == ' ' || cp == 0x3000) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else if (isDash(cp)) {
                out.append('-');
            } else if (cp == 0xA5 || cp == 0xFFE5) {
                out.append('\\');
            } else if (cp >= 'a' && cp <= 'z') {
                out.append((char) (cp - 'a' + 'A'));
            } else if (cp < 0x80 && (isUpperAsciiOrDigit((char) cp) || SYMBOLS.indexOf(cp) >= 0)) {
                out.append((char) cp);
            } else {
                boolean ideograph = Character.UnicodeScript.of(original) == Character.UnicodeScript.HAN;
                throw new UnwritableCharacterException(original, index, input,
                        ideograph ? kanjiHint : "a bank file takes only " + ALLOWED_LIST);
            }
        }
        int end = out.length();
        if (end > 0 && out.charAt(end - 1) == ' ') {
            out.setLength(end - 1);
        }
        return out.toString();
    }

    private static boolean isDash(int cp) {
        return cp == 'ー' || cp == 'ｰ' || cp >= 0x2010 && cp <= 0x2015 || cp == 0x2212;
    }

    private static String abbreviate(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            Abbreviation a = abbreviationAt(s, i);
            if (a == null) {
                out.append(s.charAt(i++));
                continue;
            }
            int end = i + a.spelt().length();
            boolean atStart = out.length() == 0;
            boolean atEnd = s.substring(end).isBlank();
            if (atStart && atEnd) {
                // Nothing to stand beside: an abbreviation alone ("ｶ)") would name no one.
                out.append(s, i, end);
                i = end;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
                out.setLength(out.length() - 1);
            }
            if (atStart) {
                out.append(a.abbreviation()).append(')');
            } else if (atEnd) {
                out.append('(').append(a.abbreviation());
            } else {
                out.append('(').append(a.abbreviation()).append(')');
            }
            i = end;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }
        return out.toString();
    }

    private static Abbreviation abbreviationAt(String s, int i) {
        for (Abbreviation a : ABBREVIATIONS) {
            int end = i + a.spelt().length();
            // A following ﾞ/ﾟ would belong to the word's last letter, so the word is not there after all.
            if (s.startsWith(a.spelt(), i) && (end == s.length() || !isMark(s.charAt(end)))) {
                return a;
            }
        }
        return null;
    }

    private static List<Abbreviation> abbreviations(String... speltThenShort) {
        List<Abbreviation> list = new ArrayList<>();
        for (int i = 0; i < speltThenShort.length; i += 2) {
            list.add(new Abbreviation(convert(speltThenShort[i], ""), convert(speltThenShort[i + 1], "")));
        }
        list.sort(Comparator.comparingInt((Abbreviation a) -> a.spelt().length()).reversed());
        return List.copyOf(list);
    }

    private static void pairs(String from, String to, String suffix) {
        for (int i = 0; i < from.length(); i++) {
            KANA.put((int) from.charAt(i), to.charAt(i) + suffix);
        }
    }
}
