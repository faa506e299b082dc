package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code kubectl kustomize} builds the base: every manifest once, in namespace tlsrollout. Skipped without kubectl. */
class KustomizeBuildTest {

    @Test
    void theBaseBuildsIntoTheNamespace() throws Exception {
        Path kubectl = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                kubectl = Path.of(dir, "kubectl");
                break;
            }
        }
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: the kustomize build is not checked");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", Repo.BASE.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<JsonNode> built = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Repo.YAML.readerFor(JsonNode.class).readValues(output)) {
            it.forEachRemaining(built::add);
        }

        assertThat(built).hasSameSizeAs(Repo.manifests());
        assertThat(built).filteredOn(r -> !r.path("kind").asText().equals("Namespace"))
                .allSatisfy(r -> assertThat(r.path("metadata").path("namespace").asText()).as(r.path("metadata")
                        .path("name").asText()).isEqualTo("tlsrollout"));
    }
}
