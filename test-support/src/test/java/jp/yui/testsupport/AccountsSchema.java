package jp.yui.testsupport;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A small schema with a table, a sequence-backed key and a user trigger; counts how often it is applied. */
final class AccountsSchema implements DatabaseTemplate {

    static final AtomicInteger INITIALIZATIONS = new AtomicInteger();

    private AccountsSchema() {}

    @Override
    public void initialize(DataSource dataSource) throws Exception {
        INITIALIZATIONS.incrementAndGet();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE account ("
                    + " region_id int NOT NULL,"
                    + " id bigint GENERATED ALWAYS AS IDENTITY,"
                    + " name text NOT NULL,"
                    + " PRIMARY KEY (region_id, id))");
            statement.execute("CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN RAISE EXCEPTION 'account rows are append-only'; END $$");
            statement.execute("CREATE TRIGGER account_append_only BEFORE UPDATE ON account"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_update()");
            statement.execute("INSERT INTO account (region_id, name) VALUES (1, 'seed')");
        }
    }
}
