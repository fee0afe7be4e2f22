package io.pgsplit.proxy.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The I/O transport asked for in YAML as {@code transport: auto | io_uring | epoll | nio}; restart-only. */
public enum TransportChoice {
    AUTO("auto"),
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    private final String configName;

    TransportChoice(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static TransportChoice fromConfigName(String text) {
        return ConfigNames.find(values(), TransportChoice::configName, text)
                .orElseThrow(() -> new IllegalArgumentException("must be one of "
                        + Arrays.stream(values()).map(TransportChoice::configName).collect(Collectors.joining(", "))
                        + " (got '" + text + "')"));
    }
}
