package io.pgsplit.proxy.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files in the repository's deploy/ directory; Maven runs a module's tests in the module directory. */
final class DeployFiles {
    static final Path DIRECTORY = Path.of("..", "deploy");
    static final Path CONFIG = DIRECTORY.resolve("pgsplit.yaml");
    static final Path SYSTEMD_UNIT = DIRECTORY.resolve("pgsplit.service");
    static final Path GRAFANA_DASHBOARD = DIRECTORY.resolve("grafana-dashboard.json");
    static final Path DOCKERFILE = DIRECTORY.resolve("docker").resolve("Dockerfile");
    static final Path COMPOSE = DIRECTORY.resolve("docker").resolve("compose.yaml");
    static final Path KUBERNETES = DIRECTORY.resolve("kubernetes");

    private DeployFiles() {
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
