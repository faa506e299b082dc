package org.tlsrollout.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every document of deploy/kubernetes reads into a real model of its kind, with no field the model does not know. */
class ManifestModelsTest {

    @TestFactory
    Stream<DynamicTest> everyManifestReadsIntoItsModelWithNoUnknownField() {
        var docs = Repo.manifests();
        assertThat(docs).as("manifests under " + Repo.KUBERNETES).hasSizeGreaterThan(20);
        return docs.stream().map(doc -> DynamicTest.dynamicTest(doc.name(),
                () -> assertThat(Models.problems(doc.tree())).as(doc.name()).isEmpty()));
    }

    @Test
    void aMisspelledKubernetesFieldIsFound() {
        JsonNode doc = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replica: 2
                  selector:
                    matchLabels: {app: x}
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinessProbe:
                            httpGet: {path: /q/health/ready, port: 8080, shceme: HTTPS}
                """);

        assertThat(Models.problems(doc)).containsExactlyInAnyOrder(
                "unknown field(s) [replica] at .spec",
                "unknown field(s) [shceme] at .spec.template.spec.containers[0].readinessProbe.httpGet");
    }

    @Test
    void aFieldStrimziDroppedFromItsV1ApiIsFound() {
        // "operation" (one) was v1beta2's; v1 has only "operations". Strimzi's Java model 0.51 still reads it: the v1
        // CRD's schema does not.
        JsonNode doc = yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata:
                  name: x
                spec:
                  authentication: {type: scram-sha-512}
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: t, patternType: literal}
                        operation: Read
                """);

        assertThat(Models.problems(doc)).contains("unknown field operation at .spec.authorization.acls[0]");
    }

    @Test
    void aWrongApiVersionOrAnUnknownKindIsRefused() {
        assertThat(Models.problems(yaml("{apiVersion: kafka.strimzi.io/v1beta2, kind: KafkaTopic, metadata: {name: t}}")))
                .singleElement().asString().startsWith("no model for kafka.strimzi.io/v1beta2/KafkaTopic");
        assertThat(Models.problems(yaml("{apiVersion: v1, kind: Secret, metadata: {name: s}}")))
                .singleElement().asString().startsWith("no model for v1/Secret");
    }

    @Test
    void aCloudNativePgClusterIsCheckedAgainstItsCrd() {
        JsonNode doc = yaml("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata:
                  name: db
                  lables: {a: b}
                spec:
                  instance: 3
                  enableSuperuserAccess: "no"
                  bootstrap:
                    initdb: {database: app, owner: app, secrets: x}
                  storage:
                    size: 1Gi
                """);

        assertThat(Models.problems(doc)).containsExactlyInAnyOrder(
                "unknown field(s) [lables] at .metadata",
                "unknown field instance at .spec",
                ".spec: required field instances missing",
                ".spec.enableSuperuserAccess: a boolean, not STRING",
                "unknown field secrets at .spec.bootstrap.initdb");
    }

    private static JsonNode yaml(String text) {
        try {
            return Repo.YAML.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
