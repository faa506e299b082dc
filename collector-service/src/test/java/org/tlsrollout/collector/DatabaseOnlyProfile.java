package org.tlsrollout.collector;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import org.tlsrollout.testing.PostgresTestResource;

/**
 * A test profile without the run's broker: the run's KafkaTestResource is off (its address would win over the
 * profile's own {@code kafka.bootstrap.servers}) and only the database is started.
 */
public abstract class DatabaseOnlyProfile implements QuarkusTestProfile {
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresTestResource.class));
    }
}
