package io.pgsplit.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.cli.PgSplitCommand;
import io.pgsplit.proxy.config.ClientTlsConfig;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.HbaRule;
import io.pgsplit.proxy.config.ServerTlsConfig;
import io.pgsplit.proxy.config.HostPort;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.UserConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.pgsplit.testsupport.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** deploy/pgsplit.yaml and deploy/pgsplit.service are valid and agree with each other. */
class ExampleDeploymentTest {
    private static final Pattern TIMEOUT_STOP_SECONDS = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)s$");

    /** The example's certificate files, made for the test in a directory that stands for /etc/pgsplit/tls. */
    @TempDir
    static Path tlsDirectory;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates ca = TestCertificates.authority("example CA");
        TestCertificates.Issued proxy = ca.issueServer("pgsplit", List.of("pgsplit.internal"), List.of());
        proxy.writeChain(tlsDirectory.resolve("pgsplit.crt"));
        proxy.writeKeyPkcs8(tlsDirectory.resolve("pgsplit.key"));
        TestCertificates.Issued client = ca.issueClient("pgsplit_monitor");
        client.writeCertificate(tlsDirectory.resolve("pgsplit-client.crt"));
        client.writeKeyPkcs1(tlsDirectory.resolve("pgsplit-client.key"));
        ca.writeCertificate(tlsDirectory.resolve("pg-ca.crt"));
    }

    /** The example with its certificate directory pointing at the test's. */
    private static Path exampleWithTestCertificates() throws Exception {
        return Files.writeString(tlsDirectory.resolve("pgsplit.yaml"),
                DeployFiles.read(DeployFiles.CONFIG).replace("/etc/pgsplit/tls", tlsDirectory.toString()));
    }

    private static PgSplitConfig example(Map<String, String> environment) throws Exception {
        return ConfigLoader.parse(Files.readString(exampleWithTestCertificates()), "pgsplit.yaml", environment);
    }

    @Test
    void exampleConfigPassesCheckConfig() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine command = PgSplitCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(out));

        int exitCode = command.execute("check-config", exampleWithTestCertificates().toString());

        assertThat(exitCode).as(out.toString()).isZero();
        assertThat(out.toString()).contains("OK: ").contains("(3 servers, 2 users)").doesNotContain("warning:");
    }

    @Test
    void exampleConfigIsTlsEverywhereWithoutAPlainTextPassword() throws Exception {
        PgSplitConfig config = example(Map.of());

        assertThat(config.security().clientTls().mode()).isEqualTo(ClientTlsConfig.Mode.REQUIRE);
        assertThat(config.security().serverTls().mode()).isEqualTo(ServerTlsConfig.Mode.VERIFY_FULL);
        assertThat(config.security().serverTls().identity()).isPresent();
        assertThat(config.users()).noneMatch(UserConfig::hasPlainTextPassword);
        assertThat(config.health().password()).isEmpty();
        assertThat(config.security().authQuery()).hasValueSatisfying(query -> assertThat(query.password()).isEmpty());
        assertThat(config.security().hba()).allMatch(rule -> rule.type() == HbaRule.ConnectionType.HOSTSSL);
    }

    @Test
    void exampleConfigTakesItsVerifiersFromTheEnvironment() throws Exception {
        String verifier = "SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$"
                + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        PgSplitConfig config = example(Map.of("PGSPLIT_APP_VERIFIER", verifier, "PGSPLIT_TLS_DIR", tlsDirectory.toString()));

        assertThat(config.users().get(0).password()).isEqualTo(verifier);
    }

    @Test
    void exampleConfigKeepsTheAdminListenerOnLoopback() throws Exception {
        PgSplitConfig config = example(Map.of());

        assertThat(config.admin()).isEqualTo(Optional.of(new HostPort("127.0.0.1", 9432)));
    }

    @Test
    void systemdWaitsLongerThanTheGracefulShutdownBeforeKilling() throws Exception {
        Matcher timeout = TIMEOUT_STOP_SECONDS.matcher(DeployFiles.read(DeployFiles.SYSTEMD_UNIT));
        assertThat(timeout.find()).as("TimeoutStopSec=<n>s in the unit").isTrue();

        Duration shutdownTimeout = example(Map.of()).shutdownTimeout();

        assertThat(Duration.ofSeconds(Long.parseLong(timeout.group(1)))).isGreaterThan(shutdownTimeout.plusSeconds(5));
    }

    @Test
    void systemdUnitRunsTheJarWithTheConfigAndReloadsOnSighup() throws Exception {
        List<String> lines = DeployFiles.read(DeployFiles.SYSTEMD_UNIT).lines().toList();

        assertThat(lines).contains(
                "Type=simple",
                "User=pgsplit",
                "ExecStart=/usr/bin/java -jar /opt/pgsplit/pgsplit.jar --config /etc/pgsplit/pgsplit.yaml",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "KillSignal=SIGTERM",
                "Restart=on-failure",
                "NoNewPrivileges=yes",
                "ProtectSystem=strict",
                "ProtectHome=yes",
                "PrivateTmp=yes");
        assertThat(lines).anyMatch(line -> line.startsWith("LimitNOFILE="));
    }
}
