package io.pgsplit.it.security;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A raw client for what drivers hide: which certificate pgsplit serves, and what it answers to odd first bytes. */
final class TlsProbe {
    private static final int SSL_REQUEST = 80877103;

    private TlsProbe() {
    }

    /** SSLRequest, 'S', handshake: the serial number of the certificate pgsplit presented. */
    static BigInteger servedCertificateSerial(InetSocketAddress proxy) throws Exception {
        try (Socket plain = new Socket(proxy.getAddress(), proxy.getPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST).array());
            int answer = plain.getInputStream().read();
            if (answer != 'S') {
                throw new AssertionError("pgsplit answered the SSLRequest with " + answer);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyServer()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", proxy.getPort(), true)) {
                tls.startHandshake();
                return ((X509Certificate) tls.getSession().getPeerCertificates()[0]).getSerialNumber();
            }
        }
    }

    /** Sends {@code bytes} in one write and returns the first reply byte and, for an ErrorResponse, its text. */
    static String firstReply(InetSocketAddress proxy, byte[] bytes) throws IOException {
        try (Socket socket = new Socket(proxy.getAddress(), proxy.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type = in.read();
            if (type != 'E') {
                return String.valueOf((char) type);
            }
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            return "E " + new String(body, java.nio.charset.StandardCharsets.UTF_8).replace('\0', '|');
        }
    }

    static byte[] sslRequestFollowedBy(byte[] more) {
        return ByteBuffer.allocate(8 + more.length).putInt(8).putInt(SSL_REQUEST).put(more).array();
    }

    static byte[] startupMessage(String user) {
        byte[] parameters = ("user\0" + user + "\0database\0app\0\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + parameters.length).putInt(8 + parameters.length).putInt(3 << 16).put(parameters).array();
    }

    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // the probe only reads which certificate is served
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
