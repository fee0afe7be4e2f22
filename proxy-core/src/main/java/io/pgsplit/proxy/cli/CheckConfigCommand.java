package io.pgsplit.proxy.cli;

import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pgsplit check-config FILE}: validates a configuration without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validates a configuration file; exits 2 naming the first bad key.")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "YAML configuration to check.")
    private Path configFile;

    @Override
    public Integer call() throws Exception {
        PgSplitConfig config = ConfigLoader.load(configFile);
        spec.commandLine().getOut().printf("OK: %s (%d servers, %d users)%n",
                configFile, config.servers().size(), config.users().size());
        return ExitCode.OK;
    }
}
