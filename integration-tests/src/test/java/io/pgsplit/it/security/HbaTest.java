package io.pgsplit.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** pgsplit's own pg_hba-style rules: first match decides, nothing matching is refused with 28000. */
@ExtendWith(TlsServersExtension.class)
@Timeout(120)
class HbaTest {
    private static TlsServers servers;

    @BeforeAll
    static void setUp(TlsServers shared) {
        servers = shared;
    }

    @Test
    void theFirstMatchingRuleAllowsOrRejects() throws Exception {
        String config = """
                users:
                  - {name: app, password: app}
                  - {name: intruder, password: intruder}
                hba:
                  - {type: host, database: all, user: app, address: 127.0.0.1/32, method: scram-sha-256}
                  - {type: host, database: all, user: all, address: 0.0.0.0/0, method: reject}
                """;
        try (SecureProxy proxy = SecureProxy.start(servers, config)) {
            try (Connection connection = proxy.connect("app", "app")) {
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThatThrownBy(() -> proxy.connect("intruder", "intruder").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28000"))
                    .hasMessageContaining("rejects connection for host \"127.0.0.1\", user \"intruder\"");
        }
    }

    @Test
    void aConnectionNoRuleMatchesGetsNoPgHbaEntry() {
        String config = """
                hba:
                  - {type: hostssl, database: all, user: all, address: 127.0.0.1/32, method: scram-sha-256}
                  - {type: host, database: reports, user: all, address: 127.0.0.1/32, method: scram-sha-256}
                """;
        try (SecureProxy proxy = SecureProxy.start(servers, config)) {
            assertThatThrownBy(() -> proxy.connect("app", "app", "sslmode=disable").close())
                    .isInstanceOfSatisfying(SQLException.class, error -> assertThat(error.getSQLState()).isEqualTo("28000"))
                    .hasMessageContaining("no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"app\", no encryption");
        }
    }
}
