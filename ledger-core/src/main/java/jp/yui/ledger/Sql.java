package jp.yui.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Row mapping and parameter helpers for the PostgreSQL store. */
final class Sql {
    private Sql() {
    }

    static final String ACCOUNT = "region_id, account_id, asset_code, normal_side, flags, ceiling, label, "
            + "debits_posted, credits_posted, debits_pending, credits_pending, version";
    static final String TRANSFER = "region_id, transfer_id, seq, batch_seq, kind, debit_account_id, credit_account_id, "
            + "asset_code, amount, pending_id, reversal_of, timeout_at, reason, metadata::text, lot_source, "
            + "lot_expires_at, linked, created_at";
    static final String HOLD = "region_id, pending_id, debit_account_id, credit_account_id, amount, timeout_at, status, "
            + "posted_amount, resolved_at";
    static final String LOT = "region_id, lot_id, account_id, source, amount, remaining, created_at, expires_at, "
            + "transfer_id";

    static Account account(ResultSet rs) throws SQLException {
        Set<AccountFlag> flags = EnumSet.noneOf(AccountFlag.class);
        for (String f : (String[]) rs.getArray(5).getArray()) {
            flags.add(AccountFlag.valueOf(f));
        }
        long ceiling = rs.getLong(6);
        Long ceilingOrNull = rs.wasNull() ? null : ceiling;
        return new Account(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), side(rs.getString(4)), flags,
                ceilingOrNull, rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                rs.getLong(12));
    }

    static Transfer transfer(ResultSet rs) throws SQLException {
        String metadata = rs.getString(14);
        return new Transfer(rs.getLong(1), rs.getObject(2, UUID.class), rs.getLong(3), rs.getLong(4),
                TransferKind.valueOf(rs.getString(5)), rs.getObject(6, UUID.class), rs.getObject(7, UUID.class),
                rs.getString(8), rs.getLong(9), rs.getObject(10, UUID.class), rs.getObject(11, UUID.class),
                instant(rs, 12), rs.getString(13), metadata == null ? Map.of() : Metadata.parse(metadata),
                rs.getString(15), instant(rs, 16), rs.getBoolean(17), instant(rs, 18));
    }

    static HoldState hold(ResultSet rs) throws SQLException {
        return new HoldState(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getObject(4, UUID.class), rs.getLong(5), instant(rs, 6), HoldStatus.valueOf(rs.getString(7)),
                rs.getLong(8), instant(rs, 9));
    }

    static LotState lot(ResultSet rs) throws SQLException {
        return new LotState(rs.getLong(1), rs.getLong(2), rs.getObject(3, UUID.class), rs.getString(4), rs.getLong(5),
                rs.getLong(6), instant(rs, 7), instant(rs, 8), rs.getObject(9, UUID.class));
    }

    static Side side(String code) {
        return "D".equals(code) ? Side.DEBIT : Side.CREDIT;
    }

    static String code(Side side) {
        return side == Side.DEBIT ? "D" : "C";
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Beyond what PostgreSQL's timestamptz holds, an instant is sent as infinity (or -infinity). */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final Instant EARLIEST = Instant.parse("-4000-01-01T00:00:00Z");

    static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else if (t.isAfter(LATEST)) {
            ps.setObject(index, OffsetDateTime.MAX);
        } else if (t.isBefore(EARLIEST)) {
            ps.setObject(index, OffsetDateTime.MIN);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC));
        }
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    /**
     * An array in PostgreSQL's text form, bound as a parameter of unspecified type and cast in the SQL
     * ({@code ?::uuid[]}). Built here because the driver's generic array encoding escapes every character of every
     * element one by one, which cost a third of the writer's time on big batches.
     */
    record Literal(String text) {
    }

    static Literal uuidArray(UUID[] ids) {
        StringBuilder sb = new StringBuilder(2 + ids.length * 37);
        sb.append('{');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i] == null ? "NULL" : ids[i].toString());
        }
        return new Literal(sb.append('}').toString());
    }

    /** Texts, each quoted (backslash and double quote escaped); null elements are NULL. */
    static Literal textArray(String[] values) {
        StringBuilder sb = new StringBuilder(2 + values.length * 16);
        sb.append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values[i];
            if (v == null) {
                sb.append("NULL");
                continue;
            }
            sb.append('"');
            for (int k = 0; k < v.length(); k++) {
                char ch = v.charAt(k);
                if (ch == '"' || ch == '\\') {
                    sb.append('\\');
                }
                sb.append(ch);
            }
            sb.append('"');
        }
        return new Literal(sb.append('}').toString());
    }

    /** Instants in ISO-8601 (as {@link #text(Instant)}), for a {@code timestamptz[]}; null elements are NULL. */
    static Literal instantArray(Instant[] values) {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = text(values[i]);
        }
        return textArray(texts);
    }

    /** Binds ids as a {@code uuid[]} parameter; the SQL casts it ({@code ?::uuid[]}). */
    static void setUuids(PreparedStatement ps, int index, Collection<UUID> ids) throws SQLException {
        ps.setObject(index, uuidArray(ids.toArray(new UUID[0])).text(), Types.OTHER);
    }

    static Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray(new UUID[0]));
    }

    static Array uuidArray(Connection c, UUID[] ids) throws SQLException {
        return c.createArrayOf("uuid", ids);
    }

    static Array longs(Connection c, Long[] values) throws SQLException {
        return c.createArrayOf("bigint", values);
    }

    static Array texts(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    static Array flags(Connection c, Set<AccountFlag> flags) throws SQLException {
        return c.createArrayOf("text", flags.stream().sorted().map(Enum::name).toArray(String[]::new));
    }
}
