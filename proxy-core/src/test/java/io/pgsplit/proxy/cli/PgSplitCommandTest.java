package io.pgsplit.proxy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class PgSplitCommandTest {
    private static final String VALID = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 55432 }
              - { name: pg2, host: 127.0.0.1, port: 55433 }
              - { name: pg3, host: 127.0.0.1, port: 55434 }
            users:
              - { name: app, password: app }
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return run(PgSplitCommand.commandLine(), args);
    }

    private int run(CommandLine commandLine, String... args) {
        return commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("pgsplit.yaml"), yaml);
    }

    @Test
    void checkConfigPrintsOkWithTheCountsAndExitsZero() throws IOException {
        Path file = write(VALID);

        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).endsWith("OK: " + file + " (3 servers, 1 users)" + System.lineSeparator())
                .doesNotContain("warning");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkConfigSaysWhatSessionModeNeedsOfTheServersItDidNotAsk() throws IOException {
        Path file = write(VALID + "limits: { max_client_connections: 500 }\n");

        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).contains("note: session mode: every server that may become the primary needs"
                + " max_connections of at least 502 plus its reserved connections").contains("--connect");
    }

    @Test
    void checkConfigWarnsThatAnEmptyWriteFunctionListSendsNextvalAndSetConfigToReplicas() throws IOException {
        Path file = write(VALID + "routing: { write_functions: [] }\n");

        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).contains("warning: routing.write_functions leaves out ")
                .contains("nextval").contains("set_config").contains("routing.extra_write_functions")
                .contains("OK: " + file);
    }

    @Test
    void checkConfigDoesNotWarnWhenWriteFunctionsOnlyGrow() throws IOException {
        Path file = write(VALID + "routing: { extra_write_functions: [audit_log] }\n");

        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).doesNotContain("warning");
    }

    @Test
    void checkConfigRefusesAnAdminAddressEqualToListenNamingTheKey() throws IOException {
        Path file = write(VALID + "admin: 127.0.0.1:6432\n");

        assertThat(run("check-config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("admin: must not be the address clients connect to (listen: 127.0.0.1:6432)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void checkConfigRefusesAnAdminAddressOnTheListenPortOfTheWildcardAddress() throws IOException {
        Path file = write(VALID.replace("listen: 127.0.0.1:6432", "listen: 0.0.0.0:6432") + "admin: 127.0.0.1:6432\n");

        assertThat(run("check-config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("admin: must not be the address clients connect to");
    }

    @Test
    void demoWithItsPortTakenSaysSoInOneLineNamingTheAddressAndPortOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThat(run("demo", "--port", Integer.toString(port))).isNotZero();

            assertThat(err.toString()).isEqualTo("error: 127.0.0.1:" + port + " is already in use; choose another port"
                    + " with --port (e.g. --port " + (port + 1) + ")" + System.lineSeparator());
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void checkConfigNamesTheBadKeyOnStderrAndExitsTwo() throws IOException {
        Path file = write(VALID.replace("port: 55433", "port: 70000"));

        assertThat(run("check-config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("servers[1].port: must be between 1 and 65535");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void checkConfigReportsAMissingFileAsAConfigError() {
        Path missing = dir.resolve("absent.yaml");

        assertThat(run("check-config", missing.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(missing + ": file not found");
    }

    @Test
    void checkConfigWithoutAFileIsAUsageError() {
        assertThat(run("check-config")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void runningWithoutConfigOrSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
    }

    @Test
    void runningWithABadConfigExitsTwoBeforeStartingAnything() throws IOException {
        Path file = write(VALID + "health: { intervall: 1s }\n");

        assertThat(run("--config", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("health.intervall: unknown key");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void demoRejectsAnOutOfRangePortBeforeStartingAnything() {
        assertThat(run("demo", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be between 1 and 65535, not 70000");
    }

    @Test
    void printsVersionAndHelp() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("pgsplit ");

        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--config=FILE", "check-config", "demo");
    }

    @Test
    void aRuntimeFailureExitsOne() {
        CommandLine failing = new CommandLine(new FailingCommand())
                .setExecutionExceptionHandler(new CommandFailureHandler());

        assertThat(run(failing)).isEqualTo(1);
        assertThat(err.toString()).contains("error: java.io.IOException: backend unreachable");
    }

    @Command(name = "failing")
    static final class FailingCommand implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            throw new IOException("backend unreachable");
        }
    }
}
