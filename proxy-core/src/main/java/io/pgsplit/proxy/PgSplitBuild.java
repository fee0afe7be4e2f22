package io.pgsplit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven recorded in the jar, so that it never drifts from the POM. */
public final class PgSplitBuild {
    public static final String DEVELOPMENT = "development build";
    private static final String POM_PROPERTIES = "/META-INF/maven/io.pgsplit/pgsplit-proxy-core/pom.properties";
    private static final String VERSION = read();

    private PgSplitBuild() {
    }

    /** For example {@code 0.1.0}; {@link #DEVELOPMENT} when running from classes rather than the jar. */
    public static String version() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = PgSplitBuild.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return DEVELOPMENT;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", DEVELOPMENT);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + POM_PROPERTIES, e);
        }
    }
}
