package jp.yui.merchant;

import static jp.yui.merchant.ReferenceMpm.DYNAMIC_BODY;
import static jp.yui.merchant.ReferenceMpm.STATIC_BODY;
import static jp.yui.merchant.ReferenceMpm.STATIC_JA_BODY;
import static jp.yui.merchant.ReferenceMpm.withCrc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QrPayloadTest {

    private static final QrMerchant CAFE = QrMerchant.of("MIYAKI-SHOP-0001", "5812", "YUI CAFE", "MIYAKI");

    @Nested
    class StaticCode {

        @Test
        void isTheHandBuiltPayload() {
            QrPayload code = QrPayload.staticCode(CAFE);

            assertThat(code.encode()).isEqualTo(withCrc(STATIC_BODY));
        }

        @Test
        void withJapaneseNameAddsLanguageTemplateCountingCharactersNotBytes() {
            QrPayload code = QrPayload.staticCode(CAFE.withJapaneseName("ゆいカフェ"));

            assertThat(code.encode()).isEqualTo(withCrc(STATIC_JA_BODY));
            assertThat(code.encode()).contains("64150002ja0105ゆいカフェ6304");
            assertThat(code.alternateName()).contains("ゆいカフェ");
        }

        @Test
        void characterOutsideTheBasicPlaneCountsOnce() {
            // 𠮷 is two UTF-16 units and four UTF-8 bytes, but one character.
            QrPayload code = QrPayload.staticCode(CAFE.withJapaneseName("𠮷野家"));

            assertThat(code.encode()).isEqualTo(withCrc(STATIC_BODY + "6413" + "0002ja" + "0103𠮷野家"));
            assertThat(QrPayload.parse(code.encode()).alternateName()).contains("𠮷野家");
        }

        @Test
        void japaneseNameOf25CharactersFitsAnd26DoNot() {
            String name25 = "あ".repeat(25);

            QrPayload code = QrPayload.staticCode(CAFE.withJapaneseName(name25));

            assertThat(code.encode()).contains("6435" + "0002ja" + "0125" + name25 + "6304");
            assertThatThrownBy(() -> CAFE.withJapaneseName(name25 + "あ"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("japaneseName must have 1 to 25 characters, has 26: '" + name25 + "あ'");
        }

        @Test
        void accessorsReadTheFields() {
            QrPayload code = QrPayload.staticCode(CAFE);

            assertThat(code.isDynamic()).isFalse();
            assertThat(code.amount()).isEqualTo(OptionalLong.empty());
            assertThat(code.merchantId(QrMerchant.YUI_GLOBALLY_UNIQUE_ID)).contains("MIYAKI-SHOP-0001");
            assertThat(code.merchantId("com.example")).isEmpty();
            assertThat(code.merchantCategoryCode()).isEqualTo("5812");
            assertThat(code.currencyCode()).isEqualTo("392");
            assertThat(code.countryCode()).isEqualTo("JP");
            assertThat(code.merchantName()).isEqualTo("YUI CAFE");
            assertThat(code.merchantCity()).isEqualTo("MIYAKI");
            assertThat(code.referenceLabel()).isEmpty();
            assertThat(code.alternateName()).isEmpty();
            assertThat(code.fields()).extracting(QrField::id)
                    .containsExactly("00", "01", "26", "52", "53", "58", "59", "60");
        }

        @Test
        void otherTemplateIdIsUsed() {
            QrPayload code = QrPayload.staticCode(CAFE.withTemplateId("40"));

            assertThat(code.encode()).startsWith("0002010102114030");
            assertThat(code.merchantId(QrMerchant.YUI_GLOBALLY_UNIQUE_ID)).contains("MIYAKI-SHOP-0001");
        }
    }

    @Nested
    class DynamicCode {

        @Test
        void isTheHandBuiltPayload() {
            QrPayload code = QrPayload.dynamicCode(CAFE, 1200, "R7Q2M9X4K8P3B6ZD", "TILL-1");

            assertThat(code.encode()).isEqualTo(withCrc(DYNAMIC_BODY));
        }

        @Test
        void accessorsReadAmountAndLabels() {
            QrPayload code = QrPayload.parse(withCrc(DYNAMIC_BODY));

            assertThat(code.isDynamic()).isTrue();
            assertThat(code.amount()).isEqualTo(OptionalLong.of(1200));
            assertThat(code.referenceLabel()).contains("R7Q2M9X4K8P3B6ZD");
            assertThat(code.terminalLabel()).contains("TILL-1");
        }

        @Test
        void withoutTerminalLabelHasOnlyTheReference() {
            QrPayload code = QrPayload.dynamicCode(CAFE, 1200, "R7Q2M9X4K8P3B6ZD");

            assertThat(code.encode()).contains("6220" + "0516R7Q2M9X4K8P3B6ZD" + "6304");
            assertThat(code.terminalLabel()).isEmpty();
        }

        @Test
        void largestAmountHas13Digits() {
            QrPayload code = QrPayload.dynamicCode(CAFE, 9_999_999_999_999L, "R1");

            assertThat(code.encode()).contains("54139999999999999");
            assertThat(code.amount()).isEqualTo(OptionalLong.of(9_999_999_999_999L));
        }

        @Test
        void amountOutOfRangeIsRefused() {
            assertThatThrownBy(() -> QrPayload.dynamicCode(CAFE, 0, "R1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amountYen must be 1 to 9999999999999: 0");
            assertThatThrownBy(() -> QrPayload.dynamicCode(CAFE, 10_000_000_000_000L, "R1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amountYen must be 1 to 9999999999999: 10000000000000");
        }

        @Test
        void referenceMustBeShortPrintableAscii() {
            assertThatThrownBy(() -> QrPayload.dynamicCode(CAFE, 1, "R".repeat(26)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reference must have 1 to 25 characters, has 26: '" + "R".repeat(26) + "'");
            assertThatThrownBy(() -> QrPayload.dynamicCode(CAFE, 1, "RÉF"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reference must be printable ASCII, found U+00C9 at index 1: 'RÉF'");
            assertThatThrownBy(() -> QrPayload.dynamicCode(CAFE, 1, "R1", ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("terminalLabel must have 1 to 25 characters, has 0: ''");
        }
    }

    @Nested
    class RoundTrip {

        @Test
        void encodeOfParseIsTheInput() {
            for (String body : List.of(STATIC_BODY, DYNAMIC_BODY, STATIC_JA_BODY)) {
                String payload = withCrc(body);

                assertThat(QrPayload.parse(payload).encode()).isEqualTo(payload);
            }
        }

        @Test
        void parseOfEncodeIsTheValue() {
            for (QrPayload code : List.of(QrPayload.staticCode(CAFE),
                    QrPayload.staticCode(CAFE.withJapaneseName("ゆいカフェ")),
                    QrPayload.dynamicCode(CAFE, 1200, "R7Q2M9X4K8P3B6ZD", "TILL-1"))) {
                QrPayload parsed = QrPayload.parse(code.encode());

                assertThat(parsed).isEqualTo(code).hasSameHashCodeAs(code);
                assertThat(parsed.fields()).isEqualTo(code.fields());
            }
        }

        @Test
        void fieldsExcludeTheCrcAndKeepTemplatesStructured() {
            QrPayload code = QrPayload.parse(withCrc(DYNAMIC_BODY));

            assertThat(code.field("63")).isEmpty();
            assertThat(code.field("62").orElseThrow().subFields())
                    .containsExactly(QrField.of("05", "R7Q2M9X4K8P3B6ZD"), QrField.of("07", "TILL-1"));
            assertThat(code.field("26").orElseThrow().subFields())
                    .containsExactly(QrField.of("00", "jp.yui"), QrField.of("01", "MIYAKI-SHOP-0001"));
        }

        @Test
        void unknownButValidTagsSurviveInOrder() {
            // A card scheme's primitive account field (04), a postal code (61) and an RFU tag (65), in that order.
            String body = "000201" + "010211" + "0406ABC123" + "52045812" + "5303392" + "5802JP"
                    + "5908YUI CAFE" + "6006MIYAKI" + "61078450001" + "6503XYZ";
            String payload = withCrc(body);

            QrPayload code = QrPayload.parse(payload);

            assertThat(code.encode()).isEqualTo(payload);
            assertThat(code.fields()).extracting(QrField::id)
                    .containsExactly("00", "01", "04", "52", "53", "58", "59", "60", "61", "65");
        }
    }

    @Nested
    class Of {

        @Test
        void templatesGivenAsPrimitivesComeBackAsTemplates() {
            QrPayload code = QrPayload.parse(withCrc(STATIC_BODY));
            QrField flat = QrField.of("26", "0006jp.yui0116MIYAKI-SHOP-0001");
            List<QrField> fields = new java.util.ArrayList<>(code.fields());
            fields.set(2, flat);

            QrPayload rebuilt = QrPayload.of(fields);

            assertThat(rebuilt).isEqualTo(code);
            assertThat(rebuilt.field("26").orElseThrow().isTemplate()).isTrue();
        }

        @Test
        void refusesTheCrcField() {
            assertThatThrownBy(() -> QrPayload.of(QrField.of("00", "01"), QrField.of("63", "ABCD")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fields must not include tag 63: encode() adds the CRC");
        }

        @Test
        void refusesTemplateUnderPrimitiveId() {
            assertThatThrownBy(() -> QrPayload.of(QrField.template("59", QrField.of("00", "X"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tag 59 is not a template: 59050001X");
        }

        @Test
        void refusesInvalidPayloadWithTheParsersMessage() {
            assertThatThrownBy(() -> QrPayload.of(QrField.of("00", "01"), QrField.of("01", "11")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a valid payload: payload has no merchant account information (a tag from 02 to 51)")
                    .cause().isInstanceOf(QrFormatException.class);
        }
    }

    @Nested
    class Merchant {

        @Test
        void refusesBadValuesNamingThem() {
            assertThatThrownBy(() -> QrMerchant.of("M1", "581", "CAFE", "MIYAKI"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("categoryCode must be four digits: '581'");
            assertThatThrownBy(() -> QrMerchant.of("M1", "5812", "A".repeat(26), "MIYAKI"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name must have 1 to 25 characters, has 26: '" + "A".repeat(26) + "'");
            assertThatThrownBy(() -> QrMerchant.of("M1", "5812", "ゆい", "MIYAKI"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name must be printable ASCII, found U+3086 at index 0: 'ゆい'");
            assertThatThrownBy(() -> QrMerchant.of("M1", "5812", "CAFE", "MIYAKI-TOWN-SAGA"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("city must have 1 to 15 characters, has 16: 'MIYAKI-TOWN-SAGA'");
            assertThatThrownBy(() -> QrMerchant.of("M".repeat(86), "5812", "CAFE", "MIYAKI"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("merchantId must have 1 to 85 characters, has 86");
            assertThatThrownBy(() -> CAFE.withTemplateId("25"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("templateId must be 26 to 51: '25'");
            assertThatThrownBy(() -> CAFE.withJapaneseName("ゆい\nカフェ"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("japaneseName must not hold control characters or lone surrogates, found U+000A "
                            + "at index 2: 'ゆい\\u000Aカフェ'");
            assertThatThrownBy(() -> QrMerchant.of(null, "5812", "CAFE", "MIYAKI"))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("merchantId");
        }

        @Test
        void longestMerchantIdFillsTheTemplate() {
            QrPayload code = QrPayload.staticCode(QrMerchant.of("M".repeat(85), "5812", "CAFE", "MIYAKI"));

            assertThat(code.field("26").orElseThrow().length()).isEqualTo(99);
        }
    }

    @Nested
    class Field {

        @Test
        void refusesBadIdsAndLengths() {
            assertThatThrownBy(() -> QrField.of("5", "X"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("id must be two digits: '5'");
            assertThatThrownBy(() -> QrField.of("59", ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("value of tag 59 must have 1 to 99 characters, has 0");
            assertThatThrownBy(() -> QrField.of("59", "X".repeat(100)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("value of tag 59 must have 1 to 99 characters, has 100");
            assertThatThrownBy(() -> QrField.template("62", QrField.template("50", QrField.of("00", "X"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("template 62: sub-field 50 must be primitive, not a template");
            assertThatThrownBy(() -> QrField.template("62", QrField.of("01", "X".repeat(95)), QrField.of("02", "Y")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("template 62 encodes to 104 characters, at most 99");
        }

        @Test
        void encodesIdLengthValue() {
            assertThat(QrField.of("53", "392").encode()).isEqualTo("5303392");
            assertThat(QrField.template("62", QrField.of("05", "R1")).encode()).isEqualTo("62060502R1");
        }
    }
}
