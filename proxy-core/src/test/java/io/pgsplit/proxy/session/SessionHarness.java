package io.pgsplit.proxy.session;

import io.pgsplit.proxy.ProxyContext;
import io.pgsplit.proxy.TestContexts;
import io.pgsplit.proxy.backend.EmbeddedServer;
import io.pgsplit.proxy.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One {@link SessionMachine} without a network: the test is the client ({@link #send}, {@link #received}) and
 * every server ({@link #server}, then {@link EmbeddedServer#reply} and {@link EmbeddedServer#received}), the
 * cluster's health ({@link #cluster}) and the session's event loop (tasks run after every step, timers when
 * {@link #advance} says). Statements are classified by the real classifier, on the calling thread.
 */
final class SessionHarness implements AutoCloseable {
    private static final String YAML = """
            listen: 127.0.0.1:0
            servers:
              - {name: pg1, host: 127.0.0.1, port: 5432}
              - {name: pg2, host: 127.0.0.1, port: 5433}
              - {name: pg3, host: 127.0.0.1, port: 5434}
            users:
              - {name: app, password: app}
            """;

    final FakeClient client = new FakeClient();
    final FakeCluster cluster;
    final FakeConnections connections = new FakeConnections();
    final ProxyContext context;
    final SessionMachine machine;
    private boolean closed;

    private SessionHarness(String extraYaml, FakeCluster cluster, Executor parser) throws ConfigException {
        this.cluster = cluster;
        this.context = TestContexts.fromYaml(YAML + extraYaml, parser);
        this.machine = new SessionMachine(context, cluster, client, connections, "app",
                Map.of("user", "app", "database", "app"), () -> closed = true);
    }

    /** A session of user app on pg1 (primary), pg2 and pg3 (replicas), with {@code extraYaml} appended to the config. */
    static SessionHarness start(String extraYaml) {
        return start(extraYaml, FakeCluster.standard(), Runnable::run);
    }

    /** With this cluster, and JSqlParser run by {@code parser}. */
    static SessionHarness start(String extraYaml, FakeCluster cluster, Executor parser) {
        try {
            SessionHarness harness = new SessionHarness(extraYaml, cluster, parser);
            harness.machine.openFirstServer(Map.of("user", "app", "database", "app")).join();
            harness.client.runTasks();
            harness.connections.forgetHistory();
            return harness;
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One read from the client, then its read-complete, then whatever that put on the loop. */
    SessionHarness send(ClientMessages messages) {
        machine.onClientData(messages.buffer());
        machine.onClientReadComplete();
        client.runTasks();
        return this;
    }

    /** One read of a server's socket. */
    SessionHarness reply(String server, ServerMessages messages) {
        server(server).reply(messages.buffer());
        client.runTasks();
        return this;
    }

    /** The newest connection to {@code name}. */
    EmbeddedServer server(String name) {
        return connections.latest(name);
    }

    /** What the client got since the last call, one line per message. */
    List<String> received() {
        return client.received();
    }

    void advance(long nanos) {
        client.advance(nanos);
    }

    boolean sessionClosed() {
        return closed;
    }

    @Override
    public void close() {
        machine.close();
        client.runTasks();
        client.release();
        connections.releaseAll();
        context.health().close();
    }
}
