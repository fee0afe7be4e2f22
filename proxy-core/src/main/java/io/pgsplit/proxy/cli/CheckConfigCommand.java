package io.pgsplit.proxy.cli;

import io.pgsplit.proxy.ServerCapacities;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.ConfigWarnings;
import io.pgsplit.proxy.config.ConnectionBudget;
import io.pgsplit.proxy.config.PgSplitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code pgsplit check-config FILE}: validates a configuration without starting anything; prints what is valid but
 * likely a mistake as warnings (exit 0 still). With {@code --connect} it also asks each server for its
 * {@code max_connections}, with the health login, to check that session mode fits.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validates a configuration file; exits 2 naming the first bad key, prints warnings otherwise.")
final class CheckConfigCommand implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "YAML configuration to check.")
    private Path configFile;

    @Option(names = "--connect", description = "Also read each server's max_connections (with the health login) "
            + "and warn when session mode could exhaust it.")
    private boolean connect;

    @Override
    public Integer call() throws Exception {
        PgSplitConfig config = ConfigLoader.load(configFile);
        PrintWriter out = spec.commandLine().getOut();
        for (String warning : ConfigWarnings.of(config)) {
            out.println("warning: " + warning);
        }
        if (connect) {
            ServerCapacities.check(config, CONNECT_TIMEOUT).forEach(line -> out.println("warning: " + line));
        } else {
            ConnectionBudget.requirement(config)
                    .ifPresent(note -> out.println("note: " + note + "; --connect checks the servers"));
        }
        out.printf("OK: %s (%d servers, %d users)%n", configFile, config.servers().size(), config.users().size());
        return ExitCode.OK;
    }
}
