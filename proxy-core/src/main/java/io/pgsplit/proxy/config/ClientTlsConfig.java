package io.pgsplit.proxy.config;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code client_tls}: TLS between clients and pgsplit.
 *
 * @param identity   pgsplit's certificate chain and key; present unless the mode is disable
 * @param clientCas  when not empty, clients are asked for a certificate, which must chain to one of these
 * @param ciphers    empty for the JDK's defaults
 */
public record ClientTlsConfig(Mode mode, Optional<TlsIdentity> identity, List<X509Certificate> clientCas,
                              List<String> protocols, List<String> ciphers) {

    /** {@code disable}: answer SSLRequest 'N'; {@code allow}: TLS when the client asks; {@code require}: refuse plaintext. */
    public enum Mode { DISABLE, ALLOW, REQUIRE }

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
    public static final ClientTlsConfig DISABLED =
            new ClientTlsConfig(Mode.DISABLE, Optional.empty(), List.of(), DEFAULT_PROTOCOLS, List.of());

    public ClientTlsConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(identity, "identity");
        clientCas = List.copyOf(clientCas);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        if (mode != Mode.DISABLE && identity.isEmpty()) {
            throw new IllegalArgumentException("client TLS needs a certificate and key");
        }
    }

    public boolean enabled() {
        return mode != Mode.DISABLE;
    }
}
