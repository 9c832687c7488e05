package jp.yui.merchant;

import java.util.Locale;

/** CRC-16/CCITT-FALSE, the checksum of EMVCo QR payloads: poly 0x1021, init 0xFFFF, no reflection, no final xor. */
final class Crc16 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private Crc16() {
    }

    /** @return the CRC of {@code data}, 0 to 0xFFFF */
    static int ccittFalse(byte[] data) {
        int crc = 0xFFFF;
        for (byte b : data) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** @return {@code crc} as four upper-case hex digits, as tag 63 carries it */
    static String hex(int crc) {
        return String.format(Locale.ROOT, "%04X", crc);
    }
}
