package io.pgsplit.proxy.config;

/**
 * How many I/O loops serve the client and server channels, asked for in YAML as {@code io_threads: auto | N};
 * restart-only. A loop only moves bytes and never blocks, so loops beyond the cores the proxy really gets add
 * context switches, not throughput. {@code auto} is half the cores, at least one: on 2 cores shared with
 * pgbench and PostgreSQL, one loop instead of two cut the proxy's CPU per query by about a fifth and raised
 * throughput by about 6 % (bench A/B, both orders). A proxy with a machine of its own can be given a loop per core.
 */
public record IoThreads(int count, boolean automatic) {

    public IoThreads {
        if (count < 1) {
            throw new IllegalArgumentException("io_threads must be at least 1 (got " + count + ")");
        }
    }

    public static IoThreads auto(int cores) {
        return new IoThreads(Math.max(1, cores / 2), true);
    }

    /** {@code auto} or a positive count; {@code cores} is what auto is worked out from. */
    static IoThreads fromConfig(String text, int cores) {
        if (text.trim().equalsIgnoreCase("auto")) {
            return auto(cores);
        }
        try {
            return new IoThreads(Scalars.integerBetween(1, 1024).apply(text), false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be auto or a number of loops from 1 to 1024 (got '" + text + "')");
        }
    }

    public String describe() {
        return automatic ? count + " (auto)" : Integer.toString(count);
    }
}
