package io.pgsplit.proxy.config;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code server_tls}: TLS between pgsplit and the servers, with libpq's {@code sslmode} meanings.
 *
 * @param cas      trusted certificate authorities for verify-ca and verify-full (with require, as in libpq, a CA
 *                 file given means the certificate is verified as with verify-ca)
 * @param identity optional client certificate and key presented to the servers
 */
public record ServerTlsConfig(Mode mode, List<X509Certificate> cas, Optional<TlsIdentity> identity) {

    public enum Mode {
        DISABLE, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** TLS or nothing: a server that answers 'N' is refused. */
        public boolean requiresTls() {
            return this == REQUIRE || this == VERIFY_CA || this == VERIFY_FULL;
        }
    }

    public static final ServerTlsConfig PREFER = new ServerTlsConfig(Mode.PREFER, List.of(), Optional.empty());

    public ServerTlsConfig {
        Objects.requireNonNull(mode, "mode");
        cas = List.copyOf(cas);
        Objects.requireNonNull(identity, "identity");
    }

    /** Whether the server's certificate must chain to {@link #cas}. */
    public boolean verifiesCertificate() {
        return mode == Mode.VERIFY_CA || mode == Mode.VERIFY_FULL || mode == Mode.REQUIRE && !cas.isEmpty();
    }
}
