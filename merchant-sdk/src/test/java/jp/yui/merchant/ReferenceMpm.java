package jp.yui.merchant;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Test-side helpers that share no code with the SDK: a bit-by-bit CRC-16/CCITT-FALSE and payloads written out by
 * hand, so that the codec is checked against something it did not compute itself.
 */
final class ReferenceMpm {

    /** A static code: every length below was counted by hand; offsets are in the comments. */
    static final String STATIC_BODY = ""
            + "000201"                                   // 0: payload format indicator 01
            + "010211"                                   // 6: static
            + "2630" + "0006jp.yui" + "0116MIYAKI-SHOP-0001" // 12: Yui's merchant account template
            + "52045812"                                 // 46: restaurants
            + "5303392"                                  // 54: yen
            + "5802JP"                                   // 61
            + "5908YUI CAFE"                             // 67
            + "6006MIYAKI";                              // 79; 6304 follows at 89

    /** A dynamic code for ¥1,200 at till TILL-1. */
    static final String DYNAMIC_BODY = ""
            + "000201"                                   // 0
            + "010212"                                   // 6: dynamic
            + "2630" + "0006jp.yui" + "0116MIYAKI-SHOP-0001" // 12
            + "52045812"                                 // 46
            + "5303392"                                  // 54
            + "54041200"                                 // 61: ¥1,200
            + "5802JP"                                   // 69
            + "5908YUI CAFE"                             // 75
            + "6006MIYAKI"                               // 87
            + "6230" + "0516R7Q2M9X4K8P3B6ZD" + "0706TILL-1"; // 97: reference label, terminal label; 6304 at 131

    /** The static code with its name in Japanese: 5 characters (15 UTF-8 bytes), so tag 64 is 6 + 9 = 15 long. */
    static final String STATIC_JA_BODY = STATIC_BODY
            + "6415" + "0002ja" + "0105ゆいカフェ";          // 89; 6304 at 108

    private ReferenceMpm() {
    }

    /** @return {@code body ‖ "6304" ‖ CRC} */
    static String withCrc(String body) {
        String covered = body + "6304";
        return covered + crcHex(covered);
    }

    /** @return the four upper-case hex digits of the CRC of {@code text}'s UTF-8 bytes */
    static String crcHex(String text) {
        return String.format("%04X", crc(text.getBytes(UTF_8)));
    }

    /** CRC-16/CCITT-FALSE, one bit at a time, as the standard describes it. */
    static int crc(byte[] data) {
        int crc = 0xFFFF;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }
}
