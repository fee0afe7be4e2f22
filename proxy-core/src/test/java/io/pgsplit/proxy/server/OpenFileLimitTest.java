package io.pgsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFileLimitTest {

    @Test
    void readsTheSoftLimitOfOpenFilesFromProcLimits(@TempDir Path dir) throws IOException {
        Path limits = Files.writeString(dir.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             95456                95456                processes
                Max open files            20000                524288               files
                Max locked memory         8388608              8388608              bytes
                """);

        assertThat(OpenFileLimit.softLimit(limits)).hasValue(20000);
        assertThat(OpenFileLimit.softLimit(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void transactionModeClientsNeedOneDescriptorEachAndThePoolsTheirOwn() {
        assertThat(OpenFileLimit.needed(10_000, false, 60)).isEqualTo(OpenFileLimit.BASELINE + 10_060);
        assertThat(OpenFileLimit.needed(10_000, true, 60)).isEqualTo(OpenFileLimit.BASELINE + 20_060);
    }
}
