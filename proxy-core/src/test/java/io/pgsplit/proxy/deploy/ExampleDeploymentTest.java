package io.pgsplit.proxy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.cli.PgSplitCommand;
import io.pgsplit.proxy.config.ConfigLoader;
import io.pgsplit.proxy.config.HostPort;
import io.pgsplit.proxy.config.PgSplitConfig;
import io.pgsplit.proxy.config.UserConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** deploy/pgsplit.yaml and deploy/pgsplit.service are valid and agree with each other. */
class ExampleDeploymentTest {
    private static final Pattern TIMEOUT_STOP_SECONDS = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)s$");

    @Test
    void exampleConfigPassesCheckConfig() {
        StringWriter out = new StringWriter();
        CommandLine command = PgSplitCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(out));

        int exitCode = command.execute("check-config", DeployFiles.CONFIG.toString());

        assertThat(exitCode).as(out.toString()).isZero();
        assertThat(out.toString()).startsWith("OK: ").contains("(3 servers, 2 users)");
    }

    @Test
    void exampleConfigTakesItsSecretsFromTheEnvironment() throws Exception {
        Map<String, String> environment = Map.of(
                "PGSPLIT_APP_PASSWORD", "app-secret",
                "PGSPLIT_REPORTING_PASSWORD", "reporting-secret",
                "PGSPLIT_MONITOR_PASSWORD", "monitor-secret");

        PgSplitConfig config = ConfigLoader.parse(DeployFiles.read(DeployFiles.CONFIG), "pgsplit.yaml", environment);

        assertThat(config.users()).extracting(UserConfig::password).containsExactly("app-secret", "reporting-secret");
        assertThat(config.health().password()).isEqualTo("monitor-secret");
    }

    @Test
    void exampleConfigKeepsTheAdminListenerOnLoopback() throws Exception {
        PgSplitConfig config = ConfigLoader.load(DeployFiles.CONFIG);

        assertThat(config.admin()).isEqualTo(Optional.of(new HostPort("127.0.0.1", 9432)));
    }

    @Test
    void systemdWaitsLongerThanTheGracefulShutdownBeforeKilling() throws Exception {
        Matcher timeout = TIMEOUT_STOP_SECONDS.matcher(DeployFiles.read(DeployFiles.SYSTEMD_UNIT));
        assertThat(timeout.find()).as("TimeoutStopSec=<n>s in the unit").isTrue();

        Duration shutdownTimeout = ConfigLoader.load(DeployFiles.CONFIG).shutdownTimeout();

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
