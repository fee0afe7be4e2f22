package io.pgsplit.proxy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code pgsplit demo}: a throwaway primary, replicas and proxy to try read/write splitting with psql or JDBC. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a local PostgreSQL primary with streaming replicas in a temporary directory and the "
                + "proxy in front of them; Ctrl-C stops everything and removes the directory.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "6432", description = "Proxy port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--replicas", defaultValue = "2", description = "Streaming replicas to start (default: ${DEFAULT-VALUE}).")
    private int replicas;

    @Option(names = "--admin-port", defaultValue = "9432",
            description = "Admin HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    private int adminPort;

    @Override
    public Integer call() throws Exception {
        requireInRange("--port", port, 1, 65535);
        requireInRange("--admin-port", adminPort, 1, 65535);
        requireInRange("--replicas", replicas, 0, 16);
        String taken = LoopbackPorts.firstTaken(port, "--port", adminPort, "--admin-port");
        if (taken != null) {
            spec.commandLine().getErr().println("error: " + taken);
            return ExitCode.USAGE; // before a cluster is started for nothing
        }
        try (ShutdownSignal shutdown = ShutdownSignal.install();
             DemoEnvironment demo = DemoEnvironment.start(replicas, port, OptionalInt.of(adminPort))) {
            printInstructions(demo, spec.commandLine().getOut());
            shutdown.await();
        }
        return ExitCode.OK;
    }

    private void requireInRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    option + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    private static void printInstructions(DemoEnvironment demo, PrintWriter out) {
        out.println();
        out.println("pgsplit demo is running. Servers:");
        demo.describeNodes().lines().forEach(line -> out.println("  " + line));
        out.println();
        out.println("Connect through the proxy:");
        out.println("  psql \"" + demo.psqlUrl() + "\"");
        out.println("  " + demo.jdbcUrl());
        out.println();
        out.println("See where a query ran (replicas answer reads, the primary answers writes):");
        out.println("  SELECT inet_server_port(), pg_is_in_recovery();");
        out.println("  SELECT * FROM " + DemoEnvironment.DEMO_TABLE + ";");
        out.println("  INSERT INTO " + DemoEnvironment.DEMO_TABLE + " (name) VALUES ('kiwi') "
                + "RETURNING inet_server_port(), pg_is_in_recovery();");
        out.println();
        out.println("Press Ctrl-C to stop the proxy and the cluster.");
        out.flush();
    }
}
