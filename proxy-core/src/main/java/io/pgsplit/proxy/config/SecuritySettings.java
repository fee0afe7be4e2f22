package io.pgsplit.proxy.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of who may connect and how: {@code client_tls}, {@code server_tls}, {@code auth_query} and
 * {@code hba} (empty: every client authenticates with {@code auth_type}).
 *
 * @param tlsFiles every certificate and key file named, which {@code --watch} watches as well as the config file
 */
public record SecuritySettings(ClientTlsConfig clientTls, ServerTlsConfig serverTls, Optional<AuthQueryConfig> authQuery,
                               List<HbaRule> hba, List<Path> tlsFiles) {

    public SecuritySettings {
        Objects.requireNonNull(clientTls, "clientTls");
        Objects.requireNonNull(serverTls, "serverTls");
        Objects.requireNonNull(authQuery, "authQuery");
        hba = List.copyOf(hba);
        tlsFiles = List.copyOf(tlsFiles);
    }
}
