package io.pgsplit.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.config.ConnectionBudget.ServerCapacity;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {
    private static final String SERVERS = """
            listen: 127.0.0.1:6432
            servers:
              - { name: pg1, host: 127.0.0.1, port: 55432 }
            """;

    private static PgSplitConfig config(String extra) throws ConfigException {
        return ConfigLoader.parse(SERVERS + extra, "test");
    }

    @Test
    void sessionModeNeedsAPrimaryConnectionPerClientPlusPgsplitsOwn() throws ConfigException {
        PgSplitConfig config = config("users: [{ name: app, password: app }]\nlimits: { max_client_connections: 196 }\n");

        assertThat(ConnectionBudget.primaryConnectionsNeeded(config)).isEqualTo(198);
        assertThat(ConnectionBudget.warning(config, new ServerCapacity("pg1", 200, 3))).hasValueSatisfying(warning ->
                assertThat(warning).startsWith("limits.max_client_connections (196) exceeds what pg1 can carry in"
                        + " session mode").contains("asked for 198 connections but allows 197 (max_connections 200"
                        + " less 3 reserved)"));
        assertThat(ConnectionBudget.warning(config, new ServerCapacity("pg1", 201, 3))).isEmpty();
    }

    @Test
    void transactionModeAloneNeedsNothingPerClient() throws ConfigException {
        PgSplitConfig config = config("pool_mode: transaction\nusers: [{ name: app, password: app }]\n"
                + "limits: { max_client_connections: 5000 }\n");

        assertThat(ConnectionBudget.primaryConnectionsNeeded(config)).isZero();
        assertThat(ConnectionBudget.warning(config, new ServerCapacity("pg1", 100, 3))).isEmpty();
        assertThat(ConnectionBudget.requirement(config)).isEmpty();
    }

    @Test
    void aSessionModeUserBesideTransactionPoolingCountsBoth() throws ConfigException {
        PgSplitConfig config = config("pool_mode: transaction\npool: { primary_max_per_server: 20 }\n"
                + "users: [{ name: app, password: app }, { name: admin, password: a, pool_mode: session }]\n"
                + "limits: { max_client_connections: 50 }\n");

        assertThat(ConnectionBudget.primaryConnectionsNeeded(config)).isEqualTo(50 + 20 + 2);
    }
}
