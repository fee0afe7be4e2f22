package io.pgsplit.proxy.cli;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --watch: a change of the config file, or of a certificate it names in another directory, reloads. */
class ReloadTriggersTest {
    @TempDir
    Path configDirectory;
    @TempDir
    Path certificateDirectory;

    @Test
    void aRotatedCertificateInItsOwnDirectoryTriggersAReload() throws Exception {
        Path config = Files.writeString(configDirectory.resolve("pgsplit.yaml"), "listen: 127.0.0.1:0\n");
        Path certificate = Files.writeString(certificateDirectory.resolve("server.crt"), "old");
        AtomicInteger reloads = new AtomicInteger();
        try (ReloadTriggers triggers = ReloadTriggers.install(reloads::incrementAndGet)) {
            triggers.watching(config).watching(certificate).watching(certificate);

            Files.writeString(certificate, "new");
            await().atMost(Duration.ofSeconds(20)).until(() -> reloads.get() >= 1);

            int afterCertificate = reloads.get();
            Files.writeString(config, "listen: 127.0.0.1:1\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> reloads.get() > afterCertificate);
        }
    }
}
