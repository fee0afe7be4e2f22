package io.pgsplit.proxy.backend;

import io.pgsplit.proxy.auth.ServerLogin;
import static io.pgsplit.proxy.fuzz.WireFuzz.concat;
import static io.pgsplit.proxy.fuzz.WireFuzz.cstring;
import static io.pgsplit.proxy.fuzz.WireFuzz.int32;
import static io.pgsplit.proxy.fuzz.WireFuzz.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.MessageFraming;
import io.pgsplit.protocol.auth.SaltedPasswordCache;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.startup.StartupMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Servers that break the rules during startup, as the pooler CVEs of 2021-2026 did: each must fail the connection cleanly and at once. */
class BackendStartupRegressionTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private final CompletableFuture<BackendConnection> ready = new CompletableFuture<>();
    private final EmbeddedChannel server = new EmbeddedChannel(false, false);

    @AfterEach
    void close() {
        if (server.isRegistered()) {
            server.finishAndReleaseAll();
        }
    }

    private void connect() throws Exception {
        BackendHandler handler = new BackendHandler(new BackendAuthenticator("app", new ServerLogin.Password("s3cret"), new SaltedPasswordCache(4)),
                Runnable::run, StartupMessage.v3(Map.of("user", "app")).encode(ALLOC), 1 << 20, ready, "pg1");
        handler.connection(new BackendConnection("pg1", server, Map.of()));
        server.pipeline().addLast(handler);
        server.register();
        ((ByteBuf) server.readOutbound()).release(); // the StartupMessage
    }

    private void serverSends(byte[] bytes) {
        server.writeInbound(ALLOC.buffer().writeBytes(bytes));
        server.runPendingTasks();
    }

    private Throwable failure() {
        assertThat(ready).isCompletedExceptionally();
        Throwable error = ready.handle((connection, thrown) -> thrown).join();
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Starts SCRAM and returns the nonce pgsplit sent in its client-first-message. */
    private String startScram() throws Exception {
        connect();
        serverSends(message('R', concat(int32(10), cstring("SCRAM-SHA-256"), new byte[] {0})));
        ByteBuf initial = server.readOutbound();
        try {
            String clientFirst = new String(SaslInitialResponse.decode(MessageFraming.body(initial)).data(), StandardCharsets.ISO_8859_1);
            return clientFirst.substring(clientFirst.indexOf("r=") + 2);
        } finally {
            initial.release();
        }
    }

    private static byte[] saslContinue(String serverFirst) {
        return message('R', concat(int32(AuthenticationSaslContinue.CODE), serverFirst.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void anErrorResponseWithoutSqlStateFailsTheConnectionWithTheServersMessage() throws Exception {
        connect();

        serverSends(message('E', concat(new byte[] {'S'}, cstring("FATAL"), new byte[] {'M'}, cstring("no thanks"), new byte[] {0})));

        BackendStartupException error = (BackendStartupException) failure();
        assertThat(error.getMessage()).isEqualTo("no thanks");
        assertThat(error.serverError().sqlState()).isNull();
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void anErrorResponseWithNoFieldsAtAllFailsTheConnectionToo() throws Exception {
        connect();

        serverSends(message('E', new byte[] {0}));

        assertThat(failure()).isInstanceOf(BackendStartupException.class);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aHugeScramIterationCountFailsAtOnceInsteadOfHashingForHours() throws Exception {
        String nonce = startScram();

        serverSends(saslContinue("r=" + nonce + "srv,s=c2FsdA==,i=2147483647"));

        assertThat(failure()).hasMessageContaining("more than 1000000 SCRAM iterations");
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void anIterationCountThatOverflowsAnIntFailsCleanly() throws Exception {
        String nonce = startScram();

        serverSends(saslContinue("r=" + nonce + "srv,s=c2FsdA==,i=4294967297"));

        assertThat(failure()).hasMessageContaining("more than 1000000 SCRAM iterations");
    }

    @Test
    void anOverLongServerNonceFailsCleanly() throws Exception {
        String nonce = startScram();

        serverSends(saslContinue("r=" + nonce + "n".repeat(100_000) + ",s=c2FsdA==,i=4096"));

        assertThat(failure()).hasMessageContaining("server nonce longer than 1024");
    }

    @Test
    void aRepeatedSaslContinueIsAStartupFailureNotAnUnexpectedException() throws Exception {
        BackendAuthenticator authenticator = new BackendAuthenticator("app", new ServerLogin.Password("s3cret"), new SaltedPasswordCache(4));
        ByteBuf initial = authenticator.respond(new io.pgsplit.protocol.backend.AuthenticationSasl(java.util.List.of("SCRAM-SHA-256")), ALLOC);
        String clientFirst;
        try {
            clientFirst = new String(SaslInitialResponse.decode(MessageFraming.body(initial)).data(), StandardCharsets.ISO_8859_1);
        } finally {
            initial.release();
        }
        String nonce = clientFirst.substring(clientFirst.indexOf("r=") + 2);
        AuthenticationSaslContinue serverFirst = new AuthenticationSaslContinue(
                ("r=" + nonce + "srv,s=c2FsdA==,i=4096").getBytes(StandardCharsets.ISO_8859_1));
        authenticator.respond(serverFirst, ALLOC).release();

        // answered off the event loop in production: an IllegalStateException there would leave the connection pending
        assertThatThrownBy(() -> authenticator.respond(serverFirst, ALLOC)).isInstanceOf(BackendStartupException.class);
    }
}
