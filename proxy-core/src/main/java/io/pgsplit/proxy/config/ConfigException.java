package io.pgsplit.proxy.config;

/** A configuration problem, tied to the key path it concerns so the operator knows which line to fix. */
public final class ConfigException extends Exception {
    private final String key;

    /**
     * @param key the key path, e.g. {@code servers[1].port}, or the source name for problems with the file as a whole
     */
    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
