package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The README's merchant-sdk example, so that it keeps compiling and doing what it says. */
class ReadmeExampleTest {

    private String shown;

    @Test
    void readmeExampleWorks() {
        String reference = "R7Q2M9X4K8P3B6ZD";

        QrMerchant cafe = QrMerchant.of("MIYAKI-SHOP-0001", "5812", "YUI CAFE", "MIYAKI").withJapaneseName("ゆいカフェ");
        String printed = QrPayload.staticCode(cafe).encode();                     // for the counter: no amount
        QrPayload code = QrPayload.dynamicCode(cafe, 1200, reference, "TILL-1");  // ¥1,200 and a single-use reference
        byte[] png = QrImages.png(code.encode(), 400);  // or QrImages.svg(…, 400); error correction M, quiet zone 4
        byte[] photo = png;
        Optional<String> seen = QrImages.decode(photo); // from a camera; empty when no code is in sight
        QrPayload scanned = null;
        try {
            scanned = QrPayload.parse(seen.orElseThrow());  // scanned.amount(), .referenceLabel(), …
        } catch (QrFormatException e) {                 // e.reason(): BAD_CRC, LENGTH_OVERRUN, MISSING_TAG, …
            show(e.getMessage());
        }

        assertThat(printed).startsWith("000201010211").contains("0105ゆいカフェ");
        assertThat(shown).isNull();
        assertThat(scanned).isEqualTo(code);
        assertThat(scanned.amount()).hasValue(1200);
        assertThat(scanned.referenceLabel()).contains(reference);
    }

    @Test
    void readmeErrorMessageIsTheParsersOwn() {
        try {
            QrPayload.parse("000201" + "010212" + "2622" + "0006jp.yui" + "0108S0000001" + "5407" + "12");
        } catch (QrFormatException e) {
            show(e.getMessage());
        }

        assertThat(shown).isEqualTo("tag 54 at offset 38: length 07 runs past the end (payload has 44 characters)");
    }

    private void show(String message) {
        shown = message;
    }
}
