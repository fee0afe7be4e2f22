package io.pgsplit.proxy.cli;

import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.config.ConfigException;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pgsplit --config FILE}: runs the proxy until SIGINT or SIGTERM. Exit codes: 0 ok, 1 failure, 2 usage. */
@Command(name = "pgsplit", mixinStandardHelpOptions = true, versionProvider = PgSplitVersion.class,
        description = "PostgreSQL read/write splitting proxy.",
        subcommands = {CheckConfigCommand.class, DemoCommand.class, AnalyzeCommand.class})
public final class PgSplitCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(PgSplitCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration to run the proxy with.")
    private Path configFile;

    @Option(names = "--watch", description = "Reload the configuration when the file changes (SIGHUP always reloads).")
    private boolean watch;

    /** Set while --watch is on, so that reloads watch the certificate files they name. */
    private volatile ReloadTriggers reloads;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with pgsplit's failure handling; {@link #main} and tests both use it. */
    public static CommandLine commandLine() {
        return new CommandLine(new PgSplitCommand()).setExecutionExceptionHandler(new CommandFailureHandler());
    }

    @Override
    public Integer call() throws Exception {
        if (configFile == null) {
            // Not declared required: picocli would then demand it for the subcommands too.
            throw new ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        PgSplitConfig config = ConfigLoader.load(configFile);
        try (ShutdownSignal shutdown = ShutdownSignal.install(); PgSplitServer server = PgSplitServer.start(config, configFile);
             ReloadTriggers reloads = ReloadTriggers.install(() -> reload(server))) {
            if (watch) {
                reloads.watching(configFile);
                watchTlsFiles(reloads, config);
                this.reloads = reloads;
            }
            log.info("pgsplit listening on {} in front of {} servers", server.listenAddress(), config.servers().size());
            shutdown.await();
            server.shutdown(server.context().config().shutdownTimeout());
        }
        return ExitCode.OK;
    }

    /** Certificates are rotated in place: with --watch a new one triggers a reload as the config file does. */
    private static void watchTlsFiles(ReloadTriggers reloads, PgSplitConfig config) throws IOException {
        for (Path file : config.security().tlsFiles()) {
            reloads.watching(file);
        }
    }

    /** Reads the file again; a config with any error is rejected whole and the running one stays. */
    private void reload(PgSplitServer server) {
        try {
            PgSplitConfig next = ConfigLoader.load(configFile);
            server.reload(next);
            if (reloads != null) {
                watchTlsFiles(reloads, next);
            }
        } catch (IOException e) {
            log.warn("cannot watch the certificate files of the new configuration: {}", e.toString());
        } catch (ConfigException e) {
            server.reloadRejected(e.getMessage());
        } catch (RuntimeException e) {
            server.reloadRejected(e.toString());
        }
    }
}
