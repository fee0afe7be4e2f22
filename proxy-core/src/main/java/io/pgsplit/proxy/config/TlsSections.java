package io.pgsplit.proxy.config;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Reads {@code client_tls} and {@code server_tls}; certificate and key files are read and checked here. */
final class TlsSections {
    private static final Set<String> CLIENT_KEYS = Set.of("mode", "cert_file", "key_file", "ca_file", "protocols", "ciphers");
    private static final Set<String> SERVER_KEYS = Set.of("mode", "ca_file", "cert_file", "key_file");

    private TlsSections() {
    }

    static ClientTlsConfig readClient(ConfigNode tls) throws ConfigException {
        tls.requireMapping(CLIENT_KEYS);
        ClientTlsConfig.Mode mode = tls.get("mode").asOr(text -> enumValue(ClientTlsConfig.Mode.class, text),
                ClientTlsConfig.Mode.DISABLE);
        Optional<TlsIdentity> identity = identity(tls);
        if (mode != ClientTlsConfig.Mode.DISABLE && identity.isEmpty()) {
            throw tls.get("cert_file").error("is required with mode " + mode.name().toLowerCase(Locale.ROOT));
        }
        List<X509Certificate> cas = tls.get("ca_file").asOr(text -> PemFiles.certificates(Path.of(text)), List.of());
        SSLParameters supported = supportedParameters();
        List<String> protocols = names(tls.get("protocols"), ClientTlsConfig.DEFAULT_PROTOCOLS, supported.getProtocols());
        List<String> ciphers = names(tls.get("ciphers"), List.of(), supported.getCipherSuites());
        return new ClientTlsConfig(mode, identity, cas, protocols, ciphers);
    }

    static ServerTlsConfig readServer(ConfigNode tls) throws ConfigException {
        tls.requireMapping(SERVER_KEYS);
        ServerTlsConfig.Mode mode = tls.get("mode").asOr(text -> enumValue(ServerTlsConfig.Mode.class, text),
                ServerTlsConfig.Mode.PREFER);
        List<X509Certificate> cas = tls.get("ca_file").asOr(text -> PemFiles.certificates(Path.of(text)), List.of());
        if ((mode == ServerTlsConfig.Mode.VERIFY_CA || mode == ServerTlsConfig.Mode.VERIFY_FULL) && cas.isEmpty()) {
            throw tls.get("ca_file").error("is required with mode " + mode.configName() + ": it names the authorities to trust");
        }
        return new ServerTlsConfig(mode, cas, identity(tls));
    }

    /** The files both sections name (already read and checked), absolute. */
    static List<Path> files(ConfigNode clientTls, ConfigNode serverTls) throws ConfigException {
        List<Path> files = new ArrayList<>();
        for (ConfigNode section : List.of(clientTls, serverTls)) {
            for (String key : List.of("cert_file", "key_file", "ca_file")) {
                ConfigNode file = section.get(key);
                if (file.isPresent()) {
                    files.add(Path.of(file.text()).toAbsolutePath());
                }
            }
        }
        return files;
    }

    /** cert_file and key_file, both or neither. */
    private static Optional<TlsIdentity> identity(ConfigNode tls) throws ConfigException {
        ConfigNode certNode = tls.get("cert_file");
        ConfigNode keyNode = tls.get("key_file");
        if (certNode.isPresent() != keyNode.isPresent()) {
            throw (certNode.isPresent() ? keyNode : certNode).error("is required together with "
                    + (certNode.isPresent() ? "cert_file" : "key_file"));
        }
        if (!certNode.isPresent()) {
            return Optional.empty();
        }
        List<X509Certificate> chain = certNode.as(text -> PemFiles.certificates(Path.of(text)));
        PrivateKey key = keyNode.as(text -> PemFiles.privateKey(Path.of(text)));
        if (!TlsIdentity.belongTogether(chain.get(0), key)) {
            throw keyNode.error("does not belong to the first certificate of cert_file");
        }
        return Optional.of(new TlsIdentity(chain, key));
    }

    private static List<String> names(ConfigNode node, List<String> defaults, String[] supported) throws ConfigException {
        if (!node.isPresent()) {
            return defaults;
        }
        List<String> known = Arrays.asList(supported);
        List<String> names = new ArrayList<>();
        for (ConfigNode element : node.oneOrMany()) {
            String name = element.as(Scalars::nonEmpty).trim();
            if (!known.contains(name)) {
                throw element.error("is not supported by this Java runtime (got '" + name + "')");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw node.error("must not be empty");
        }
        return names;
    }

    private static SSLParameters supportedParameters() {
        try {
            return SSLContext.getDefault().getSupportedSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has a default TLS context", e);
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(value -> value.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + " (got '" + text + "')");
    }
}
