package io.pgsplit.health;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;

/**
 * pgjdbc instantiates its {@code sslfactory} by class name, with the {@code sslfactoryarg} string as its only
 * argument; this class turns that string back into the {@link ProbeTls} factory registered for it. Registrations hold
 * their factory weakly, so a factory of an old configuration goes away with it.
 */
public final class ProbeSslSocketFactory extends SSLSocketFactory {
    private static final Map<String, WeakReference<SSLSocketFactory>> REGISTERED = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_KEY = new AtomicLong();

    private final SSLSocketFactory delegate;

    /** Called by pgjdbc with the key from {@link #register}. */
    public ProbeSslSocketFactory(String key) {
        WeakReference<SSLSocketFactory> registered = key == null ? null : REGISTERED.get(key);
        SSLSocketFactory factory = registered == null ? null : registered.get();
        if (factory == null) {
            throw new IllegalStateException("no TLS socket factory is registered as " + key);
        }
        this.delegate = factory;
    }

    /** The key to pass as pgjdbc's sslfactoryarg. */
    static String register(SSLSocketFactory factory) {
        REGISTERED.values().removeIf(reference -> reference.get() == null);
        String key = "pgsplit-probe-tls-" + NEXT_KEY.incrementAndGet();
        REGISTERED.put(key, new WeakReference<>(factory));
        return key;
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return delegate.createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
