package jp.yui.testsupport;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link PostgresTest}: one {@link TestDatabase} per annotated class, created on the
 * first parameter that asks for it and closed after the class's last test.
 */
public final class PostgresExtension implements ParameterResolver, AfterAllCallback {

    private static final String KEY = "database";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = database(context);
        return parameter.getParameter().getType() == TestDatabase.class ? database : database.dataSource();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (annotation(context).isPresent()) {
            TestDatabase database = store(context).remove(KEY, TestDatabase.class);
            if (database != null) {
                database.close();
            }
        }
    }

    /** The database of the nearest enclosing context whose class carries {@link PostgresTest}. */
    private static TestDatabase database(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<PostgresTest> annotation = annotation(c);
            if (annotation.isPresent()) {
                Class<? extends DatabaseTemplate> template = annotation.get().template();
                return store(c)
                        .getOrComputeIfAbsent(KEY, key -> TestDatabase.create(template), TestDatabase.class);
            }
        }
        throw new ExtensionConfigurationException(
                "no @PostgresTest class encloses " + context.getUniqueId() + "; annotate the test class");
    }

    /**
     * The annotated class's own store. Stores inherit their parents' values, so the class is in the namespace:
     * an annotated {@code @Nested} class then does not find its enclosing class's database.
     */
    private static ExtensionContext.Store store(ExtensionContext classContext) {
        return classContext.getStore(
                ExtensionContext.Namespace.create(PostgresExtension.class, classContext.getRequiredTestClass()));
    }

    /** The annotation on this context's own class; a method context has none, so the class context is found. */
    private static Optional<PostgresTest> annotation(ExtensionContext context) {
        Optional<AnnotatedElement> element = context.getElement();
        if (element.isEmpty() || !(element.get() instanceof Class)) {
            return Optional.empty();
        }
        return AnnotationSupport.findAnnotation(element.get(), PostgresTest.class);
    }
}
