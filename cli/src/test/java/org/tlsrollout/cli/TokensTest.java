package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.platform.io.PrivateFiles;

/** The secrets the CLI makes (issue 15): made once, kept owner-only from their creation, the environment first. */
class TokensTest {
    @TempDir
    Path home;

    @Test
    void tokensAndTheDatabasePasswordAreMadeOnceAndKeptOwnerOnly() throws Exception {
        StackConfig first = StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString()));
        StackConfig again = StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString()));

        assertThat(again.tokens()).isEqualTo(first.tokens());
        assertThat(again.dbPassword()).isEqualTo(first.dbPassword()).hasSizeGreaterThan(20);
        assertThat(first.dbUser()).isEqualTo("tlsrollout");
        assertThat(first.dbAdminUser()).isEqualTo("postgres");
        for (String file : new String[] {"tokens.env", "database.env"}) {
            assertThat(PrivateFiles.isOwnerOnly(home.resolve(file))).as(file).isTrue();
        }
        assertThat(Files.readString(home.resolve("tokens.env"))).contains(first.tokens().operator());
    }

    @Test
    void theEnvironmentWins() {
        StackConfig config = StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString(),
                Tokens.OPERATOR, "from-env", "TLSROLLOUT_DB_PASSWORD", "db-from-env"));
        assertThat(config.tokens().operator()).isEqualTo("from-env");
        assertThat(config.dbPassword()).isEqualTo("db-from-env");
        assertThat(home.resolve("database.env")).doesNotExist();
    }

    @Test
    void theKafkaCredentialsAreMadeWithTheBrokersDataOwnerOnlyAndGivenToEachServiceAsItsOwn() {
        StackConfig config = StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString()));

        Map<String, String> collector = Component.COLLECTOR.environment(config);
        Map<String, String> rules = Component.RULES.environment(config);

        assertThat(PrivateFiles.isOwnerOnly(config.kafkaCredentialsFile())).isTrue();
        assertThat(config.kafkaCredentialsFile()).startsWith(config.kafkaData());
        assertThat(collector).containsEntry("TLSROLLOUT_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("TLSROLLOUT_KAFKA_USER", "collector");
        assertThat(rules).containsEntry("TLSROLLOUT_KAFKA_USER", "rules");
        assertThat(collector.get("TLSROLLOUT_KAFKA_PASSWORD")).isNotEqualTo(rules.get("TLSROLLOUT_KAFKA_PASSWORD"));
        assertThat(Component.UI.environment(config)).doesNotContainKey("TLSROLLOUT_KAFKA_PASSWORD");
        assertThat(String.join(" ", Component.KAFKA.command(config))).as("no password on a command line")
                .contains("--credentials " + config.kafkaCredentialsFile())
                .doesNotContain(collector.get("TLSROLLOUT_KAFKA_PASSWORD"));
    }
}
