package io.pgsplit.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.protocol.auth.ScramLoginKeys;
import io.pgsplit.protocol.auth.ScramVerifiers;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerLoginsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ServerLogins logins = new ServerLogins();

    @Test
    void aVerifierOnlyUserHasNoLoginUntilAClientProvedItsKeys() {
        UserSecret secret = new UserSecret.Scram(ScramVerifiers.create("pw", RANDOM));
        assertThat(logins.forUser("app", Optional.of(secret))).isInstanceOf(ServerLogin.None.class);

        ServerLogin proved = new ServerLogin.Scram(ScramLoginKeys.fromPassword("pw", secret.scramVerifier()));
        logins.remember("app", secret, proved);

        assertThat(logins.forUser("app", Optional.of(secret))).isSameAs(proved);
    }

    @Test
    void keysProvedAgainstAnOldVerifierAreNotUsedOnceTheSecretChanged() {
        UserSecret before = new UserSecret.Scram(ScramVerifiers.create("before", RANDOM));
        logins.remember("app", before, new ServerLogin.Scram(ScramLoginKeys.fromPassword("before", before.scramVerifier())));

        UserSecret after = new UserSecret.Scram(ScramVerifiers.create("after", RANDOM));
        assertThat(logins.forUser("app", Optional.of(after))).isInstanceOf(ServerLogin.None.class);
    }

    @Test
    void configuredPasswordsAndHashesNeedNoClientAndLookedUpUsersUseWhatTheyProved() {
        assertThat(logins.forUser("a", Optional.of(new UserSecret.Plain("pw", null)))).isEqualTo(new ServerLogin.Password("pw"));
        String hash = "md5" + "0".repeat(32);
        assertThat(logins.forUser("b", Optional.of(new UserSecret.Md5(hash)))).isEqualTo(new ServerLogin.Md5Hash(hash));

        logins.remember("c", new UserSecret.Md5(hash), new ServerLogin.Md5Hash(hash));
        assertThat(logins.forUser("c", Optional.empty())).isEqualTo(new ServerLogin.Md5Hash(hash));
        assertThat(logins.forUser("d", Optional.empty())).isInstanceOf(ServerLogin.None.class);
    }

    @Test
    void loginsNeverShowTheirSecretsInLogs() {
        assertThat(new ServerLogin.Password("hunter2").toString()).doesNotContain("hunter2");
        assertThat(new ServerLogin.Md5Hash("md5abc").toString()).doesNotContain("abc");
    }
}
