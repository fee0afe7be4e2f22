package io.pgsplit.proxy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HostPortTest {

    @Test
    void parsesHostAndPort() {
        assertThat(HostPort.parse("127.0.0.1:6432")).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(HostPort.parse(" db.example.com:5432 ")).isEqualTo(new HostPort("db.example.com", 5432));
    }

    @Test
    void parsesABracketedIpv6Literal() {
        assertThat(HostPort.parse("[::1]:6432")).isEqualTo(new HostPort("::1", 6432));
    }

    @Test
    void allowsPortZeroSoTheOsCanPickAFreePort() {
        assertThat(HostPort.parse("127.0.0.1:0").port()).isZero();
    }

    @Test
    void printsInTheFormItParses() {
        assertThat(new HostPort("::1", 6432)).hasToString("[::1]:6432");
        assertThat(new HostPort("127.0.0.1", 6432)).hasToString("127.0.0.1:6432");
        assertThat(HostPort.parse(new HostPort("fe80::1", 1).toString())).isEqualTo(new HostPort("fe80::1", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":6432", "::1:6432", "[::1]", "[::1]6432", "host:65536",
            "host:-1", "host:port", "host:123456"})
    void rejectsMalformedAddresses(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse(text));
    }
}
