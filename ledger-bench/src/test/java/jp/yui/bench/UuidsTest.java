package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {

    @Test
    void versionSevenOrderedByTime() {
        UUID a = Uuids.v7(1_700_000_000_000L, -1, -1);
        UUID b = Uuids.v7(1_700_000_000_001L, 0, 0);
        assertThat(a.version()).isEqualTo(7);
        assertThat(a.variant()).isEqualTo(2);
        assertThat(a.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
        assertThat(a.toString().compareTo(b.toString())).isNegative();
        assertThat(Uuids.v7().version()).isEqualTo(7);
    }
}
