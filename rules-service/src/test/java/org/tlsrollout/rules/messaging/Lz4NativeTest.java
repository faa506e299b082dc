package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.tlsrollout.testing.KafkaTestResource;

/**
 * service-kafka's {@code Lz4Native} in a service: under Quarkus' class loader, the lz4 Kafka's clients pick is the JNI
 * one. (Here rather than in service-kafka, which has no application to start.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class Lz4NativeTest {

    @Test
    void kafkasLz4IsTheJniOneOnceTheServiceStarted() {
        assertThat(LZ4Factory.class.getClassLoader()).as("lz4-java as the service loads it")
                .isNotSameAs(ClassLoader.getSystemClassLoader());
        LZ4Factory fastest = LZ4Factory.fastestInstance();
        assertThat(fastest).isSameAs(LZ4Factory.nativeInstance());
    }
}
