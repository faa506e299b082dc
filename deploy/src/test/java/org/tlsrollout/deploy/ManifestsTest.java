package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/** What the manifests must say beyond their schema: api.md's topics, ACLs, ports, probes, and no credentials. */
class ManifestsTest {
    private static final List<String> SERVICES = List.of("collector-service", "rules-service", "remediation-service", "ui");
    private static final List<Repo.Document> DOCS = Repo.manifests();

    @Test
    void kustomizationListsEveryManifestAndNothingElse() {
        JsonNode kustomization = Repo.yaml(Repo.BASE.resolve("kustomization.yaml"));
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new TreeSet<>();
        for (Path file : Repo.manifestFiles()) {
            if (file.startsWith(Repo.BASE)) {
                files.add(Repo.BASE.relativize(file).toString());
            }
        }

        assertThat(listed).isEqualTo(files);
        assertThat(kustomization.path("namespace").asText()).isEqualTo("tlsrollout");
        Set<String> imagesSet = new TreeSet<>();
        kustomization.path("images").forEach(i -> imagesSet.add(i.path("name").asText()));
        Set<String> imagesUsed = new TreeSet<>();
        for (Repo.Document d : of("Deployment")) {
            d.tree().path("spec").path("template").path("spec").path("containers")
                    .forEach(c -> imagesUsed.add(c.path("image").asText().replaceFirst(":[^:/]+$", "")));
        }
        assertThat(imagesSet).isEqualTo(imagesUsed);
    }

    @Test
    void topicsAreTheContractsTopicsWithTwelvePartitions() {
        Map<String, Integer> partitions = new TreeMap<>();
        for (Repo.Document t : of("KafkaTopic")) {
            JsonNode spec = t.tree().path("spec");
            partitions.put(spec.path("topicName").asText(t.metadataName()), spec.path("partitions").asInt());
        }

        assertThat(partitions.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(partitions.values()).containsOnly(12);
    }

    @Test
    void eachServiceMayReadAndWriteExactlyWhatKafkaPrincipalsSays() {
        // platform's KafkaPrincipals.acls() (api.md, "Kafka topics", plus the audit trail), as the local and compose
        // brokers apply them; a KafkaUser is named after its service. Describe, implied by Read and Write, is spelled
        // out on topics as Strimzi's examples do.
        Map<String, Set<String>> expected = new HashMap<>();
        Map<String, Map<String, Set<String>>> byResource = new HashMap<>();
        for (AclBinding acl : KafkaPrincipals.acls()) {
            String user = acl.entry().principal().substring("User:".length()) + "-service";
            String type = acl.pattern().resourceType().name().toLowerCase(Locale.ROOT);
            Set<String> ops = byResource.computeIfAbsent(user, u -> new TreeMap<>())
                    .computeIfAbsent(type + " " + acl.pattern().name(), r -> new TreeSet<>());
            ops.add(cased(acl.entry().operation()));
            if (type.equals("topic")) {
                ops.add("Describe");
            }
        }
        byResource.forEach((user, resources) -> expected.put(user, resources.entrySet().stream()
                .map(e -> e.getKey() + " " + String.join(",", e.getValue())).collect(Collectors.toSet())));
        String rulesGroup = Repo.serviceProperties("rules-service").getProperty("snapshots.consumer.group.id");
        String remediationGroup = Repo.serviceProperties("remediation-service")
                .getProperty("mp.messaging.incoming.evaluations.group.id");
        assertThat(expected.get("rules-service")).contains("group " + rulesGroup + " Read");
        assertThat(expected.get("remediation-service")).contains("group " + remediationGroup + " Read");
        assertThat(expected.get("collector-service")).contains("topic " + Topics.AUDIT + " Describe,Write");

        Map<String, Set<String>> acls = new HashMap<>();
        for (Repo.Document user : of("KafkaUser")) {
            JsonNode spec = user.tree().path("spec");
            assertThat(spec.path("authentication").path("type").asText()).as(user.name()).isEqualTo("scram-sha-512");
            Set<String> rules = new TreeSet<>();
            for (JsonNode acl : spec.path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                assertThat(resource.path("patternType").asText()).as(user.name()).isEqualTo("literal");
                List<String> ops = new ArrayList<>();
                acl.path("operations").forEach(o -> ops.add(o.asText()));
                rules.add(resource.path("type").asText() + " " + resource.path("name").asText() + " "
                        + String.join(",", new TreeSet<>(ops)));
            }
            acls.put(user.metadataName(), rules);
        }

        assertThat(acls).isEqualTo(expected);
        JsonNode kafka = single("Kafka").path("spec").path("kafka");
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("listeners")).allSatisfy(l -> {
            assertThat(l.path("tls").asBoolean()).as("TLS on listener " + l).isTrue();
            assertThat(l.path("authentication").path("type").asText()).as("listener " + l).isEqualTo("scram-sha-512");
        });
    }

