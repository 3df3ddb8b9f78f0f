package io.axle.server.deploy.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a rendered file with {@code src/test/resources/deploy/render/<case>/<file>}. Run the tests with
 * {@code -Daxle.golden.update=true} to write the golden files from the current output, then review the diff.
 */
final class Golden {
    private Golden() {}

    static void assertMatches(String goldenCase, String fileName, String actual) {
        String resource = "deploy/render/" + goldenCase + "/" + fileName;
        if (Boolean.getBoolean("axle.golden.update")) {
            Path path = Path.of("src/test/resources").resolve(resource);
            try {
                Files.createDirectories(path.getParent());
                Files.writeString(path, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (InputStream golden = Golden.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(golden)
                    .as("golden file %s (run with -Daxle.golden.update=true to create it)", resource)
                    .isNotNull();
            assertThat(actual).as(resource).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertAllMatch(String goldenCase, RenderedFiles files) {
        files.byFileName()
                .forEach((name, content) ->
                        assertMatches(goldenCase, name, new String(content, StandardCharsets.UTF_8)));
    }
}
