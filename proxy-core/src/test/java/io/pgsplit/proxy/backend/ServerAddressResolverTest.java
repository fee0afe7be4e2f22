package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerAddressResolverTest {
    private final Queue<Runnable> lookupThread = new ArrayDeque<>();
    private final List<String> lookedUp = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final ServerAddressResolver resolver = new ServerAddressResolver(host -> {
        lookedUp.add(host);
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host);
        }
        return InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7});
    }, lookupThread::add, Duration.ofSeconds(15), now::get);

    private void runLookups() {
        Runnable lookup;
        while ((lookup = lookupThread.poll()) != null) {
            lookup.run();
        }
    }

    @Test
    void ipLiteralsAreConvertedWithoutALookup() throws Exception {
        CompletableFuture<InetSocketAddress> address = resolver.resolve("127.0.0.1", 5432);

        assertThat(address).isDone();
        assertThat(address.get().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(address.get().getPort()).isEqualTo(5432);
        assertThat(resolver.resolve("::1", 5432)).isDone();
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void aNameIsLookedUpOnTheLookupThreadNeverByTheCaller() throws Exception {
        CompletableFuture<InetSocketAddress> address = resolver.resolve("db.example", 5432);

        assertThat(address).as("nothing is looked up on the calling (event loop) thread").isNotDone();
        assertThat(lookedUp).isEmpty();
        runLookups();
        assertThat(address.get().getAddress().getHostAddress()).isEqualTo("10.0.0.7");
        assertThat(address.get().isUnresolved()).isFalse();
    }

    @Test
    void concurrentRequestsShareOneLookupAndTheAnswerIsKeptForTheTtl() {
        CompletableFuture<InetSocketAddress> first = resolver.resolve("db.example", 5432);
        CompletableFuture<InetSocketAddress> second = resolver.resolve("db.example", 6432);
        runLookups();
        now.addAndGet(Duration.ofSeconds(14).toNanos());
        CompletableFuture<InetSocketAddress> withinTtl = resolver.resolve("db.example", 5432);

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(withinTtl).as("answered from the cache, at once").isDone();
        assertThat(lookedUp).containsExactly("db.example");

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        CompletableFuture<InetSocketAddress> afterTtl = resolver.resolve("db.example", 5432);
        assertThat(afterTtl).isNotDone();
        runLookups();
        assertThat(afterTtl).isDone();
        assertThat(lookedUp).containsExactly("db.example", "db.example");
    }

    @Test
    void aNameThatDoesNotResolveFailsAndIsAskedAgainNextTime() {
        CompletableFuture<InetSocketAddress> failed = resolver.resolve("db.invalid", 5432);
        runLookups();

        assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownHostException.class);
        resolver.resolve("db.invalid", 5432);
        runLookups();
        assertThat(lookedUp).containsExactly("db.invalid", "db.invalid");
    }
}
