package jp.yui.server.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;

/**
 * A report's query parameters: business dates in the town's zone, periods, the output format. Every refusal is a 400
 * {@code validation} problem whose detail names the parameter and the value.
 *
 * <p>"At a date" means at the end of that business day: the instant the next day starts in the town's zone. A
 * period {@code from}–{@code to} covers both days whole: {@code [start of from, start of the day after to)}.
 */
final class ReportQuery {

    /** The longest period a report covers, in days (both ends counted): a year and a bit, so a fiscal year fits. */
    static final int MAX_DAYS = 400;

    private ReportQuery() {
    }

    /** How a report is answered. */
    enum Format {
        JSON, CSV;

        /**
         * {@code json} (also when absent) or {@code csv}, in any case.
         *
         * @throws ProblemException 400 {@code validation} for anything else
         */
        static Format parse(String text) {
            if (text == null || text.isBlank()) {
                return JSON;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "csv" -> CSV;
                default -> throw invalid("format must be json or csv: " + text);
            };
        }
    }

    /**
     * A period of whole business days, both ends included.
     *
     * @param from the first day
     * @param to   the last day, not before {@code from}
     */
    record Period(LocalDate from, LocalDate to) {
        Period {
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
        }

        /** The first instant of the period in the zone. */
        Instant start(ZoneId zone) {
            return startOf(from, zone);
        }

        /** The first instant after the period in the zone (the start of the day after {@code to}). */
        Instant end(ZoneId zone) {
            return endOf(to, zone);
        }

        long days() {
            return ChronoUnit.DAYS.between(from, to) + 1;
        }
    }

    /**
     * A date parameter.
     *
     * @param fallback the date when the parameter is absent or blank
     * @throws ProblemException 400 {@code validation} if it is not an ISO date ({@code 2027-03-31}) of the years 2000
     *                          to 2199
     */
    static LocalDate date(String name, String text, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        LocalDate d;
        try {
            d = LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be a date like 2027-03-31: " + text);
        }
        // Beyond these years a date is a typo, and beyond PostgreSQL's range a 500.
        if (d.getYear() < 2000 || d.getYear() > 2199) {
            throw invalid(name + " must fall in the years 2000 to 2199: " + d);
        }
        return d;
    }

    /**
     * A period from the {@code from} and {@code to} parameters. Absent, {@code to} is today and {@code from} the first
     * day of {@code to}'s month.
     *
     * @throws ProblemException 400 {@code validation} for a bad date, {@code from} after {@code to}, or more than
     *                          {@value #MAX_DAYS} days
     */
    static Period period(String fromText, String toText, LocalDate today) {
        LocalDate to = date("to", toText, today);
        LocalDate from = date("from", fromText, to.withDayOfMonth(1));
        if (from.isAfter(to)) {
            throw invalid("from " + from + " is after to " + to);
        }
        Period p = new Period(from, to);
        if (p.days() > MAX_DAYS) {
            throw invalid("the period " + from + " to " + to + " covers " + p.days() + " days; at most " + MAX_DAYS
                    + " are allowed");
        }
        return p;
    }

    /** The first instant of a business day in the zone. */
    static Instant startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** The end of a business day: the first instant of the next day in the zone. */
    static Instant endOf(LocalDate day, ZoneId zone) {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /**
     * The latest reference date of the Payment Services Act (31 March or 30 September) that is not after
     * {@code today}.
     */
    static LocalDate latestReferenceDate(LocalDate today) {
        LocalDate september = LocalDate.of(today.getYear(), 9, 30);
        if (!september.isAfter(today)) {
            return september;
        }
        LocalDate march = LocalDate.of(today.getYear(), 3, 31);
        if (!march.isAfter(today)) {
            return march;
        }
        return LocalDate.of(today.getYear() - 1, 9, 30);
    }

    /** The region as reports name it. */
    static ReportApi.Region region(Regions.RegionRow r) {
        return new ReportApi.Region(r.regionId(), r.name(), r.zone().getId());
    }

    static ProblemException invalid(String detail) {
        return Problems.badRequest("validation", "Invalid request", detail);
    }
}
