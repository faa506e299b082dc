package org.tlsrollout.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/** Every Kafka jar of one JVM has to be the same release: the clients the services use and the broker we run. */
class KafkaVersionTest {

    private static final String CLIENTS_VERSION = AppInfoParser.getVersion();
    /** A jar in the Maven repository: .../org/apache/kafka/(artifact)/(version)/(artifact)-(version).jar!... */
    private static final Pattern MAVEN_KAFKA_JAR = Pattern.compile(".*/org/apache/kafka/([^/]+)/([^/]+)/[^/]+\\.jar!.*");

    @Test
    void clientsAreTheReleaseOfTheServer() throws Exception {
        Path serverJar = Path.of(KafkaRaftServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jar = new JarFile(serverJar.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Version"))
                    .as("Version in the manifest of %s", serverJar.getFileName())
                    .isEqualTo(CLIENTS_VERSION);
        }
    }

    @Test
    void everyKafkaModuleNamesTheReleaseOfTheClients() throws IOException {
        List<URL> versionFiles = resources("kafka/kafka-version.properties");
        assertThat(versionFiles).as("kafka-version.properties of clients, server, raft, storage, ...")
                .hasSizeGreaterThan(5);
        for (URL versionFile : versionFiles) {
            assertThat(versionIn(versionFile)).as("version in %s", versionFile).isEqualTo(CLIENTS_VERSION);
        }
    }

    @Test
    void everyKafkaJarIsTheReleaseOfTheClients() throws IOException {
        int kafkaJars = 0;
        for (URL manifest : resources("META-INF/MANIFEST.MF")) {
            Matcher jar = MAVEN_KAFKA_JAR.matcher(manifest.toString());
            if (jar.matches()) {
                kafkaJars++;
                assertThat(jar.group(2)).as("version of %s", jar.group(1)).isEqualTo(CLIENTS_VERSION);
            }
        }
        assertThat(kafkaJars).as("Kafka jars from the Maven repository on the class path").isGreaterThan(10);
    }

    private List<URL> resources(String name) throws IOException {
        return Collections.list(getClass().getClassLoader().getResources(name));
    }

    private static String versionIn(URL versionFile) throws IOException {
        try (InputStream in = versionFile.openStream()) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
