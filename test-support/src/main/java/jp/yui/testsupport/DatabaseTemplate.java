package jp.yui.testsupport;

import javax.sql.DataSource;

/**
 * Applies a schema to an empty database. {@link TestDatabase} runs it once per JVM per implementing class to
 * build a template database, and clones that template for every test class.
 *
 * <p>Implementations need a no-argument constructor (it may be private). {@link #initialize} must close every
 * connection it opens: PostgreSQL refuses to copy a database that has open connections. Connections it leaks
 * are terminated, with a warning, before the template is first cloned.
 */
public interface DatabaseTemplate {

    /**
     * Creates the schema, for example by running Flyway migrations.
     *
     * @param dataSource connections to the new, empty template database (encoding UTF8, collation and
     *     character type {@code C}) as the user that will own its tables; each call opens a new connection
     * @throws Exception if the schema cannot be applied; {@link TestDatabase#create} then fails for this
     *     template for the rest of the JVM's life
     */
    void initialize(DataSource dataSource) throws Exception;
}
