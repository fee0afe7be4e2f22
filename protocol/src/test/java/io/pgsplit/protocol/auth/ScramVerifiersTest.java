package io.pgsplit.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ScramVerifiersTest {

    @Test
    void createsAVerifierInPostgresFormatWithASixteenByteSalt() {
        String verifier = ScramVerifiers.create("pencil", new SecureRandom());
        assertThat(verifier).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=");
    }

    @Test
    void derivesTheSameKeysAsPostgresForTheSameSalt() {
        // pg_authid.rolpassword after CREATE ROLE ... PASSWORD 'pencil' on PostgreSQL 15.
        String stored = "SCRAM-SHA-256$4096:xtMpc7XVOH4j8TGBRNzr4A==$Ya13fSC1oRKteSMES5UeTv7RyFUWfYjz9idPOblDBdg="
                + ":4aE0Wv7IjPyuech/aO6Hb78nP3PF8R9HnMfsKeWLLxc=";
        ScramKeys parsed = ScramKeys.parse(stored);
        assertThat(ScramKeys.fromPassword("pencil", parsed.salt, parsed.iterations).verifier()).isEqualTo(stored);
    }

    @Test
    void rejectsMalformedVerifiersWithoutEchoingThem() {
        assertThatThrownBy(() -> ScramKeys.parse("md5abcdef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramKeys.parse("SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("c2FsdA");
        assertThatThrownBy(() -> ScramKeys.parse("SCRAM-SHA-256$99999999999:c2FsdA==$AAAA:AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramKeys.parse("SCRAM-SHA-256$4096:!!!$AAAA:AAAA")).isInstanceOf(IllegalArgumentException.class);
    }
}
