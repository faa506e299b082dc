package org.tlsrollout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresTestResourceTest {

    private static final String INVALID_CATALOG_NAME = "3D000";

    @Test
    void createsAFreshDatabaseAndDropsItOnStopEvenWhileConnected() throws Exception {
        PostgresTestResource resource = new PostgresTestResource();
        Map<String, String> config = resource.start();

        try (Connection connection = connect(config); ResultSet row = connection.createStatement()
                .executeQuery("SELECT current_database()")) {
            row.next();
            assertThat(row.getString(1)).startsWith("tlsrollout_test_");

            resource.stop();
        }

        assertThatExceptionOfType(SQLException.class).as("connecting to the database after stop")
                .isThrownBy(() -> connect(config).close())
                .satisfies(e -> assertThat(e.getSQLState()).isEqualTo(INVALID_CATALOG_NAME));
    }

    @Test
    void givesEachDatabaseItsOwnName() {
        try (TestDatabase first = TestDatabase.create(); TestDatabase second = TestDatabase.create()) {
            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(first.jdbcUrl()).contains("/" + first.name()).startsWith("jdbc:postgresql://");
        }
    }

    @Test
    void tellsHowToStartPostgresWhenItIsNotReachable() {
        assertThatIllegalStateException()
                .isThrownBy(() -> TestDatabase.create("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", ""))
                .withMessageContaining("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:1/postgres")
                .withMessageContaining("pg_ctlcluster --skip-systemctl-redirect 15 main start");
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
    }
}
