package io.pgsplit.proxy.tls;

import io.pgsplit.proxy.config.ServerTlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * pgjdbc's view of {@link ServerTls}: sockets layered over its connection with the configured trust, the client
 * certificate, and the verify-full name (which need not be the host pgjdbc connected to).
 */
final class VerifyingSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final ServerTlsConfig.Mode mode;
    private final String verifiedName;

    VerifyingSocketFactory(SSLSocketFactory delegate, ServerTlsConfig.Mode mode, String verifiedName) {
        this.delegate = delegate;
        this.mode = mode;
        this.verifiedName = verifiedName;
    }

    /** The one pgjdbc calls, to turn its plain socket into TLS after the server said 'S'. */
    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(socket, mode == ServerTlsConfig.Mode.VERIFY_FULL ? verifiedName : host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    private Socket configure(Socket socket) {
        SSLSocket tls = (SSLSocket) socket;
        tls.setSSLParameters(ServerCertificateCheck.parameters(tls.getSSLParameters(), mode, verifiedName));
        return tls;
    }
}
