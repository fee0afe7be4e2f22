package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.pgsplit.proxy.auth.ServerLogin;
import io.pgsplit.proxy.config.ServerTlsConfig;
import io.pgsplit.proxy.netty.Transport;
import io.pgsplit.proxy.tls.ServerTls;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackendConnectorTest {
    private EventLoopGroup group;

    @AfterEach
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
    }

    /** On every transport: the connection's channel must be of the loop's own transport, or it cannot register. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerNamedByHostIsResolvedOffTheEventLoop(Transport transport) throws Exception {
        group = transport.newGroup(1, "connector-test-" + transport.configName());
        CopyOnWriteArrayList<Thread> lookupThreads = new CopyOnWriteArrayList<>();
        ServerAddressResolver resolver = new ServerAddressResolver(host -> {
            lookupThreads.add(Thread.currentThread());
            return InetAddress.getLoopbackAddress();
        }, Executors.newSingleThreadExecutor(), Duration.ofSeconds(15), System::nanoTime);
        ServerTls plain = ServerTls.of(new ServerTlsConfig(ServerTlsConfig.Mode.DISABLE, List.of(), Optional.empty()), List.of());
        BackendConnector connector = new BackendConnector(1 << 20, Duration.ofSeconds(5), Runnable::run, plain, resolver,
                new ServerChannels());
        EventLoop loop = group.next();

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> trusting = CompletableFuture.runAsync(() -> trustOneClient(server));
            BackendConnection connection = CompletableFuture.supplyAsync(() -> connector.connect(loop, "pg1",
                    "db.example", server.getLocalPort(), Map.of("user", "app"), "app", new ServerLogin.None("trusted")), loop)
                    .thenCompose(ready -> ready).get(10, TimeUnit.SECONDS);

            assertThat(connection.serverName()).isEqualTo("pg1");
            assertThat(lookupThreads).singleElement().satisfies(thread -> assertThat(loop.inEventLoop(thread)).isFalse());
            connection.abort();
            trusting.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A connection asked for on a loop that is shutting down is refused: the loop closes its channels once, and one
     * registered after that would stay open after the loop is gone, its socket (and its server's backend) leaked.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLoopThatIsShuttingDownOpensNoConnection(Transport transport) throws Exception {
        group = transport.newGroup(1, "connector-test-" + transport.configName());
        ServerTls plain = ServerTls.of(new ServerTlsConfig(ServerTlsConfig.Mode.DISABLE, List.of(), Optional.empty()), List.of());
        BackendConnector connector = new BackendConnector(1 << 20, Duration.ofSeconds(5), Runnable::run, plain,
                new ServerAddressResolver(), new ServerChannels());
        EventLoop loop = group.next();

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(1_000);
            CompletableFuture<BackendConnection> ready = CompletableFuture.supplyAsync(() -> {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS); // from a task: nothing runs on the loop before the connect
                return connector.connect(loop, "pg1", "127.0.0.1", server.getLocalPort(), Map.of("user", "app"), "app",
                        new ServerLogin.None("trusted"));
            }, loop).get(10, TimeUnit.SECONDS);
            group.terminationFuture().await(10, TimeUnit.SECONDS);

            assertThat(ready).isCompletedExceptionally();
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(2_000);
                assertThat(accepted.getInputStream().read()).as("a connection left open by a terminated loop").isEqualTo(-1);
            } catch (java.net.SocketTimeoutException nothingConnected) {
                // the right outcome: no connection was attempted
            }
        }
    }

    /** Reads the StartupMessage and answers AuthenticationOk and ReadyForQuery, as a trust-authenticating server. */
    private static void trustOneClient(ServerSocket server) {
        try (Socket client = server.accept()) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            in.readFully(new byte[in.readInt() - 4]);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            out.writeByte('R');
            out.writeInt(8);
            out.writeInt(0);
            out.writeByte('Z');
            out.writeInt(5);
            out.writeByte('I');
            out.flush();
            in.read(); // until the proxy closes
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
