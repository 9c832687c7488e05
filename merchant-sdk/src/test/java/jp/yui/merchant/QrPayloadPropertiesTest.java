package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;

class QrPayloadPropertiesTest {

    @Property
    void parseOfEncodeIsTheSamePayload(@ForAll("payloads") QrPayload code) {
        QrPayload parsed = QrPayload.parse(code.encode());

        assertThat(parsed).isEqualTo(code);
        assertThat(parsed.encode()).isEqualTo(code.encode());
        assertThat(parsed.fields()).isEqualTo(code.fields());
    }

    @Property
    void everyProperPrefixIsRefused(@ForAll("payloads") QrPayload code, @ForAll @IntRange(min = 0, max = 511) int cut) {
        String payload = code.encode();
        String prefix = payload.substring(0, payload.offsetByCodePoints(0,
                Math.min(cut, payload.codePointCount(0, payload.length()) - 1)));

        assertThatThrownBy(() -> QrPayload.parse(prefix)).isInstanceOf(QrFormatException.class);
    }

    @Property
    void changedCharacterParsesToItselfOrIsRefusedPrecisely(@ForAll("payloads") QrPayload code,
                                                            @ForAll @IntRange(min = 0, max = 511) int position,
                                                            @ForAll @CharRange(from = ' ', to = '~') char with) {
        int[] cps = code.encode().codePoints().toArray();
        cps[position % cps.length] = with;
        String changed = new String(cps, 0, cps.length);

        try {
            assertThat(QrPayload.parse(changed).encode()).isEqualTo(changed);
        } catch (QrFormatException e) {
            assertThat(e.offset()).isBetween(0, cps.length);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<QrPayload> payloads() {
        Arbitrary<QrMerchant> merchants = Combinators.combine(
                ans(QrMerchant.MAX_MERCHANT_ID_LENGTH),
                Arbitraries.strings().numeric().ofLength(4),
                ans(25),
                ans(15),
                Arbitraries.integers().between(26, 51),
                japaneseNames().optional())
                .as((id, category, name, city, template, ja) -> {
                    QrMerchant merchant = QrMerchant.of(id, category, name, city).withTemplateId(template.toString());
                    return ja.isPresent() ? merchant.withJapaneseName(ja.get()) : merchant;
                });
        Arbitrary<QrPayload> statics = merchants.map(QrPayload::staticCode);
        Arbitrary<QrPayload> dynamics = Combinators.combine(
                merchants,
                Arbitraries.longs().between(1, 9_999_999_999_999L),
                ans(25),
                ans(25).optional())
                .as((merchant, amount, reference, terminal) -> terminal.isPresent()
                        ? QrPayload.dynamicCode(merchant, amount, reference, terminal.get())
                        : QrPayload.dynamicCode(merchant, amount, reference));
        return Arbitraries.oneOf(statics, dynamics);
    }

    private static Arbitrary<String> ans(int maxLength) {
        return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(maxLength);
    }

    /** Kana, kanji, a character outside the Basic Multilingual Plane, ASCII and punctuation. */
    private static Arbitrary<String> japaneseNames() {
        return Arbitraries.of("ゆ", "い", "カ", "フ", "ェ", "ー", "・", "野", "家", "町", "𠮷", "A", "1", " ", "&")
                .list().ofMinSize(1).ofMaxSize(25)
                .map(parts -> String.join("", parts));
    }
}
