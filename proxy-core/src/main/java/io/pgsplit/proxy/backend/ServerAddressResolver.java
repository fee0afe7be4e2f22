package io.pgsplit.proxy.backend;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Server host names resolved off the event loops. Netty's default resolver asks the JDK's blocking
 * {@code InetAddress} on the loop itself, so a slow DNS answer would stall every session of that loop.
 * IP literals are converted in place; names are looked up on a thread of their own and cached for a
 * short time (as PgBouncer's {@code dns_max_ttl}), so a failover that moves a DNS name is followed
 * within that time. Concurrent lookups of one name share a single query. Safe from any thread.
 */
public final class ServerAddressResolver {
    /** How long a looked-up address is used before the name is asked again. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

    /** Looks a name up, blocking; {@code InetAddress::getByName} in production. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress lookup(String host) throws UnknownHostException;
    }

    private record Entry(CompletableFuture<InetAddress> address, long expiresNanos) {
    }

    private final Lookup lookup;
    private final Executor lookups;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> names = new ConcurrentHashMap<>();

    public ServerAddressResolver() {
        this(InetAddress::getByName, Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "pgsplit-dns");
            thread.setDaemon(true);
            return thread;
        }), DEFAULT_TTL, System::nanoTime);
    }

    /** The number of lookup threads is bounded by the number of distinct names, since lookups of one name are shared. */
    public ServerAddressResolver(Lookup lookup, Executor lookups, Duration ttl, LongSupplier nanoClock) {
        this.lookup = lookup;
        this.lookups = lookups;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Completes at once for an IP literal or a name looked up within the TTL; otherwise on the lookup
     * thread. Fails with {@link UnknownHostException} when the name does not resolve (not cached, so
     * the next connection asks again).
     */
    public CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(new InetSocketAddress(InetAddress.getByAddress(host, literal), port));
            } catch (UnknownHostException impossible) {
                return CompletableFuture.failedFuture(impossible); // only for a wrong array length
            }
        }
        return addressOf(host).thenApply(address -> new InetSocketAddress(address, port));
    }

    private CompletableFuture<InetAddress> addressOf(String host) {
        long now = nanoClock.getAsLong();
        while (true) {
            Entry known = names.get(host);
            if (known != null && (!known.address.isDone() || known.expiresNanos - now > 0)) {
                return known.address;
            }
            Entry fresh = new Entry(new CompletableFuture<>(), now + ttlNanos);
            boolean installed = known == null ? names.putIfAbsent(host, fresh) == null : names.replace(host, known, fresh);
            if (installed) {
                lookups.execute(() -> lookUp(host, fresh));
                return fresh.address;
            }
        }
    }

    private void lookUp(String host, Entry entry) {
        try {
            entry.address.complete(lookup.lookup(host));
        } catch (UnknownHostException | RuntimeException e) {
            names.remove(host, entry);
            entry.address.completeExceptionally(e);
        }
    }
}
