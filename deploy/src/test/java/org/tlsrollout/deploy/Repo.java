package org.tlsrollout.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** The repository's files that module deploy checks: manifests, monitoring/, the services' properties. */
final class Repo {
    static final Path ROOT = Path.of(System.getProperty("tlsrollout.root", "..")).toAbsolutePath().normalize();
    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    static final Path BASE = KUBERNETES.resolve("base");
    static final Path ALERTS = ROOT.resolve("monitoring/prometheus/alerts.yml");
    static final Path ALERT_TESTS = ROOT.resolve("monitoring/prometheus/alerts.test.yml");
    static final Path PROMETHEUS_CONFIG = ROOT.resolve("monitoring/prometheus.yml");
    static final Path DASHBOARDS = ROOT.resolve("monitoring/grafana/dashboards");

    /** Reads YAML strictly: a field of a model class that is not in the model fails (see Models for any-setters). */
    static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {
    }

    /** One YAML document of a manifest file. */
    record Document(Path file, int index, JsonNode tree) {
        String name() {
            return ROOT.relativize(file) + "#" + index + " (" + tree.path("kind").asText("?") + " "
                    + tree.path("metadata").path("name").asText("?") + ")";
        }

        String kind() {
            return tree.path("kind").asText();
        }

        String metadataName() {
            return tree.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** Every YAML file under deploy/kubernetes but kustomization.yaml files. */
    static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of every manifest file, in file order. */
    static List<Document> manifests() {
        List<Document> all = new ArrayList<>();
        for (Path file : manifestFiles()) {
            all.addAll(documents(file));
        }
        return all;
    }

    static List<Document> documents(Path file) {
        List<Document> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (it.hasNext()) {
                JsonNode tree = it.next();
                if (tree != null && !tree.isNull() && !tree.isEmpty()) {
                    docs.add(new Document(file, index++, tree));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A service's src/main/resources/application.properties (without profiles resolved). */
    static Properties serviceProperties(String service) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
