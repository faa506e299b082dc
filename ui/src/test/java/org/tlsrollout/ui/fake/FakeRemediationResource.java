package org.tlsrollout.ui.fake;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts {@link FakeRemediation} before the ui and points the ui's proxy at it. Tests get the fake in a field
 * annotated {@link InjectFake}.
 */
public class FakeRemediationResource implements QuarkusTestResourceLifecycleManager {
    public static final String GRAFANA_URL = "http://grafana.example.test:3000/d/tlsrollout";

    private FakeRemediation fake;

    @Override
    public Map<String, String> start() {
        fake = new FakeRemediation();
        fake.start();
        return Map.of(
                "ui.remediation-url", fake.url(),
                "ui.grafana-url", GRAFANA_URL,
                "ui.remediation-timeout", "5s",
                "ui.refresh-interval", "2s");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFake.class, FakeRemediation.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.stop();
        }
    }
}
