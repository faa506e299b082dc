package org.tlsrollout.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.http.HttpStatusException;
import org.tlsrollout.agent.identity.AgentKeys;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.testing.FakeServices;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.EcJwk;

/**
 * The agent's own key pair (api.md, Authentication): made on first start, kept owner-only in the state folder (the
 * POSIX path; the Windows ACL path has never run), sent with a proof of possession that the fake collector checks
 * as the real one does, and renewed by enrolling again before the token expires.
 */
class AgentIdentityTest {
    static final String MACHINE = "PC-0007.corp.example";

    @TempDir
    Path tmp;
    final ExecutorService executor = Executors.newFixedThreadPool(2);
    FakeServices services;
    AgentHttp http;

    @BeforeEach
    void setUp() throws Exception {
        services = new FakeServices();
        services.jwks(TestJobs.jwks(TestJobs.newKey("job-key-1")));
        http = new AgentHttp(AgentHttp.newClient(executor, Duration.ofSeconds(5)), services.uri(), services.uri(),
                Duration.ofSeconds(10), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        services.close();
        executor.shutdownNow();
    }

    @Test
    void theKeyIsMadeOnceOwnerOnlyInANewOwnerOnlyStateFolderAndReadBackTheSame() throws Exception {
        Path dir = tmp.resolve("state").resolve("agent");
        KeyPair first = new FileAgentState(dir).identity();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Path key = dir.resolve(AgentKeys.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).contains("-----BEGIN PRIVATE KEY-----");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(AgentKeys.FILE); // no temp file left
        }

        KeyPair again = new FileAgentState(dir).identity();
        assertThat(again.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
        assertThat(again.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
    }

    @Test
    void aKeyFileOthersMayReadIsRefused() throws Exception {
        Path dir = tmp.resolve("agent");
        new FileAgentState(dir).identity();
        Files.setPosixFilePermissions(dir.resolve(AgentKeys.FILE), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> new FileAgentState(dir).identity()).hasMessageContaining("agent-key.pem")
                .hasStackTraceContaining("read by others");
    }

    @Test
    void enrollsWithItsPublicKeyAndAProofAndRenewsBeforeTheTokenExpires() throws Exception {
        services.tokenLifetime(Duration.ofMinutes(4)); // inside the agent's renewal margin: every cycle renews
        InMemoryAgentState state = new InMemoryAgentState();
        Agent agent = agent(state);

        agent.cycle().get(60, TimeUnit.SECONDS);
        agent.cycle().get(60, TimeUnit.SECONDS);

        // A token within the renewal margin is renewed before each call: every enrollment carried a new proof that
        // the fake collector checked, for the key first bound.
        assertThat(services.enrollments()).isGreaterThanOrEqualTo(2);
        assertThat(services.boundKey(MACHINE)).isEqualTo(EcJwk.thumbprint(state.identity().getPublic()));
    }

    @Test
    void anotherKeyForTheSameMachineIsRefusedWith409() throws Exception {
        agent(new InMemoryAgentState()).enroll().get(60, TimeUnit.SECONDS);

        assertThatThrownBy(() -> agent(new InMemoryAgentState()).enroll().get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(HttpStatusException.class).hasMessageContaining("409");
    }

    Agent agent(AgentState state) {
        AgentConfig config = AgentConfig.builder().collectorUrl(services.uri()).remediationUrl(services.uri())
                .enrollSecret(FakeServices.SECRET).pinnedJwks(TestJobs.jwks(TestJobs.newKey("job-key-1"))).build();
        RecordingHost host = new RecordingHost();
        return Agent.builder(config).machine(MACHINE, "P01").http(http).state(state).registry(new InMemoryRegistry())
                .host(host).deployments(host).prober(host).executor(executor).build();
    }
}
