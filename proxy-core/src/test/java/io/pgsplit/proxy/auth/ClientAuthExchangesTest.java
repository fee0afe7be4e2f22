package io.pgsplit.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.WireMessage;
import io.pgsplit.protocol.auth.Md5Password;
import io.pgsplit.protocol.auth.ScramSha256Client;
import io.pgsplit.protocol.auth.ScramVerifiers;
import io.pgsplit.protocol.backend.AuthenticationCleartextPassword;
import io.pgsplit.protocol.backend.AuthenticationMd5Password;
import io.pgsplit.protocol.backend.AuthenticationMessage;
import io.pgsplit.protocol.backend.AuthenticationSasl;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.backend.AuthenticationSaslFinal;
import io.pgsplit.protocol.frontend.PasswordMessage;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import io.pgsplit.proxy.config.AuthType;
import io.pgsplit.proxy.config.UserConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAuthExchangesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final UserConfig APP = new UserConfig("app", "s3cret");
    private static final UserConfig STORED = new UserConfig("stored", ScramVerifiers.create("from-pg-authid", RANDOM));

    private static final UserConfig HASHED = new UserConfig("hashed", Md5Password.hash("hashed", "md5-pw"));

    private final ClientAuthExchanges exchanges = new ClientAuthExchanges(List.of(APP, STORED, HASHED), Runnable::run);

    private ClientAuthExchange exchange(AuthType method, String user) {
        return exchanges.forUser(method.method(), user, exchanges.configured(user), null);
    }

    /** Decodes (and releases) an Authentication message the exchange sent. */
    private static AuthenticationMessage authentication(ByteBuf message) {
        try {
            assertThat(message.getByte(message.readerIndex())).isEqualTo(MessageTypes.AUTHENTICATION);
            return AuthenticationMessage.decode(MessageFraming.body(message));
        } finally {
            message.release();
        }
    }

    /** Hands the body of a client 'p' message to the exchange, as the startup handler does. */
    private static AuthStep answer(ClientAuthExchange exchange, WireMessage clientMessage) {
        ByteBuf message = clientMessage.encode(ALLOC);
        try {
            assertThat(message.getByte(0)).isEqualTo(MessageTypes.PASSWORD);
            return exchange.onPasswordMessage(MessageFraming.body(message), ALLOC);
        } finally {
            message.release();
        }
    }

    /** The outcome of a SCRAM exchange run to its end, plus the server-first-message seen on the way. */
    private record ScramRun(AuthStep last, String serverFirst) {
    }

    private static ScramRun runScram(ClientAuthExchange exchange, String password) {
        AuthenticationMessage start = authentication(exchange.start(ALLOC));
        assertThat(start).isInstanceOfSatisfying(AuthenticationSasl.class,
                sasl -> assertThat(sasl.mechanisms()).containsExactly("SCRAM-SHA-256"));

        ScramSha256Client client = new ScramSha256Client(password, RANDOM);
        AuthStep first = answer(exchange, new SaslInitialResponse("SCRAM-SHA-256", client.clientFirstMessage()));
        assertThat(first).as("every user gets a SASLContinue").isInstanceOf(AuthStep.Continue.class);
        byte[] serverFirst = ((AuthenticationSaslContinue) authentication(((AuthStep.Continue) first).request())).data();

        AuthStep last = answer(exchange, new SaslResponse(client.clientFinalMessage(serverFirst)));
        if (last instanceof AuthStep.Success success) {
            byte[] serverFinal = ((AuthenticationSaslFinal) authentication(success.finalMessage())).data();
            client.verifyServerFinal(serverFinal); // throws unless the server proved it knows the password too
        }
        return new ScramRun(last, new String(serverFirst, StandardCharsets.UTF_8));
    }

    private static String salt(String serverFirst) {
        for (String attribute : serverFirst.split(",")) {
            if (attribute.startsWith("s=")) {
                return attribute;
            }
        }
        throw new AssertionError("no salt in " + serverFirst);
    }

    @Test
    void scramSucceedsWithTheRightPassword() {
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "app"), "s3cret").last()).isInstanceOf(AuthStep.Success.class);
    }

    @Test
    void scramSucceedsAgainstAStoredVerifier() {
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "stored"), "from-pg-authid").last())
                .isInstanceOf(AuthStep.Success.class);
    }

    @Test
    void scramFailsWithTheWrongPassword() {
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "app"), "wrong").last()).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void scramForAnUnknownUserRunsToTheEndAndFails() {
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "ghost"), "anything").last())
                .isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void scramOffersAnUnknownUserTheSameSaltOnEveryAttempt() {
        String first = salt(runScram(exchange(AuthType.SCRAM_SHA_256, "ghost"), "x").serverFirst());
        String second = salt(runScram(exchange(AuthType.SCRAM_SHA_256, "ghost"), "y").serverFirst());
        String otherUser = salt(runScram(exchange(AuthType.SCRAM_SHA_256, "phantom"), "x").serverFirst());

        assertThat(second).isEqualTo(first);
        assertThat(otherUser).isNotEqualTo(first);
    }

    @Test
    void scramOffersAKnownUserTheSameSaltOnEveryAttempt() {
        String first = salt(runScram(exchange(AuthType.SCRAM_SHA_256, "app"), "s3cret").serverFirst());
        String second = salt(runScram(exchange(AuthType.SCRAM_SHA_256, "app"), "s3cret").serverFirst());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void scramRefusesAnotherMechanism() {
        ClientAuthExchange exchange = exchange(AuthType.SCRAM_SHA_256, "app");
        authentication(exchange.start(ALLOC));

        AuthStep step = answer(exchange, new SaslInitialResponse("SCRAM-SHA-256-PLUS", new byte[] {'n'}));

        assertThat(step).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void scramRefusesAMalformedClientFirstMessage() {
        ClientAuthExchange exchange = exchange(AuthType.SCRAM_SHA_256, "app");
        authentication(exchange.start(ALLOC));

        AuthStep step = answer(exchange, new SaslInitialResponse("SCRAM-SHA-256",
                "garbage".getBytes(StandardCharsets.UTF_8)));

        assertThat(step).isInstanceOf(AuthStep.Failure.class);
    }

    private static AuthStep runMd5(ClientAuthExchange exchange, String user, String password) {
        AuthenticationMessage start = authentication(exchange.start(ALLOC));
        assertThat(start).isInstanceOf(AuthenticationMd5Password.class);
        byte[] salt = ((AuthenticationMd5Password) start).salt();
        return answer(exchange, new PasswordMessage(Md5Password.encode(user, password, salt)));
    }

    @Test
    void md5SucceedsWithTheRightPassword() {
        assertThat(runMd5(exchange(AuthType.MD5, "app"), "app", "s3cret")).isInstanceOf(AuthStep.Success.class);
    }

    @Test
    void md5FailsWithTheWrongPassword() {
        assertThat(runMd5(exchange(AuthType.MD5, "app"), "app", "wrong")).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void md5FailsForAnUnknownUser() {
        assertThat(runMd5(exchange(AuthType.MD5, "ghost"), "ghost", "s3cret")).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void md5UsesAFreshSaltPerConnection() {
        byte[] first = ((AuthenticationMd5Password) authentication(exchange(AuthType.MD5, "app").start(ALLOC))).salt();
        byte[] second = ((AuthenticationMd5Password) authentication(exchange(AuthType.MD5, "app").start(ALLOC))).salt();

        assertThat(second).isNotEqualTo(first);
    }

    private static AuthStep runCleartext(ClientAuthExchange exchange, String password) {
        assertThat(authentication(exchange.start(ALLOC))).isInstanceOf(AuthenticationCleartextPassword.class);
        return answer(exchange, new PasswordMessage(password));
    }

    @Test
    void cleartextSucceedsWithTheRightPassword() {
        assertThat(runCleartext(exchange(AuthType.PLAIN, "app"), "s3cret")).isInstanceOf(AuthStep.Success.class);
    }

    @Test
    void cleartextFailsWithTheWrongPassword() {
        assertThat(runCleartext(exchange(AuthType.PLAIN, "app"), "s3cret ")).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void cleartextFailsForAnUnknownUser() {
        assertThat(runCleartext(exchange(AuthType.PLAIN, "ghost"), "s3cret")).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void scramAgainstAVerifierGivesTheServersTheKeysTheClientProvedAndAPasswordUserItsPassword() {
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "stored"), "from-pg-authid").last())
                .isInstanceOfSatisfying(AuthStep.Success.class, success -> assertThat(success.login()).isInstanceOf(ServerLogin.Scram.class));
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "app"), "s3cret").last())
                .isInstanceOfSatisfying(AuthStep.Success.class, success -> assertThat(success.login()).isEqualTo(new ServerLogin.Password("s3cret")));
    }

    @Test
    void md5AgainstAStoredHashSucceedsAndTheServersGetTheHash() {
        assertThat(runMd5(exchange(AuthType.MD5, "hashed"), "hashed", "md5-pw")).isInstanceOfSatisfying(AuthStep.Success.class,
                success -> assertThat(success.login()).isEqualTo(new ServerLogin.Md5Hash(HASHED.password())));
        assertThat(runMd5(exchange(AuthType.MD5, "hashed"), "hashed", "wrong")).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void md5WithAStoredVerifierRunsScramAsPostgresqlDoes() {
        assertThat(runScram(exchange(AuthType.MD5, "stored"), "from-pg-authid").last()).isInstanceOf(AuthStep.Success.class);
    }

    @Test
    void scramCannotCheckAnMd5HashAndFailsLikeAWrongPassword() {
        assertThat(runScram(exchange(AuthType.SCRAM_SHA_256, "hashed"), "md5-pw").last()).isInstanceOf(AuthStep.Failure.class);
    }

    @Test
    void cleartextAgainstAVerifierIsCheckedOffTheLoopAndGivesTheServersDerivedKeys() {
        AuthStep step = runCleartext(exchange(AuthType.PLAIN, "stored"), "from-pg-authid");
        assertThat(step).isInstanceOf(AuthStep.Pending.class);
        assertThat(((AuthStep.Pending) step).outcome().join()).isInstanceOfSatisfying(AuthStep.Success.class,
                success -> assertThat(success.login()).isInstanceOf(ServerLogin.Scram.class));
        AuthStep wrong = runCleartext(exchange(AuthType.PLAIN, "stored"), "nope");
        assertThat(((AuthStep.Pending) wrong).outcome().join()).isInstanceOf(AuthStep.Failure.class);
        assertThat(runCleartext(exchange(AuthType.PLAIN, "hashed"), "md5-pw")).isInstanceOf(AuthStep.Success.class);
    }
}
