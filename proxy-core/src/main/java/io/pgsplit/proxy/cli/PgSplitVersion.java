package io.pgsplit.proxy.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Reports the version Maven recorded in the jar, so it never drifts from the POM. */
final class PgSplitVersion implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/io.pgsplit/pgsplit-proxy-core/pom.properties";

    @Override
    public String[] getVersion() {
        try (InputStream in = PgSplitVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return new String[] {"pgsplit (development build)"};
            }
            Properties properties = new Properties();
            properties.load(in);
            return new String[] {"pgsplit " + properties.getProperty("version")};
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + POM_PROPERTIES, e);
        }
    }
}
