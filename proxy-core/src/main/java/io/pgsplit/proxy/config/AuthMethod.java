package io.pgsplit.proxy.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a client proves who it is, named as in pg_hba.conf. */
public enum AuthMethod {
    SCRAM_SHA_256("scram-sha-256"),
    MD5("md5"),
    /** Cleartext password. */
    PASSWORD("password"),
    /** The TLS client certificate's common name must be the user name. */
    CERT("cert"),
    TRUST("trust"),
    REJECT("reject");

    private final String configName;

    AuthMethod(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static AuthMethod fromConfigName(String text) {
        return ConfigNames.find(values(), AuthMethod::configName, text)
                .orElseThrow(() -> new IllegalArgumentException("must be one of "
                        + Arrays.stream(values()).map(AuthMethod::configName).collect(Collectors.joining(", "))
                        + " (got '" + text + "')"));
    }
}
