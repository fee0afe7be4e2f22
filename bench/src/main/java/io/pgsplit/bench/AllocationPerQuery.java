package io.pgsplit.bench;

import io.pgsplit.proxy.cli.DemoEnvironment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Heap bytes pgsplit's event loops allocate per proxied query, for a cached read in each query mode: starts the demo
 * (a primary, one replica and pgsplit, in this JVM), runs {@code pgbench -S} through pgsplit once to warm up and once
 * to measure, and divides what the {@code pgsplit-io} threads allocated in the second run by its transactions. Health
 * probes and the classifier run on other threads, so the figure is the hot path's own.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.pgsplit.bench.AllocationPerQuery [transactions-per-client] [modes]</pre>
 */
public final class AllocationPerQuery {
    private static final int CLIENTS = 4;
    private static final String IO_THREADS = "pgsplit-io";

    private AllocationPerQuery() {
    }

    public static void main(String[] args) throws Exception {
        int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<String> modes = List.of((args.length > 1 ? args[1] : "simple,extended,prepared").split(","));
        Path pgbench = pgbench();
        try (DemoEnvironment demo = DemoEnvironment.start(1, 0, OptionalInt.empty())) {
            run(pgbench, List.of("-i", "-q", "-s", "1", primaryUrl(demo)));
            Thread.sleep(2_000); // the replica replays the initialised tables
            System.out.printf("%-9s %12s %14s%n", "mode", "queries", "bytes/query");
            for (String mode : modes) {
                pgbenchSelect(pgbench, demo, mode, transactions / 4);
                long before = ioThreadAllocations();
                pgbenchSelect(pgbench, demo, mode, transactions);
                long allocated = ioThreadAllocations() - before;
                long queries = (long) transactions * CLIENTS;
                System.out.printf("%-9s %12d %14.0f%n", mode, queries, (double) allocated / queries);
            }
        }
    }

    private static void pgbenchSelect(Path pgbench, DemoEnvironment demo, String mode, int transactions)
            throws IOException, InterruptedException {
        run(pgbench, List.of("-n", "-S", "-M", mode, "-c", String.valueOf(CLIENTS), "-j", "2",
                "-t", String.valueOf(transactions), demo.psqlUrl()));
    }

    private static String primaryUrl(DemoEnvironment demo) {
        var primary = demo.cluster().primary();
        return "postgresql://" + demo.cluster().appUser() + ":" + demo.cluster().appPassword() + "@" + primary.host()
                + ":" + primary.port() + "/" + io.pgsplit.cluster.LocalPgCluster.APP_DATABASE;
    }

    /** Bytes allocated so far by the threads of pgsplit's event loops. */
    private static long ioThreadAllocations() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(IO_THREADS)) {
                ids.add(thread.getId());
            }
        }
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(ids.stream().mapToLong(Long::longValue).toArray())) {
            total += Math.max(bytes, 0);
        }
        return total;
    }

    private static void run(Path pgbench, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(pgbench.toString()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
    }

    private static Path pgbench() {
        String bin = System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin");
        Path path = Path.of(bin, "pgbench");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("pgbench not found in " + bin + " (set PG_BIN)");
        }
        return path;
    }
}
