package io.pgsplit.proxy.tls;

import io.pgsplit.proxy.config.ServerTlsConfig;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;

/** The TLS parameters of a connection to a server: host name verification for verify-full, and SNI for host names. */
final class ServerCertificateCheck {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private ServerCertificateCheck() {
    }

    static SSLParameters parameters(SSLParameters parameters, ServerTlsConfig.Mode mode, String verifiedName) {
        // The JDK's "HTTPS" identification is RFC 2818/6125 matching: DNS names and IP addresses in the
        // subjectAltName, with the common name as a fallback, which is what libpq's verify-full accepts too.
        parameters.setEndpointIdentificationAlgorithm(mode == ServerTlsConfig.Mode.VERIFY_FULL ? "HTTPS" : null);
        if (!IP_LITERAL.matcher(verifiedName).matches()) {
            parameters.setServerNames(List.of(new SNIHostName(verifiedName)));
        }
        return parameters;
    }
}
