package io.pgsplit.proxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How clients must authenticate to the proxy; written in YAML as {@code auth_type: scram-sha-256 | md5 | plain}. */
public enum AuthType {
    SCRAM_SHA_256("scram-sha-256"),
    MD5("md5"),
    PLAIN("plain");

    private final String configName;

    AuthType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The pg_hba method this setting stands for when no {@code hba} rule picks one. */
    public AuthMethod method() {
        return switch (this) {
            case SCRAM_SHA_256 -> AuthMethod.SCRAM_SHA_256;
            case MD5 -> AuthMethod.MD5;
            case PLAIN -> AuthMethod.PASSWORD;
        };
    }

    public static AuthType fromConfigName(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(type -> type.configName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("must be one of "
                        + Arrays.stream(values()).map(AuthType::configName).collect(Collectors.joining(", "))
                        + " (got '" + text + "')"));
    }
}
