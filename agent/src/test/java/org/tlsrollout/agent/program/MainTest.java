package org.tlsrollout.agent.program;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.agent.snapshot.LogSource;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RegistryKeys;
import picocli.CommandLine;

/** The program's command line, on a recorded platform (this is Linux: the Windows classes are not wired here). */
class MainTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(java.util.function.Function<ProgramConfig, Platform> platforms, String... args) {
        CommandLine cl = Main.commandLine(platforms);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    Path config() throws Exception {
        Files.writeString(dir.resolve("enroll.secret"), "s3cret\n");
        Files.writeString(dir.resolve("signing-keys.json"), TestJobs.jwks(TestJobs.newKey("job-key-1")));
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "collector.url=https://collector.corp.example\nremediation.url=https://remediation.corp.example\n"
                + "site.code=P01\nmachine.id=pc-0142.corp.example\nenroll.secret.file=enroll.secret\n"
                + "signing.keys.file=signing-keys.json\nstate.dir=state\n");
        return file;
    }

    static Platform recorded() {
        RecordingHost host = new RecordingHost();
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT), RegistryKeys.ENABLED, 1);
        return new Platform() {
            public String machineId() {
                return "ignored.corp.example";
            }

            public Registry registry() {
                return registry;
            }

            public Host host() {
                return host;
            }

            public Deployments deployments() {
                return host;
            }

            public Prober prober() {
                return host;
            }

            public LogSource logs() {
                return LogSource.NONE;
            }

            public ActionHook actionHook() {
                return ActionHook.NONE;
            }
        };
    }

    @Test
    void snapshotPrintPrintsTheSnapshotAndChangesNothing() throws Exception {
        Path config = config();
        int rc = run(c -> recorded(), "snapshot", "--print", "--config", config.toString());

        assertThat(rc).as(err.toString()).isZero();
        JsonNode snapshot = Json.MAPPER.readTree(out.toString());
        assertThat(snapshot.path("machineId").asText()).isEqualTo("pc-0142.corp.example");
        assertThat(snapshot.path("siteCode").asText()).isEqualTo("P01");
        assertThat(Files.exists(dir.resolve("state").resolve("agent-key.pem"))).isFalse();
    }

    @Test
    void aWrongConfigurationExitsWith2NamingTheSetting() throws Exception {
        Path config = config();
        Files.writeString(config, Files.readString(config).replace("site.code=P01", "site.code=P0001"));
        assertThat(run(c -> recorded(), "--config", config.toString(), "run")).isEqualTo(2);
        assertThat(err.toString()).contains("site.code P0001");
    }

    @Test
    void offWindowsRunRefusesWithAClearMessage() throws Exception {
        Path config = config();
        assertThat(run(Main::windowsOnly, "run", "-c", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Windows machines only");
    }

    @Test
    void helpAndVersion() {
        assertThat(run(c -> recorded(), "--help")).isZero();
        assertThat(out.toString()).contains("run", "service", "snapshot");
        assertThat(run(c -> recorded(), "--version")).isZero();
        assertThat(out.toString()).contains("tlsrollout-agent ");
    }
}
