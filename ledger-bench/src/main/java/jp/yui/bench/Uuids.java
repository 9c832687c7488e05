package jp.yui.bench;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Time-ordered UUIDs (version 7, RFC 9562), as the design asks of transfer ids: they keep primary keys compact. */
final class Uuids {

    private Uuids() {}

    static UUID v7() {
        return v7(System.currentTimeMillis(), ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
    }

    static UUID v7(long unixMillis, long randA, long randB) {
        long msb = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
