package jp.yui.merchant;

import static jp.yui.merchant.ReferenceMpm.DYNAMIC_BODY;
import static jp.yui.merchant.ReferenceMpm.STATIC_BODY;
import static jp.yui.merchant.ReferenceMpm.crcHex;
import static jp.yui.merchant.ReferenceMpm.withCrc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Locale;

import jp.yui.merchant.QrFormatException.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way {@link QrPayload#parse} refuses a payload, with its reason, offset and message. Offsets of
 * {@link ReferenceMpm#STATIC_BODY}: 00 at 0, 01 at 6, 26 at 12, 52 at 46, 53 at 54, 58 at 61, 59 at 67, 60 at 79,
 * and 63 at 89.
 */
class QrPayloadParseTest {

    private static QrFormatException refused(String payload, Reason reason, int offset, String message) {
        QrFormatException e = catchThrowableOfType(QrFormatException.class, () -> QrPayload.parse(payload));
        assertThat(e).as("parse(%s)", payload).isNotNull();
        assertThat(e).hasMessage(message);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.offset()).isEqualTo(offset);
        return e;
    }

    private static String replace(String body, String what, String with) {
        assertThat(body).contains(what);
        return body.replace(what, with);
    }

    @Nested
    class Crc {

        @Test
        void wrongCrcIsRefused() {
            String correct = crcHex(STATIC_BODY + "6304");
            String wrong = String.format(Locale.ROOT, "%04X", Integer.parseInt(correct, 16) ^ 0x0100);

            QrFormatException e = refused(STATIC_BODY + "6304" + wrong, Reason.BAD_CRC, 89,
                    "tag 63 at offset 89: CRC " + wrong + " does not match the payload, whose CRC is " + correct);

            assertThat(e.tag()).contains("63");
            assertThat(e).isInstanceOf(MerchantException.class);
        }

        @Test
        void changedCharacterIsCaughtByTheCrc() {
            String payload = withCrc(STATIC_BODY);
            String altered = replace(payload, "YUI CAFE", "YUI CAFF");

            refused(altered, Reason.BAD_CRC, 89, "tag 63 at offset 89: CRC " + crcHex(STATIC_BODY + "6304")
                    + " does not match the payload, whose CRC is "
                    + crcHex(replace(STATIC_BODY, "YUI CAFE", "YUI CAFF") + "6304"));
        }

        @Test
        void lowerCaseHexIsRefused() {
            refused(STATIC_BODY + "6304abcd", Reason.BAD_CRC, 89,
                    "tag 63 at offset 89: CRC 'abcd' is not four upper-case hex digits");
        }

        @Test
        void crcOfOtherLengthIsRefused() {
            refused(STATIC_BODY + "630529B1F", Reason.BAD_CRC, 89,
                    "tag 63 at offset 89: length 05, a CRC has 4 characters");
        }

        @Test
        void crcNotLastIsRefused() {
            String body = replace(STATIC_BODY, "5802JP", "");

            refused(withCrc(body) + "5802JP", Reason.CRC_NOT_LAST, 83,
                    "tag 63 at offset 83: the CRC must be the last tag, but tag 58 follows at offset 91");
        }
    }

    @Nested
    class Structure {

        @Test
        void emptyPayloadIsTruncated() {
            QrFormatException e = refused("", Reason.TRUNCATED, 0, "payload is empty");

            assertThat(e.tag()).isEmpty();
        }

        @Test
        void payloadEndingInsideAnIdIsTruncated() {
            refused("0002010", Reason.TRUNCATED, 6, "offset 6: payload ends inside a tag id");
        }

        @Test
        void payloadEndingInsideALengthIsTruncated() {
            QrFormatException e = refused("000201010", Reason.TRUNCATED, 6,
                    "tag 01 at offset 6: payload ends inside its length");

            assertThat(e.tag()).contains("01");
        }

        @Test
        void templateEndingInsideALengthIsTruncated() {
            QrFormatException e = refused(withCrc(STATIC_BODY + "6203" + "050"), Reason.TRUNCATED, 93,
                    "tag 62.05 at offset 93: template 62 ends inside its length");

            assertThat(e.tag()).contains("62.05");
        }

        @Test
        void lengthPastTheEndIsAnOverrun() {
            // 38 characters, then tag 54 promising 7 characters and holding 2.
            String payload = "000201" + "010212" + "2622" + "0006jp.yui" + "0108S0000001" + "5407" + "12";

            refused(payload, Reason.LENGTH_OVERRUN, 38,
                    "tag 54 at offset 38: length 07 runs past the end (payload has 44 characters)");
        }

        @Test
        void cutPayloadIsAnOverrun() {
            String payload = withCrc(STATIC_BODY);

            refused(payload.substring(0, payload.length() - 3), Reason.LENGTH_OVERRUN, 89,
                    "tag 63 at offset 89: length 04 runs past the end (payload has 94 characters)");
        }

        @Test
        void subFieldPastTheEndOfItsTemplateIsAnOverrun() {
            refused(withCrc(STATIC_BODY + "6210" + "0520ABCDEF"), Reason.LENGTH_OVERRUN, 93,
                    "tag 62.05 at offset 93: length 20 runs past the end of template 62 (its value has 10 characters)");
        }

        @Test
        void nonNumericLengthIsRefused() {
            refused(withCrc(replace(STATIC_BODY, "52045812", "52A45812")), Reason.NON_NUMERIC_LENGTH, 46,
                    "tag 52 at offset 46: length 'A4' is not two digits");
        }

        @Test
        void nonNumericIdIsRefused() {
            QrFormatException e = refused(withCrc(replace(STATIC_BODY, "52045812", "5A045812")), Reason.BAD_ID, 46,
                    "offset 46: tag id '5A' is not two digits");

            assertThat(e.tag()).isEmpty();
        }

        @Test
        void zeroLengthIsRefused() {
            refused(withCrc(replace(STATIC_BODY, "5908YUI CAFE", "5900")), Reason.BAD_VALUE, 67,
                    "tag 59 at offset 67: length 00, a value has at least one character");
        }

        @Test
        void duplicateTopLevelTagIsRefused() {
            refused(withCrc(STATIC_BODY + "5303392"), Reason.DUPLICATE_TAG, 89,
                    "tag 53 at offset 89: tag 53 appears twice (first at offset 54)");
        }

        @Test
        void duplicateSubFieldIsRefused() {
            String body = replace(STATIC_BODY, "2630" + "0006jp.yui" + "0116MIYAKI-SHOP-0001",
                    "2635" + "0006jp.yui" + "0116MIYAKI-SHOP-0001" + "0101X");

            QrFormatException e = refused(withCrc(body), Reason.DUPLICATE_TAG, 46,
                    "tag 26.01 at offset 46: tag 01 appears twice (first at offset 26)");

            assertThat(e.tag()).contains("26.01");
        }

        @Test
        void payloadLongerThan512CharactersIsRefused() {
            refused("0".repeat(513), Reason.BAD_VALUE, 512, "payload has 513 characters, at most 512");
        }
    }

    @Nested
    class FormatIndicator {

        @Test
        void formatIndicatorNotFirstIsRefused() {
            String body = "010211" + "000201" + STATIC_BODY.substring(12);

            refused(withCrc(body), Reason.FORMAT_INDICATOR_NOT_FIRST, 6,
                    "tag 00 at offset 6: the payload format indicator must be the first tag, but tag 01 comes first");
        }

        @Test
        void otherFormatVersionIsUnsupported() {
            refused(withCrc(replace(STATIC_BODY, "000201", "000202")), Reason.UNSUPPORTED_VERSION, 0,
                    "tag 00 at offset 0: payload format indicator '02' is not supported, only '01' is");
        }
    }

    @Nested
    class MandatoryTags {

        @ParameterizedTest(name = "without {0}")
        @CsvSource(delimiter = '|', value = {
                "000201                                 | payload has no tag 00 (payload format indicator)",
                "010211                                 | payload has no tag 01 (point of initiation method)",
                "26300006jp.yui0116MIYAKI-SHOP-0001     | payload has no merchant account information (a tag from 02 to 51)",
                "52045812                               | payload has no tag 52 (merchant category code)",
                "5303392                                | payload has no tag 53 (transaction currency)",
                "5802JP                                 | payload has no tag 58 (country code)",
                "5908YUI CAFE                           | payload has no tag 59 (merchant name)",
                "6006MIYAKI                             | payload has no tag 60 (merchant city)",
        })
        void missingTagIsRefused(String field, String message) {
            refused(withCrc(replace(STATIC_BODY, field, "")), Reason.MISSING_TAG, 0, message);
        }

        @Test
        void missingCrcIsRefused() {
            refused(STATIC_BODY, Reason.MISSING_TAG, 0, "payload has no tag 63 (CRC)");
        }

        @Test
        void merchantAccountTemplateWithoutGloballyUniqueIdIsRefused() {
            String body = replace(STATIC_BODY, "2630" + "0006jp.yui", "2620");

            QrFormatException e = refused(withCrc(body), Reason.MISSING_TAG, 12,
                    "tag 26 at offset 12: template has no sub-field 00 (globally unique identifier)");

            assertThat(e.tag()).contains("26.00");
        }

        @Test
        void languageTemplateWithoutNameIsRefused() {
            refused(withCrc(STATIC_BODY + "6406" + "0002ja"), Reason.MISSING_TAG, 89,
                    "tag 64 at offset 89: template has no sub-field 01 (merchant name in that language)");
        }
    }

    @Nested
    class Amount {

        @Test
        void amountInStaticCodeIsRefused() {
            String body = replace(STATIC_BODY, "5303392", "5303392" + "54041200");

            refused(withCrc(body), Reason.UNEXPECTED_TAG, 61,
                    "tag 54 at offset 61: a static code (tag 01 = 11) carries no amount");
        }

        @Test
        void dynamicCodeWithoutAmountIsRefused() {
            refused(withCrc(replace(DYNAMIC_BODY, "54041200", "")), Reason.MISSING_TAG, 0,
                    "payload has no tag 54 (transaction amount), which a dynamic code (tag 01 = 12) needs");
        }

        @Test
        void decimalAmountIsRefused() {
            refused(withCrc(replace(DYNAMIC_BODY, "54041200", "540512.50")), Reason.BAD_VALUE, 61,
                    "tag 54 at offset 61: amount '12.50' must be digits only (whole yen, no decimals)");
        }

        @Test
        void nonDigitAmountIsRefused() {
            refused(withCrc(replace(DYNAMIC_BODY, "54041200", "5404-120")), Reason.BAD_VALUE, 61,
                    "tag 54 at offset 61: amount '-120' must be digits only (whole yen, no decimals)");
        }

        @Test
        void zeroAmountIsRefused() {
            refused(withCrc(replace(DYNAMIC_BODY, "54041200", "5403000")), Reason.BAD_VALUE, 61,
                    "tag 54 at offset 61: amount must be more than 0: '000'");
        }

        @Test
        void amountOf14DigitsIsRefused() {
            refused(withCrc(replace(DYNAMIC_BODY, "54041200", "541412345678901234")), Reason.BAD_VALUE, 61,
                    "tag 54 at offset 61: amount has 14 digits, at most 13");
        }
    }

    @Nested
    class Values {

        @Test
        void unknownPointOfInitiationIsRefused() {
            refused(withCrc(replace(STATIC_BODY, "010211", "010213")), Reason.BAD_VALUE, 6,
                    "tag 01 at offset 6: point of initiation method '13' must be 11 (static) or 12 (dynamic)");
        }

        @Test
        void categoryCodeMustBeFourDigits() {
            refused(withCrc(replace(STATIC_BODY, "52045812", "520458A2")), Reason.BAD_VALUE, 46,
                    "tag 52 at offset 46: merchant category code '58A2' is not 4 digits");
        }

        @Test
        void currencyMustBeThreeDigits() {
            refused(withCrc(replace(STATIC_BODY, "5303392", "5303JPY")), Reason.BAD_VALUE, 54,
                    "tag 53 at offset 54: currency code 'JPY' is not 3 digits");
        }

        @Test
        void countryMustBeUpperCaseLetters() {
            refused(withCrc(replace(STATIC_BODY, "5802JP", "5802jp")), Reason.BAD_VALUE, 61,
                    "tag 58 at offset 61: country code 'jp' is not two upper-case letters");
        }

        @Test
        void nameLongerThan25IsRefused() {
            String body = replace(STATIC_BODY, "5908YUI CAFE", "5926" + "YUI CAFE AND BAKERY MIYAKI");

            refused(withCrc(body), Reason.BAD_VALUE, 67,
                    "tag 59 at offset 67: merchant name has 26 characters, at most 25");
        }

        @Test
        void cityLongerThan15IsRefused() {
            String body = replace(STATIC_BODY, "6006MIYAKI", "6016" + "MIYAKI-TOWN-SAGA");

            refused(withCrc(body), Reason.BAD_VALUE, 79,
                    "tag 60 at offset 79: merchant city has 16 characters, at most 15");
        }

        @Test
        void nonAsciiNameIsRefusedWithTheCharactersOffset() {
            refused(withCrc(replace(STATIC_BODY, "5908YUI CAFE", "5908YUI CAFÉ")), Reason.BAD_VALUE, 67,
                    "tag 59 at offset 67: character U+00C9 at offset 78 is not printable ASCII");
        }

        @Test
        void referenceLabelLongerThan25IsRefused() {
            String body = replace(DYNAMIC_BODY, "6230" + "0516R7Q2M9X4K8P3B6ZD",
                    "6240" + "0526R7Q2M9X4K8P3B6ZDR7Q2M9X4K8");

            refused(withCrc(body), Reason.BAD_VALUE, 101,
                    "tag 62.05 at offset 101: reference label has 26 characters, at most 25");
        }

        @Test
        void languageMustBeIso639() {
            refused(withCrc(STATIC_BODY + "6415" + "0002JA" + "0105ゆいカフェ"), Reason.BAD_VALUE, 93,
                    "tag 64.00 at offset 93: language preference 'JA' is not two lower-case letters (ISO 639-1)");
        }

        @Test
        void controlCharacterInJapaneseNameIsRefused() {
            refused(withCrc(STATIC_BODY + "6416" + "0002ja" + "0106ゆい\tカフェ"), Reason.BAD_VALUE, 99,
                    "tag 64.01 at offset 99: character U+0009 at offset 105 is a control character or a lone surrogate");
        }

        @Test
        void lengthsThatCountUtf8BytesOverrun() {
            // An issuer counting bytes writes ゆいカフェ as 15 long, and template 64 as 25: past the payload's end.
            refused(withCrc(STATIC_BODY + "6425" + "0002ja" + "0115ゆいカフェ"), Reason.LENGTH_OVERRUN, 89,
                    "tag 64 at offset 89: length 25 runs past the end (payload has 116 characters)");
        }
    }
}
