package io.nuthatch.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A parent chart as our users have it: their application chart with this one as a dependency under
 * the alias {@code valkey} (the condition valkey.enabled), and their values block
 * (src/test/resources/seed-values-valkey.yaml, a copy of shared/fixtures) as its values, unchanged.
 * The dependency is copied into charts/, as `helm dependency build` would leave it.
 */
final class SubchartFixture {
    private SubchartFixture() {
    }

    static Path create(Path parent) {
        try {
            Files.createDirectories(parent);
            Files.writeString(parent.resolve("Chart.yaml"), """
                    apiVersion: v2
                    name: alerthistory
                    version: 1.0.0
                    dependencies:
                      - name: nuthatch
                        version: "%s"
                        alias: valkey
                        condition: valkey.enabled
                    """.formatted(ChartFacts.version()));
            try (InputStream seed = SubchartFixture.class.getResourceAsStream("/seed-values-valkey.yaml")) {
                Files.copy(seed, parent.resolve("values.yaml"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.createDirectories(parent.resolve("templates"));
            copyTree(HelmChart.chartDir(), parent.resolve("charts").resolve("nuthatch"));
            return parent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
