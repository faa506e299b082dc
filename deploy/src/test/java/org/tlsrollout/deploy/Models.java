package org.tlsrollout.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a manifest document into the Java model of its apiVersion and kind, and says what in it the model does not
 * know. fabric8's and Strimzi's models keep unknown fields in an any-setter ({@code additionalProperties}) instead of
 * failing, so after a strict read every {@code getAdditionalProperties()} of the object graph must be empty: that is
 * where a misspelled field lands. Custom resources are also checked against the CRD schema of the operator release
 * docs/deploy.md installs ({@link CrdSchema}): Strimzi's Java model (0.51.0, the last on Java 17) still reads fields its
 * v1 API dropped, and CloudNativePG has no Java model on Maven Central, so its {@code Cluster} has only the schema.
 */
final class Models {
    /** apiVersion/kind → model class. A document of any other apiVersion/kind is refused. */
    static final Map<String, Class<? extends HasMetadata>> CLASSES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

    /** apiVersion/kind → the CRD (src/test/resources/crds, README.md there) whose schema checks it too. */
    static final Map<String, String> CRDS = Map.of(
            "kafka.strimzi.io/v1/Kafka", "crds/kafkas.kafka.strimzi.io-1.2.0.yaml.gz",
            "kafka.strimzi.io/v1/KafkaNodePool", "crds/kafkanodepools.kafka.strimzi.io-1.2.0.yaml.gz",
            "kafka.strimzi.io/v1/KafkaTopic", "crds/kafkatopics.kafka.strimzi.io-1.2.0.yaml.gz",
            "kafka.strimzi.io/v1/KafkaUser", "crds/kafkausers.kafka.strimzi.io-1.2.0.yaml.gz",
            "postgresql.cnpg.io/v1/Cluster", "crds/clusters.postgresql.cnpg.io-1.30.0.yaml.gz");

    private Models() {
    }

    static String typeOf(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    }

    /** What is wrong with the document: empty when its model reads every field of it. */
    static List<String> problems(JsonNode doc) {
        String type = typeOf(doc);
        Class<? extends HasMetadata> model = CLASSES.get(type);
        String crd = CRDS.get(type);
        if (model == null && crd == null) {
            return List.of("no model for " + type + " (known: " + CLASSES.keySet() + " and " + CRDS.keySet() + ")");
        }
        List<String> problems = new ArrayList<>();
        if (model != null) {
            try {
                Object read = Repo.YAML.treeToValue(doc, model);
                unknownFields(read, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
            } catch (Exception e) {
                problems.add("not a " + type + ": " + e.getMessage());
            }
        } else {
            try {
                unknownFields(Repo.YAML.treeToValue(doc.path("metadata"), ObjectMeta.class), ".metadata", problems,
                        Collections.newSetFromMap(new IdentityHashMap<>()));
            } catch (Exception e) {
                problems.add("metadata: " + e.getMessage());
            }
        }
        if (crd != null) {
            CrdSchema.of(crd, doc.path("apiVersion").asText()).validate(doc, problems);
        }
        return problems;
    }

    /** Collects the paths of every non-empty {@code additionalProperties} of a model's object graph. */
    static void unknownFields(Object o, String path, List<String> found, Set<Object> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || o.getClass().isPrimitive()) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found, seen));
            return;
        }
        if (o instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!(pkg.startsWith("io.fabric8.") || pkg.startsWith("io.strimzi.")) || !seen.add(o)) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            Object value;
            try {
                if (name.equals("getAdditionalProperties")) {
                    Object extra = m.invoke(o);
                    if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                        found.add("unknown field(s) " + map.keySet() + " at " + (path.isEmpty() ? "." : path));
                    }
                    continue;
                }
                if (!(name.startsWith("get") && name.length() > 3 || name.startsWith("is") && name.length() > 2)) {
                    continue;
                }
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue; // a computed getter that needs more than the model holds (e.g. CustomResource's CRD name)
            }
            String property = name.startsWith("get") ? name.substring(3) : name.substring(2);
            unknownFields(value, path + "." + Character.toLowerCase(property.charAt(0)) + property.substring(1),
                    found, seen);
        }
    }
}
