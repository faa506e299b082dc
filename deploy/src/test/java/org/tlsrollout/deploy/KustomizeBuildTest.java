package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code kubectl kustomize} builds the base: every manifest once, in namespace tlsrollout. Skipped without kubectl. */
class KustomizeBuildTest {

    @Test
    void theBaseBuildsIntoTheNamespace() throws Exception {
        Path kubectl = Tools.find("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: the kustomize build is not checked");
        Tools.Result result = Tools.exec(List.of(kubectl.toString(), "kustomize", Repo.BASE.toString()),
                Repo.ROOT);
        assertThat(result.exitCode()).as(result.output()).isZero();
        String output = result.output();

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
