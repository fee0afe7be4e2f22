package io.pgsplit.proxy.session;

import io.pgsplit.health.Role;
import io.pgsplit.health.ServerAddress;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.proxy.backend.EmbeddedServer;
import io.pgsplit.proxy.pool.PoolKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Server connections for a session under test, each an {@link EmbeddedServer} the test plays. Opening one
 * succeeds at once unless the test holds the next opening back ({@link #holdNextOpening}); pooled connections
 * are parked when given back clean and lent again, like the real pools.
 */
final class FakeConnections implements ConnectionSource {
    private final Map<String, Deque<EmbeddedServer>> idle = new HashMap<>();
    private final List<EmbeddedServer> all = new ArrayList<>();
    private final Map<BackendConnection, EmbeddedServer> byConnection = new HashMap<>();
    private final List<String> givenBack = new ArrayList<>();
    private final List<String> lent = new ArrayList<>();
    private CompletableFuture<BackendConnection> held;

    @Override
    public CompletableFuture<BackendConnection> openOwn(ServerAddress server) {
        return open(server.name());
    }

    @Override
    public BackendConnection borrowIdle(PoolKey key, Role role) {
        EmbeddedServer parked = idle.computeIfAbsent(key.server().name(), name -> new ArrayDeque<>()).pollLast();
        if (parked == null) {
            return null;
        }
        lent.add(parked.name());
        return parked.connection();
    }

    @Override
    public CompletableFuture<BackendConnection> borrow(PoolKey key, Role role) {
        lent.add(key.server().name());
        return open(key.server().name());
    }

    @Override
    public void giveBack(PoolKey key, Role role, BackendConnection connection, boolean reusable) {
        EmbeddedServer server = byConnection.get(connection);
        givenBack.add(server.name() + (reusable ? " clean" : " closed"));
        if (reusable) {
            idle.computeIfAbsent(server.name(), name -> new ArrayDeque<>()).addLast(server);
        } else {
            connection.abort();
        }
    }

    private CompletableFuture<BackendConnection> open(String serverName) {
        EmbeddedServer server = EmbeddedServer.started(serverName, Map.of("user", "app", "database", "app"));
        all.add(server);
        byConnection.put(server.connection(), server);
        if (held != null) {
            CompletableFuture<BackendConnection> opening = held;
            held = null;
            return opening.thenApply(ignored -> server.connection());
        }
        return CompletableFuture.completedFuture(server.connection());
    }

    /** The next opening completes only when the returned future does (with any value), or fails with it. */
    CompletableFuture<BackendConnection> holdNextOpening() {
        held = new CompletableFuture<>();
        return held;
    }

    /** A pooled connection to {@code serverName} already parked, as after earlier clients. */
    EmbeddedServer parkIdle(String serverName) {
        EmbeddedServer server = EmbeddedServer.started(serverName, Map.of("user", "app", "database", "app"));
        all.add(server);
        byConnection.put(server.connection(), server);
        idle.computeIfAbsent(serverName, name -> new ArrayDeque<>()).addLast(server);
        return server;
    }

    /** The newest connection opened to {@code serverName}. */
    EmbeddedServer latest(String serverName) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).name().equals(serverName)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no connection to " + serverName + " was opened");
    }

    /** How many connections were opened to {@code serverName}. */
    long opened(String serverName) {
        return all.stream().filter(server -> server.name().equals(serverName)).count();
    }

    /** The servers of the pooled connections lent since the last {@link #forgetHistory}, in order. */
    List<String> lent() {
        return lent;
    }

    /** The session has logged in: what tests look at starts here. */
    void forgetHistory() {
        lent.clear();
        givenBack.clear();
    }

    /** "pg2 clean" or "pg2 closed" for every connection given back, in order. */
    List<String> givenBack() {
        return givenBack;
    }

    void releaseAll() {
        all.forEach(EmbeddedServer::release);
    }
}
