package io.pgsplit.proxy.config;

import io.pgsplit.router.RouterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    static final String EXAMPLE = """
            listen: 127.0.0.1:6432
            admin: 127.0.0.1:9432          # HTTP admin listener (used later); optional
            servers:
              - { name: pg1, host: 127.0.0.1, port: 55432 }
              - { name: pg2, host: 127.0.0.1, port: 55433 }
              - { name: pg3, host: 127.0.0.1, port: 55434 }
            users:
              - { name: app, password: app }   # `${ENV_VAR}` substitution allowed
            health:
              interval: 500ms
            """;

    private static final String MINIMAL = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 55432 }
            users:
              - { name: app, password: secret }
            """;

    private static PgSplitConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of());
    }

    private static PgSplitConfig parse(String yaml, Map<String, String> environment) throws ConfigException {
        return ConfigLoader.parse(yaml, "test.yaml", environment);
    }

    @Test
    void loadsTheDocumentedExampleFromAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pgsplit.yaml"), EXAMPLE);

        PgSplitConfig config = ConfigLoader.load(file);

        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(config.admin()).contains(new HostPort("127.0.0.1", 9432));
        assertThat(config.servers()).containsExactly(
                new ServerConfig("pg1", "127.0.0.1", 55432),
                new ServerConfig("pg2", "127.0.0.1", 55433),
                new ServerConfig("pg3", "127.0.0.1", 55434));
        assertThat(config.users()).containsExactly(new UserConfig("app", "app"));
        assertThat(config.user("app")).contains(new UserConfig("app", "app"));
        assertThat(config.user("nobody")).isEmpty();
        assertThat(config.health().interval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void appliesEveryDefault() throws Exception {
        PgSplitConfig config = parse("""
                listen: 127.0.0.1:6432
                servers:
                  - { name: pg1, host: db.local }
                users:
                  - { name: app, password: secret }
                """);

        assertThat(config.admin()).isEmpty();
        assertThat(config.authType()).isEqualTo(AuthType.SCRAM_SHA_256);
        assertThat(config.servers()).containsExactly(new ServerConfig("pg1", "db.local", 5432));
        assertThat(config.health()).isEqualTo(new HealthConfig(Duration.ofMillis(500), Duration.ofSeconds(1), 3, 2,
                HealthConfig.NO_LAG_LIMIT, Optional.empty(), "app", "secret", "postgres"));
        assertThat(config.routing()).isEqualTo(new RoutingConfig(
                List.copyOf(new TreeSet<>(RouterSettings.DEFAULT_WRITE_FUNCTIONS)), 10_000, Duration.ofSeconds(1)));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(64 << 20, 1000, Duration.ofSeconds(5)));
    }

    @Test
    void readsEveryExplicitSetting() throws Exception {
        PgSplitConfig config = parse("""
                listen: "[::1]:0"
                admin: localhost:9432
                auth_type: md5
                servers:
                  - { name: pg1, host: 127.0.0.1, port: 55432 }
                users:
                  - { name: app, password: app }
                  - { name: report, password: r3port }
                health:
                  interval: 2s
                  timeout: 250
                  fall: 5
                  rise: 4
                  max_replica_lag: [16MB, 5s]
                  user: monitor
                  password: m0nitor
                  database: template1
                routing:
                  classifier_cache_size: 0
                  parse_timeout: 2m
                limits:
                  max_message_size: 512kB
                  max_client_connections: 20
                  connect_timeout: 1h
                """);

        assertThat(config.listen()).isEqualTo(new HostPort("::1", 0));
        assertThat(config.authType()).isEqualTo(AuthType.MD5);
        assertThat(config.users()).extracting(UserConfig::name).containsExactly("app", "report");
        assertThat(config.health()).isEqualTo(new HealthConfig(Duration.ofSeconds(2), Duration.ofMillis(250), 5, 4,
                16L << 20, Optional.of(Duration.ofSeconds(5)), "monitor", "m0nitor", "template1"));
        assertThat(config.routing().classifierCacheSize()).isZero();
        assertThat(config.routing().parseTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.limits()).isEqualTo(new LimitsConfig(512 << 10, 20, Duration.ofHours(1)));
    }

    @Test
    void readsAReplicaLagScalarAsSizeOrDuration() throws Exception {
        assertThat(parse(MINIMAL + "health: { max_replica_lag: 1048576 }").health())
                .extracting(HealthConfig::maxReplicaLagBytes, HealthConfig::maxReplicaLagTime)
                .containsExactly(1_048_576L, Optional.empty());
        assertThat(parse(MINIMAL + "health: { max_replica_lag: 10m }").health())
                .extracting(HealthConfig::maxReplicaLagBytes, HealthConfig::maxReplicaLagTime)
                .containsExactly(HealthConfig.NO_LAG_LIMIT, Optional.of(Duration.ofMinutes(10)));
    }

    @Test
    void readsTheLimitOfPreparedStatementsPerServerConnection() throws Exception {
        assertThat(parse(MINIMAL).pool().maxPreparedStatementsPerConnection()).isEqualTo(200);
        assertThat(parse(MINIMAL + "pool: { max_prepared_statements_per_connection: 50 }").pool()
                .maxPreparedStatementsPerConnection()).isEqualTo(50);
        assertThatThrownBy(() -> parse(MINIMAL + "pool: { max_prepared_statements_per_connection: 0 }"))
                .isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("key", "pool.max_prepared_statements_per_connection");
    }

    @Test
    void rejectsTwoReplicaLagLimitsOfTheSameKind() {
        assertThatThrownBy(() -> parse(MINIMAL + "health: { max_replica_lag: [1MB, 2MB] }"))
                .isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("key", "health.max_replica_lag[1]")
                .hasMessageContaining("at most one size and one duration");
        assertThatThrownBy(() -> parse(MINIMAL + "health: { max_replica_lag: fast }"))
                .hasMessage("health.max_replica_lag: must be a size like 16MB or a duration like 5s (got 'fast')");
    }

    @Test
    void healthLoginDefaultsToTheNamedUsersPassword() throws Exception {
        PgSplitConfig config = parse(MINIMAL.replace("users:\n", "users:\n  - { name: monitor, password: m0n }\n")
                + "health: { user: app }");

        assertThat(config.health().user()).isEqualTo("app");
        assertThat(config.health().password()).isEqualTo("secret");
    }

    @Test
    void requiresAHealthPasswordWhenTheHealthUserHasNone() {
        assertThatThrownBy(() -> parse(MINIMAL + "health: { user: monitor }"))
                .hasMessage("health.password: is required because health user 'monitor' is not in users");

        String scramUser = MINIMAL.replace("password: secret", "password: " + ScramVerifiers.EXAMPLE);
        assertThatThrownBy(() -> parse(scramUser))
                .hasMessageStartingWith("health.password: is required because user 'app' is configured with a SCRAM");
    }

    @Test
    void acceptsAScramVerifierAsPassword() throws Exception {
        String yaml = MINIMAL.replace("password: secret", "password: " + ScramVerifiers.EXAMPLE)
                + "health: { password: probe }";

        UserConfig user = parse(yaml).users().get(0);

        assertThat(user.hasScramVerifier()).isTrue();
        assertThat(user.password()).isEqualTo(ScramVerifiers.EXAMPLE);
    }

    @Test
    void rejectsAMalformedScramVerifier() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("password: secret", "password: SCRAM-SHA-256$4096:abc")))
                .hasMessageStartingWith("users[0].password: is not a valid SCRAM verifier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "plain"})
    void acceptsAScramVerifierWhateverTheClientsAuthType(String authType) throws Exception {
        // As in PostgreSQL: md5 with a SCRAM secret runs SCRAM; a cleartext password is checked against the verifier.
        String yaml = MINIMAL.replace("password: secret", "password: " + ScramVerifiers.EXAMPLE)
                + "auth_type: " + authType + "\nhealth: { password: probe }";

        assertThat(parse(yaml).users().get(0).hasScramVerifier()).isTrue();
    }

    @Test
    void refusesAVerifierOrMd5HashAsTheHealthPasswordBecausePgjdbcCannotLogInWithIt() {
        assertThatThrownBy(() -> parse(MINIMAL + "health: { password: \"" + ScramVerifiers.EXAMPLE + "\" }"))
                .hasMessageStartingWith("health.password: must be the plain-text password");
        assertThatThrownBy(() -> parse(MINIMAL + "health: { password: md5" + "0".repeat(32) + " }"))
                .hasMessageStartingWith("health.password: must be the plain-text password");
    }

    @Test
    void replacesAndExtendsTheWriteFunctionList() throws Exception {
        RoutingConfig routing = parse(MINIMAL + """
                routing:
                  write_functions: [NextVal, "audit_*"]
                  extra_write_functions: [my_schema.bump, nextval]
                """).routing();

        assertThat(routing.writeFunctions()).containsExactly("nextval", "audit_*", "my_schema.bump");
    }

    @Test
    void appendsExtraWriteFunctionsToTheBuiltInList() throws Exception {
        RoutingConfig routing = parse(MINIMAL + "routing: { extra_write_functions: [bump_counter] }").routing();

        assertThat(routing.writeFunctions())
                .containsAll(RouterSettings.DEFAULT_WRITE_FUNCTIONS)
                .endsWith("bump_counter");
    }

    @Test
    void readsTheCatalogTheReplicaPolicyAndServerWeights() throws ConfigException {
        PgSplitConfig defaults = parse(MINIMAL);
        assertThat(defaults.routing().catalog()).isTrue();
        assertThat(defaults.routing().catalogRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.routing().replicaPolicy()).isEqualTo(ReplicaPolicy.ROUND_ROBIN);
        assertThat(defaults.servers().get(0).weight()).isEqualTo(1);

        PgSplitConfig config = parse("""
                listen: 127.0.0.1:6432
                servers:
                  - {name: pg1, host: 127.0.0.1, port: 55432, weight: 3}
                  - {name: pg2, host: 127.0.0.1, port: 55433, weight: 0}
                users:
                  - {name: app, password: secret}
                routing: {catalog: off, catalog_refresh: 5s, replica_policy: least_busy}
                """);

        assertThat(config.routing().catalog()).isFalse();
        assertThat(config.routing().catalogRefresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.routing().replicaPolicy()).isEqualTo(ReplicaPolicy.LEAST_BUSY);
        assertThat(config.servers()).extracting(ServerConfig::weight).containsExactly(3, 0);
        assertThat(parse(MINIMAL + "routing: {replica_policy: lowest_latency, catalog: on}").routing().replicaPolicy())
                .isEqualTo(ReplicaPolicy.LOWEST_LATENCY);
    }

    @Test
    void readsTheReplicaAffinityStatementByDefault() throws ConfigException {
        assertThat(parse(MINIMAL).routing().replicaAffinity()).isEqualTo(ReplicaAffinity.STATEMENT);
        assertThat(parse(MINIMAL + "routing: {replica_affinity: session}").routing().replicaAffinity())
                .isEqualTo(ReplicaAffinity.SESSION);
        assertThatThrownBy(() -> parse(MINIMAL + "routing: {replica_affinity: transaction}"))
                .hasMessageContaining("routing.replica_affinity").hasMessageContaining("statement or session");
    }

    @Test
    void rejectsAnUnknownReplicaPolicyAndANegativeWeight() {
        assertThatThrownBy(() -> parse(MINIMAL + "routing: {replica_policy: random}"))
                .hasMessageContaining("routing.replica_policy").hasMessageContaining("least_busy");
        assertThatThrownBy(() -> parse(MINIMAL + "routing: {catalog: maybe}"))
                .hasMessageContaining("routing.catalog").hasMessageContaining("on or off");
    }

    @Test
    void readsTheTransportAutoByDefault() throws ConfigException {
        assertThat(parse(MINIMAL).transport()).isEqualTo(TransportChoice.AUTO);
        assertThat(parse(MINIMAL + "transport: io_uring").transport()).isEqualTo(TransportChoice.IO_URING);
        assertThat(parse(MINIMAL + "transport: epoll").transport()).isEqualTo(TransportChoice.EPOLL);
        assertThat(parse(MINIMAL + "transport: nio").transport()).isEqualTo(TransportChoice.NIO);
        assertThatThrownBy(() -> parse(MINIMAL + "transport: kqueue"))
                .hasMessageContaining("transport").hasMessageContaining("auto, io_uring, epoll, nio");
    }

    @Test
    void readsTheIoThreadsAutoByDefaultOrAsAPositiveCount() throws ConfigException {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(parse(MINIMAL).ioThreads()).isEqualTo(IoThreads.auto(cores));
        assertThat(parse(MINIMAL + "io_threads: auto").ioThreads()).isEqualTo(IoThreads.auto(cores));
        assertThat(parse(MINIMAL + "io_threads: 3").ioThreads()).isEqualTo(new IoThreads(3, false));
        assertThatThrownBy(() -> parse(MINIMAL + "io_threads: 0"))
                .hasMessageContaining("io_threads").hasMessageContaining("must be auto or a number of loops from 1 to 1024");
        assertThatThrownBy(() -> parse(MINIMAL + "io_threads: many"))
                .hasMessageContaining("io_threads").hasMessageContaining("(got 'many')");
    }

    @Test
    void rejectsAWildcardInsideAFunctionName() {
        assertThatThrownBy(() -> parse(MINIMAL + "routing: { write_functions: [ok, 'a*b'] }"))
                .hasMessage("routing.write_functions[1]: must be a function name, optionally ending in * to match by prefix");
    }

    @Test
    void substitutesEnvironmentVariablesInEveryScalar() throws Exception {
        PgSplitConfig config = parse("""
                listen: ${LISTEN:-127.0.0.1:6432}
                servers:
                  - { name: pg1, host: "${PG_HOST}", port: "${PG_PORT}" }
                users:
                  - { name: app, password: "${APP_PASSWORD}" }
                health: { interval: "${HEALTH_INTERVAL:-250ms}" }
                """, Map.of("PG_HOST", "10.0.0.7", "PG_PORT", "5433", "APP_PASSWORD", "s3cr3t"));

        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(config.servers()).containsExactly(new ServerConfig("pg1", "10.0.0.7", 5433));
        assertThat(config.users()).containsExactly(new UserConfig("app", "s3cr3t"));
        assertThat(config.health().interval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void keepsScalarsThatLookLikeNumbersOrBooleansVerbatim() throws Exception {
        PgSplitConfig config = parse(MINIMAL.replace("name: app, password: secret", "name: yes, password: 0123")
                + "health: { password: 1e3 }");

        assertThat(config.users()).containsExactly(new UserConfig("yes", "0123"));
        assertThat(config.health().user()).isEqualTo("yes");
        assertThat(config.health().password()).isEqualTo("1e3");
    }

    @Test
    void masksPasswordsWhenPrinted() throws Exception {
        PgSplitConfig config = parse(MINIMAL + "health: { user: monitor, password: probe-pass }");

        assertThat(config.toString()).doesNotContain("secret", "probe-pass").contains("password=***");
    }

    @Test
    void namesAnUnknownTopLevelKey() {
        assertThatThrownBy(() -> parse(MINIMAL + "listn: 127.0.0.1:1\n"))
                .isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("key", "listn")
                .hasMessageStartingWith("listn: unknown key (expected one of: admin, auth_query, auth_type, client_tls, consistency, hba, health, io_threads, limits,");
    }

    @Test
    void namesAnUnknownNestedKey() {
        assertThatThrownBy(() -> parse(MINIMAL + "health:\n  intervall: 1s\n"))
                .hasMessageStartingWith("health.intervall: unknown key");
        assertThatThrownBy(() -> parse(MINIMAL.replace("host: 127.0.0.1", "hots: 127.0.0.1")))
                .hasMessageStartingWith("servers[0].hots: unknown key");
    }

    @Test
    void namesABadDuration() {
        assertThatThrownBy(() -> parse(MINIMAL + "health: { interval: 5 sec }"))
                .hasMessage("health.interval: must be a duration like 500ms, 1s, 2m or 1h (got '5 sec')");
        assertThatThrownBy(() -> parse(MINIMAL + "health: { timeout: 0s }"))
                .hasMessage("health.timeout: must be greater than 0");
    }

    @Test
    void namesABadSize() {
        assertThatThrownBy(() -> parse(MINIMAL + "limits: { max_message_size: 64 MiB }"))
                .hasMessage("limits.max_message_size: must be a size like 512kB, 64MB or 1GB (got '64 MiB')");
        assertThatThrownBy(() -> parse(MINIMAL + "limits: { max_message_size: 2GB }"))
                .hasMessage("limits.max_message_size: must be between 8kB and 1GB");
    }

    @Test
    void namesABadPort() {
        String yaml = MINIMAL.replace("servers:\n", "servers:\n  - { name: pg0, host: 127.0.0.1 }\n")
                .replace("port: 55432", "port: 70000");

        assertThatThrownBy(() -> parse(yaml))
                .hasFieldOrPropertyWithValue("key", "servers[1].port")
                .hasMessage("servers[1].port: must be between 1 and 65535");
        assertThatThrownBy(() -> parse(MINIMAL.replace("port: 55432", "port: http")))
                .hasMessage("servers[0].port: must be an integer (got 'http')");
        assertThatThrownBy(() -> parse(MINIMAL.replace("127.0.0.1:6432", "127.0.0.1")))
                .hasMessage("listen: must be host:port (got '127.0.0.1')");
    }

    @Test
    void namesADuplicateServerNameOrAddress() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("servers:\n", "servers:\n  - { name: pg1, host: other }\n")))
                .hasMessage("servers[1].name: duplicate server name 'pg1'");
        assertThatThrownBy(() -> parse(MINIMAL.replace("servers:\n",
                "servers:\n  - { name: pg0, host: 127.0.0.1, port: 55432 }\n")))
                .hasMessage("servers[1]: has the same host and port as servers[0]");
    }

    @Test
    void namesADuplicateUserName() {
        assertThatThrownBy(() -> parse(MINIMAL + "  - { name: app, password: other }\n"))
                .hasMessage("users[1].name: duplicate user name 'app'");
    }

    @Test
    void namesMissingRequiredSettings() {
        assertThatThrownBy(() -> parse("listen: 127.0.0.1:6432\nservers: [{ name: pg1, host: h }]\n"))
                .hasMessage("users: must list at least one user");
        assertThatThrownBy(() -> parse("listen: 127.0.0.1:6432\nusers: [{ name: app, password: x }]\n"))
                .hasMessage("servers: must list at least one server");
        assertThatThrownBy(() -> parse(MINIMAL.replace("listen: 127.0.0.1:6432\n", "")))
                .hasMessage("listen: is required");
        assertThatThrownBy(() -> parse(MINIMAL.replace("name: app, password: secret", "name: app")))
                .hasMessage("users[0].password: is required");
    }

    @Test
    void namesAnUnsetEnvironmentVariable() {
        assertThatThrownBy(() -> parse(MINIMAL.replace("secret", "\"${APP_PASSWORD}\"")))
                .hasFieldOrPropertyWithValue("key", "users[0].password")
                .hasMessage("users[0].password: environment variable APP_PASSWORD is not set");
    }

    @Test
    void namesAnInvalidAuthType() {
        assertThatThrownBy(() -> parse(MINIMAL + "auth_type: trust\n"))
                .hasMessage("auth_type: must be one of scram-sha-256, md5, plain (got 'trust')");
    }

    @Test
    void namesAValueOfTheWrongShape() {
        assertThatThrownBy(() -> parse(MINIMAL + "health: 500ms\n"))
                .hasMessage("health: must be a mapping of settings");
        assertThatThrownBy(() -> parse(MINIMAL + "health: { interval: [1s] }\n"))
                .hasMessage("health.interval: must be a single value, not a list");
        assertThatThrownBy(() -> parse(MINIMAL.replace("servers:\n  - ", "servers:\n  ")))
                .hasMessage("servers: must be a list");
    }

    @Test
    void namesADuplicateYamlKey() {
        assertThatThrownBy(() -> parse(MINIMAL + "health:\n  fall: 1\n  fall: 2\n"))
                .hasMessage("health.fall: duplicate key");
    }

    @Test
    void namesTheSourceForAYamlSyntaxError() {
        assertThatThrownBy(() -> parse("listen: [127.0.0.1:6432\n"))
                .hasFieldOrPropertyWithValue("key", "test.yaml")
                .hasMessageStartingWith("test.yaml: invalid YAML: ")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> parse("# nothing\n")).hasMessage("test.yaml: is empty");
        assertThatThrownBy(() -> parse("- listen\n")).hasMessage("test.yaml: must be a YAML mapping of settings");
        assertThatThrownBy(() -> parse(MINIMAL + "---\nlisten: 127.0.0.1:1\n"))
                .hasMessage("test.yaml: must contain a single YAML document");
    }

    @Test
    void namesAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .hasFieldOrPropertyWithValue("key", missing.toString())
                .hasMessage(missing + ": file not found");
    }
}
