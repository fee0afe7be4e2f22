package io.pgsplit.proxy.admin;

/**
 * The process part of {@code /status}.
 *
 * @param startedAt  ISO-8601, UTC
 * @param configPath null when the configuration came from no file
 * @param lastReload null before the first reload
 */
public record ProcessStatus(String version, String startedAt, long uptimeSeconds, String configPath, Reload lastReload) {
    static final ProcessStatus UNKNOWN = new ProcessStatus(null, null, 0, null, null);

    /** @param at ISO-8601, UTC; {@code detail} what was applied, or why the file was rejected */
    public record Reload(String result, String at, String detail) {
    }
}