    @Test
    void eachServiceUsesItsOwnKafkaUser() {
        for (String service : List.of("collector-service", "rules-service", "remediation-service")) {
            Map<String, JsonNode> env = env(deployment(service));
            assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef").path("name").asText())
                    .as(service).isEqualTo(service);
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL").path("value").asText()).as(service).isEqualTo("SASL_SSL");
            assertThat(env.get("KAFKA_SASL_MECHANISM").path("value").asText()).as(service).isEqualTo("SCRAM-SHA-512");
        }
        assertThat(env(deployment("ui"))).doesNotContainKey("KAFKA_SASL_JAAS_CONFIG");
    }

    @Test
    void everyServiceServesItsPortWithProbesResourcesAServiceAndADisruptionBudget() {
        for (String service : SERVICES) {
            String port = Repo.serviceProperties(service).getProperty("quarkus.http.port");
            JsonNode pod = deployment(service).path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);

            assertThat(container.path("ports").get(0).path("containerPort").asText()).as(service).isEqualTo(port);
            assertThat(env(deployment(service)).get("QUARKUS_HTTP_SSL_PORT").path("value").asText()).as(service)
                    .isEqualTo(port);
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                    .isEqualTo("/q/health/ready");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(container.path(probe).path("httpGet").path("scheme").asText()).as(service + " " + probe)
                        .isEqualTo("HTTPS");
            }
            for (String kind : List.of("requests", "limits")) {
                assertThat(container.path("resources").path(kind).has("memory")).as(service + " " + kind).isTrue();
            }
            assertThat(container.path("resources").path("requests").has("cpu")).as(service).isTrue();

            Repo.Document svc = named("Service", service);
            assertThat(svc.tree().path("spec").path("ports").get(0).path("port").asText()).as(service).isEqualTo(port);
            assertThat(svc.tree().path("spec").path("selector").path("app.kubernetes.io/name").asText())
                    .isEqualTo(service);
            assertThat(named("PodDisruptionBudget", service).tree().path("spec").path("selector").path("matchLabels")
                    .path("app.kubernetes.io/name").asText()).isEqualTo(service);
            assertThat(named("ServiceMonitor", service).tree().path("spec").path("endpoints").get(0).path("path")
                    .asText()).isEqualTo("/q/metrics");
        }
    }

    @Test
    void rulesServiceScalesUpToTheSnapshotTopicsPartitions() {
        JsonNode hpa = named("HorizontalPodAutoscaler", "rules-service").tree().path("spec");
        int partitions = of("KafkaTopic").stream()
                .filter(t -> t.tree().path("spec").path("topicName").asText().equals(Topics.SNAPSHOTS))
                .findFirst().orElseThrow().tree().path("spec").path("partitions").asInt();

        assertThat(hpa.path("scaleTargetRef").path("name").asText()).isEqualTo("rules-service");
        assertThat(hpa.path("maxReplicas").asInt()).isEqualTo(partitions);
        assertThat(deployment("rules-service").path("spec").has("replicas"))
                .as("replicas left to the autoscaler").isFalse();
    }

    @Test
    void noCredentialIsWrittenInTheManifests() {
        Pattern secretName = Pattern.compile("TOKEN|SECRET|PASSWORD|JAAS|KEY$");
        assertThat(DOCS).noneMatch(d -> d.kind().equals("Secret"));
        for (Repo.Document d : of("Deployment")) {
            env(d.tree()).forEach((name, var) -> {
                if (secretName.matcher(name).find() && !name.startsWith("QUARKUS_TLS_KEY_STORE")) {
                    assertThat(var.path("valueFrom").has("secretKeyRef")).as(d.name() + " " + name + " from a Secret")
                            .isTrue();
                    assertThat(var.has("value")).as(d.name() + " " + name).isFalse();
                }
                assertThat(var.path("value").asText()).as(d.name() + " " + name)
                        .doesNotContainIgnoringCase("password=");
            });
        }
    }

    @Test
    void theDatabaseOwnerIsNotASuperuser() {
        JsonNode cluster = single("Cluster").path("spec");

        assertThat(cluster.path("enableSuperuserAccess").asBoolean(true)).isFalse();
        assertThat(cluster.path("bootstrap").path("initdb").path("owner").asText()).isEqualTo("tlsrollout");
        assertThat(cluster.path("managed").path("roles")).as("no extra role").isEmpty();
    }

    private static List<Repo.Document> of(String kind) {
        return DOCS.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    private static JsonNode single(String kind) {
        assertThat(of(kind)).as(kind).hasSize(1);
        return of(kind).get(0).tree();
    }

    private static Repo.Document named(String kind, String name) {
        return of(kind).stream().filter(d -> d.metadataName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode deployment(String name) {
        return named("Deployment", name).tree();
    }

    private static Map<String, JsonNode> env(JsonNode deployment) {
        Map<String, JsonNode> env = new TreeMap<>();
        for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        }
        return env;
    }

    /** READ as Strimzi spells it: Read. */
    private static String cased(AclOperation operation) {
        String name = operation.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
