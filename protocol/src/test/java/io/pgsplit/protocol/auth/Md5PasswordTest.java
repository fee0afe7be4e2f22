package io.pgsplit.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Md5PasswordTest {
    private static final byte[] SALT = {0x01, 0x02, 0x03, 0x04};
    /** Computed with Python: "md5" + md5(md5("postgres" + "postgres").hexdigest() + salt).hexdigest(). */
    private static final String POSTGRES_RESPONSE = "md568be9ed08db75f318087ab337aaea044";

    @Test
    void encodesThePostgresExampleLikeLibpq() {
        assertThat(Md5Password.encode("postgres", "postgres", SALT)).isEqualTo(POSTGRES_RESPONSE);
    }

    @Test
    void matchesOnlyTheExactResponse() {
        assertThat(Md5Password.matches("postgres", "postgres", SALT, POSTGRES_RESPONSE)).isTrue();
        assertThat(Md5Password.matches("postgres", "postgres", new byte[] {1, 2, 3, 5}, POSTGRES_RESPONSE)).isFalse();
        assertThat(Md5Password.matches("postgres", "Postgres", SALT, POSTGRES_RESPONSE)).isFalse();
        assertThat(Md5Password.matches("postgres", "postgres", SALT, POSTGRES_RESPONSE.toUpperCase())).isFalse();
        assertThat(Md5Password.matches("postgres", "postgres", SALT, "")).isFalse();
    }
}
