package io.pgsplit.proxy.cli;

import io.pgsplit.proxy.PgSplitBuild;
import picocli.CommandLine.IVersionProvider;

/** {@code pgsplit --version}. */
final class PgSplitVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = PgSplitBuild.version();
        return new String[] {PgSplitBuild.DEVELOPMENT.equals(version) ? "pgsplit (development build)" : "pgsplit " + version};
    }
}
