package jp.yui.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class a PostgreSQL database of its own, cloned from {@link #template()}, and drops it
 * after the class's last test.
 *
 * <p>Constructors, lifecycle methods ({@code @BeforeAll} included) and test methods may declare parameters of
 * type {@link TestDatabase} or {@link javax.sql.DataSource}; all of them, in one class and in its
 * {@code @Nested} classes, see the same database. A {@code @Nested} class annotated itself gets its own.
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {

    /** The schema every database of this class starts from. */
    Class<? extends DatabaseTemplate> template();
}
