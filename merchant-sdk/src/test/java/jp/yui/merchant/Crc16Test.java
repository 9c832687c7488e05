package jp.yui.merchant;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Crc16Test {

    @Test
    void checkValueOf123456789Is29B1() {
        assertThat(Crc16.ccittFalse("123456789".getBytes(US_ASCII))).isEqualTo(0x29B1);
        assertThat(ReferenceMpm.crc("123456789".getBytes(US_ASCII))).isEqualTo(0x29B1);
    }

    @Test
    void crcOfNothingIsTheInitialValue() {
        assertThat(Crc16.ccittFalse(new byte[0])).isEqualTo(0xFFFF);
    }

    @Test
    void hexIsFourUpperCaseDigits() {
        assertThat(Crc16.hex(0x29B1)).isEqualTo("29B1");
        assertThat(Crc16.hex(0x00AF)).isEqualTo("00AF");
    }

    @Property
    void tableDrivenCrcAgreesWithBitByBitReference(@ForAll byte[] data) {
        assertThat(Crc16.ccittFalse(data)).isEqualTo(ReferenceMpm.crc(data));
    }
}
