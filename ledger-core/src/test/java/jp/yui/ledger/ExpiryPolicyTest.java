package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Expiry falls at the start of a day in the region's zone; policies survive a round trip through text. */
class ExpiryPolicyTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final MonthDay FISCAL_YEAR_END = MonthDay.of(3, 31);

    @Nested
    class AfterDays {
        @Test
        void zeroDaysIsRefused() {
            assertThatThrownBy(() -> ExpiryPolicy.afterDays(0, TOKYO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("days must be between 1 and 36500: 0");
        }

        @Test
        void negativeDaysAreRefused() {
            assertThatThrownBy(() -> ExpiryPolicy.afterDays(-180, TOKYO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("days must be between 1 and 36500: -180");
        }

        @Test
        void moreThanAHundredYearsIsRefused() {
            assertThatThrownBy(() -> ExpiryPolicy.afterDays(36_501, TOKYO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("days must be between 1 and 36500: 36501");
        }

        @Test
        void oneAndAHundredYearsOfDaysAreAccepted() {
            assertThat(ExpiryPolicy.afterDays(1, TOKYO)).isNotNull();
            assertThat(ExpiryPolicy.afterDays(36_500, TOKYO)).isNotNull();
        }

        @Test
        void nullZoneIsNamed() {
            assertThatThrownBy(() -> ExpiryPolicy.afterDays(180, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("zone");
        }

        @Test
        void expiresAtTheStartOfTheDayAfterTheLastValidDayInTokyo() {
            // Credited 1 April 09:00 Tokyo; valid 180 whole days after it (through 28 September), expires at
            // 29 September 00:00 Tokyo.
            Instant creditedAt = Instant.parse("2026-04-01T00:00:00Z");
            assertThat(ExpiryPolicy.afterDays(180, TOKYO).expiresAt(creditedAt))
                    .isEqualTo(Instant.parse("2026-09-28T15:00:00Z"));
        }

        @Test
        void aCreditLateInTheTokyoEveningCountsAsThatTokyoDay() {
            // 1 April 23:30 in Tokyo, 14:30 in UTC.
            Instant lateEvening = Instant.parse("2026-04-01T14:30:00Z");
            assertThat(ExpiryPolicy.afterDays(180, TOKYO).expiresAt(lateEvening))
                    .isEqualTo(Instant.parse("2026-09-28T15:00:00Z"));
        }

        @Test
        void aCreditAtTokyoMidnightCountsAsTheNextDay() {
            Instant midnight = Instant.parse("2026-04-01T15:00:00Z");
            assertThat(ExpiryPolicy.afterDays(180, TOKYO).expiresAt(midnight))
                    .isEqualTo(Instant.parse("2026-09-29T15:00:00Z"));
        }

        @Test
        void aCreditEarlyInTheTokyoMorningIsStillThePreviousUtcDay() {
            // 1 April 01:00 in Tokyo is 31 March in UTC: the zone decides which day it was.
            Instant earlyMorning = Instant.parse("2026-03-31T16:00:00Z");
            assertThat(ExpiryPolicy.afterDays(180, TOKYO).expiresAt(earlyMorning))
                    .isEqualTo(Instant.parse("2026-09-28T15:00:00Z"));
            assertThat(ExpiryPolicy.afterDays(180, ZoneOffset.UTC).expiresAt(earlyMorning))
                    .isEqualTo(Instant.parse("2026-09-28T00:00:00Z"));
        }

        @Test
        void oneDayLeavesTheWholeNextDayToSpend() {
            assertThat(ExpiryPolicy.afterDays(1, TOKYO).expiresAt(Instant.parse("2026-04-01T00:00:00Z")))
                    .isEqualTo(Instant.parse("2026-04-02T15:00:00Z"));
        }

        @Test
        void countsAcrossTheLeapDay() {
            // 1 February 2028 (Tokyo) + 30 days is 2 March in a leap year; expiry is the start of 3 March.
            assertThat(ExpiryPolicy.afterDays(30, TOKYO).expiresAt(Instant.parse("2028-02-01T03:00:00Z")))
                    .isEqualTo(Instant.parse("2028-03-02T15:00:00Z"));
        }
    }

    @Nested
    class YearlyOn {
        final ExpiryPolicy fiscalYear = ExpiryPolicy.yearlyOn(FISCAL_YEAR_END, TOKYO);

        @Test
        void aCreditInJanuaryExpiresWhenTheFiscalYearEnds() {
            assertThat(fiscalYear.expiresAt(Instant.parse("2026-01-10T00:00:00Z")))
                    .isEqualTo(Instant.parse("2026-03-31T15:00:00Z"));
        }

        @Test
        void aCreditInTheLastSecondOfTheFiscalYearExpiresAtItsEnd() {
            // 31 March 23:59:59 Tokyo.
            assertThat(fiscalYear.expiresAt(Instant.parse("2026-03-31T14:59:59Z")))
                    .isEqualTo(Instant.parse("2026-03-31T15:00:00Z"));
        }

        @Test
        void aCreditOnTheLastValidDayExpiresThatNight() {
            // 31 March 09:00 Tokyo.
            assertThat(fiscalYear.expiresAt(Instant.parse("2026-03-31T00:00:00Z")))
                    .isEqualTo(Instant.parse("2026-03-31T15:00:00Z"));
        }

        @Test
        void aCreditAtTheStartOfTheFiscalYearLastsAYear() {
            // 1 April 00:00 Tokyo is still 31 March in UTC.
            assertThat(fiscalYear.expiresAt(Instant.parse("2026-03-31T15:00:00Z")))
                    .isEqualTo(Instant.parse("2027-03-31T15:00:00Z"));
            assertThat(fiscalYear.expiresAt(Instant.parse("2026-04-01T00:00:00Z")))
                    .isEqualTo(Instant.parse("2027-03-31T15:00:00Z"));
        }

        @Test
        void theZoneDecidesTheFiscalYear() {
            Instant t = Instant.parse("2026-03-31T15:00:00Z");
            assertThat(ExpiryPolicy.yearlyOn(FISCAL_YEAR_END, ZoneOffset.UTC).expiresAt(t))
                    .isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        }

        @Test
        void leapDayFallsBackToTheTwentyEighthInOtherYears() {
            ExpiryPolicy leap = ExpiryPolicy.yearlyOn(MonthDay.of(2, 29), TOKYO);
            assertThat(leap.expiresAt(Instant.parse("2027-01-01T00:00:00Z")))
                    .isEqualTo(Instant.parse("2027-02-28T15:00:00Z"));
            assertThat(leap.expiresAt(Instant.parse("2028-01-01T00:00:00Z")))
                    .isEqualTo(Instant.parse("2028-02-29T15:00:00Z"));
            assertThat(leap.expiresAt(Instant.parse("2027-03-01T00:00:00Z")))
                    .isEqualTo(Instant.parse("2028-02-29T15:00:00Z"));
        }

        @Test
        void nullsAreNamed() {
            assertThatThrownBy(() -> ExpiryPolicy.yearlyOn(null, TOKYO))
                    .isInstanceOf(NullPointerException.class).hasMessage("lastValidDay");
            assertThatThrownBy(() -> ExpiryPolicy.yearlyOn(FISCAL_YEAR_END, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("zone");
        }
    }

    @Nested
    class Never {
        @Test
        void neverExpires() {
            assertThat(ExpiryPolicy.never().expiresAt(Instant.parse("2026-04-01T00:00:00Z"))).isNull();
            assertThat(ExpiryPolicy.never().expiresAt(Instant.MAX)).isNull();
        }

        @Test
        void neverIsOneValue() {
            assertThat(ExpiryPolicy.never()).isSameAs(ExpiryPolicy.never());
        }
    }

    @Nested
    class Text {
        @Test
        void eachFormHasItsText() {
            assertThat(ExpiryPolicy.never()).hasToString("never");
            assertThat(ExpiryPolicy.afterDays(180, TOKYO)).hasToString("after-days:180:Asia/Tokyo");
            assertThat(ExpiryPolicy.yearlyOn(FISCAL_YEAR_END, TOKYO)).hasToString("yearly-on:--03-31:Asia/Tokyo");
        }

        @Test
        void neverRoundTrips() {
            assertThat(ExpiryPolicy.parse(ExpiryPolicy.never().toString())).isSameAs(ExpiryPolicy.never());
        }

        @Test
        void afterDaysRoundTrips() {
            ExpiryPolicy p = ExpiryPolicy.afterDays(180, TOKYO);
            assertThat(ExpiryPolicy.parse(p.toString())).isEqualTo(p);
            ExpiryPolicy utc = ExpiryPolicy.afterDays(36_500, ZoneOffset.UTC);
            assertThat(ExpiryPolicy.parse(utc.toString())).isEqualTo(utc);
        }

        @Test
        void yearlyOnRoundTrips() {
            ExpiryPolicy p = ExpiryPolicy.yearlyOn(FISCAL_YEAR_END, TOKYO);
            assertThat(ExpiryPolicy.parse(p.toString())).isEqualTo(p);
        }

        @Test
        void zonesWithColonsRoundTrip() {
            ExpiryPolicy p = ExpiryPolicy.yearlyOn(MonthDay.of(12, 31), ZoneOffset.ofHours(9));
            assertThat(p).hasToString("yearly-on:--12-31:+09:00");
            assertThat(ExpiryPolicy.parse(p.toString())).isEqualTo(p);
        }

        @Test
        void parsesTheDocumentedForms() {
            assertThat(ExpiryPolicy.parse("after-days:180:Asia/Tokyo")).isEqualTo(ExpiryPolicy.afterDays(180, TOKYO));
            assertThat(ExpiryPolicy.parse("yearly-on:--03-31:Asia/Tokyo"))
                    .isEqualTo(ExpiryPolicy.yearlyOn(FISCAL_YEAR_END, TOKYO));
        }

        @Test
        void junkIsRefused() {
            for (String junk : new String[] {"", "sometimes", "NEVER", "never:", "never:Asia/Tokyo",
                    "after-days", "after-days:180", "after-days:abc:Asia/Tokyo", "after-days:180:Mars/Olympus",
                    "yearly-on:--03-31", "yearly-on:03-31:Asia/Tokyo", "yearly-on:--02-30:Asia/Tokyo"}) {
                assertThatThrownBy(() -> ExpiryPolicy.parse(junk))
                        .as(junk)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("not an expiry policy: " + junk);
            }
        }

        @Test
        void outOfBoundsDaysAreRefusedWithTheReason() {
            assertThatThrownBy(() -> ExpiryPolicy.parse("after-days:0:Asia/Tokyo"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not an expiry policy: after-days:0:Asia/Tokyo")
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .cause().hasMessage("days must be between 1 and 36500: 0");
        }

        @Test
        void nullTextIsNamed() {
            assertThatThrownBy(() -> ExpiryPolicy.parse(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("text");
        }
    }
}
