package io.pgsplit.proxy.cli;

import io.pgsplit.health.MonitorConnections;
import io.pgsplit.health.ProbeCredentials;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.analyze.Dsn;
import io.pgsplit.proxy.analyze.OffloadAnalyzer;
import io.pgsplit.proxy.analyze.OffloadEstimate;
import io.pgsplit.proxy.analyze.OffloadReport;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.ServerConfig;
import io.pgsplit.proxy.config.UserConfig;
import io.pgsplit.router.RouterSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgsplit analyze --dsn URI | --config FILE}: what pgsplit would send to replicas and to the primary, from a
 * database's pg_stat_statements, before pgsplit is deployed. Only reads.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Estimates the offload: routes every statement of pg_stat_statements with pgsplit's router and"
                + " the database's function catalog, and prints what would go to replicas and what to the primary.")
final class AnalyzeCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Source source;

    /** Exactly one of the two. */
    static final class Source {
        @Option(names = "--dsn", paramLabel = "URI",
                description = "postgresql://user[:password]@host[:port]/database (else PGPASSWORD).")
        String dsn;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A pgsplit configuration: its first server and first user, and its routing settings.")
        Path config;
    }

    @Option(names = "--database", paramLabel = "NAME", description = "With --config: the database (default: the user's name).")
    private String database;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    private boolean json;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "How many primary statements to list (default: ${DEFAULT-VALUE}).")
    private int top;

    @Override
    public Integer call() throws Exception {
        Target target = source.dsn != null ? fromDsn() : fromConfig();
        OffloadEstimate estimate;
        try (Connection connection = MonitorConnections.open(target.server(), "pgsplit-analyze", target.login(),
                target.login().database(), TIMEOUT)) {
            estimate = OffloadAnalyzer.analyze(connection, target.login().database(), target.settings(), target.catalog(),
                    top);
        }
        spec.commandLine().getOut().print(json ? OffloadReport.json(estimate) + System.lineSeparator()
                : OffloadReport.text(estimate));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /** Where to connect, as whom, and how to route. */
    private record Target(ServerAddress server, ProbeCredentials login, RouterSettings settings, boolean catalog) {
    }

    private Target fromDsn() {
        Dsn dsn;
        try {
            dsn = Dsn.parse(source.dsn, System.getenv("PGPASSWORD"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dsn: " + e.getMessage());
        }
        return new Target(new ServerAddress("analyzed", dsn.host(), dsn.port()),
                new ProbeCredentials(dsn.user(), dsn.password(), dsn.database()), RouterSettings.defaults(), true);
    }

    private Target fromConfig() throws Exception {
        PgSplitConfig config = ConfigLoader.load(source.config);
        ServerConfig server = config.servers().get(0);
        if (config.users().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--config: the configuration lists no user");
        }
        UserConfig user = config.users().get(0);
        String password = user.hasPlainTextPassword() ? user.password() : System.getenv("PGPASSWORD");
        return new Target(new ServerAddress(server.name(), server.host(), server.port()),
                new ProbeCredentials(user.name(), password, database == null ? user.name() : database),
                PgSplitServer.routerSettings(config.routing()), config.routing().catalog());
    }
}
