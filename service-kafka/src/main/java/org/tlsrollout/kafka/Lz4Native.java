package org.tlsrollout.kafka;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import net.jpountz.lz4.LZ4Factory;
import org.jboss.logging.Logger;

/**
 * Loads lz4-java's JNI library before the Kafka clients first compress or decompress with lz4 (the snapshots and the
 * job events are lz4). Kafka takes {@link LZ4Factory#fastestInstance()}, which picks the JNI library only when it is
 * loaded already or when lz4-java was loaded by the system class loader: under Quarkus' class loader it would be the
 * pure-Java one, the slowest (docs/benchmarks.md, B1, stop 26).
 */
@ApplicationScoped
public class Lz4Native {
    private static final Logger LOG = Logger.getLogger(Lz4Native.class);

    /* Before anything else of the application, so before the messaging channels start. */
    void load(@Observes @Initialized(ApplicationScoped.class) @Priority(Interceptor.Priority.PLATFORM_BEFORE) Object started) {
        try {
            LZ4Factory.nativeInstance();
        } catch (Throwable e) { // no JNI library for this platform: Kafka falls back to the Java one
            LOG.infof("lz4's JNI library did not load (%s): Kafka's lz4 runs in Java", e);
        }
    }
}
