package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.testing.TestDatabase;

/** The services' PostgreSQL role (issue 15): not a superuser, owner of its database, on the local PostgreSQL. */
class DatabaseTest {
    private static final String ROLE = "tlsrollout_dbtest";

    @TempDir
    Path home;

    private StackConfig config(String url, String role) {
        return new StackConfig(home, home, 9092, 9093, 8081, 8082, 8083, 8080, 3, url, role, "db-test-password",
                "postgres", "", "", new Tokens("o", "v", "e"));
    }

    @Test
    void createsTheRoleAndTheDatabaseItOwnsAndNothingMore() throws Exception {
        String name = "tlsrollout_dbtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String url = "jdbc:postgresql://127.0.0.1:5432/" + name;
        Database database = new Database(config(url, ROLE));
        try {
            assertThat(database.ensureExists()).isTrue();
            assertThat(database.ensureExists()).as("the second time").isFalse();

            assertThat(query("postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + name
                    + "'")).containsExactly(ROLE);
            assertThat(query("postgres", "SELECT rolsuper || ' ' || rolcreatedb || ' ' || rolcreaterole || ' '"
                    + " || rolcanlogin FROM pg_roles WHERE rolname = '" + ROLE + "'"))
                    .containsExactly("false false false true");
            try (Connection asRole = DriverManager.getConnection(url, ROLE, "db-test-password");
                    Statement st = asRole.createStatement()) {
                st.execute("CREATE TABLE t (id bigserial PRIMARY KEY)"); // what Flyway's migrations do
                assertThatThrownBy(() -> st.execute("CREATE DATABASE " + name + "_other"))
                        .isInstanceOf(SQLException.class);
            }
        } finally {
            database.drop();
        }
        assertThat(query("postgres", "SELECT datname FROM pg_database WHERE datname = '" + name + "'")).isEmpty();
    }

    @Test
    void takesOverADatabaseAnEarlierReleaseMadeAsTheAdministrator() throws Exception {
        try (TestDatabase made = TestDatabase.create()) {
            try (Connection admin = DriverManager.getConnection(made.jdbcUrl(), made.username(), made.password());
                    Statement st = admin.createStatement()) {
                st.execute("CREATE TABLE machine (id bigserial PRIMARY KEY)");
                st.execute("CREATE SEQUENCE loose_sequence");
                st.execute("CREATE VIEW machine_ids AS SELECT id FROM machine");
                st.execute("CREATE SCHEMA collector"); // the collector's identity bindings
                st.execute("CREATE TABLE collector.agent_identity (machine_id text PRIMARY KEY)");
            }

            assertThat(new Database(config(made.jdbcUrl(), ROLE)).ensureExists()).isFalse();

            assertThat(query(made.name(), "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c JOIN"
                    + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'collector')"))
                    .containsExactly(ROLE);
            assertThat(query(made.name(), "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname ="
                    + " 'collector'")).containsExactly(ROLE);
            assertThat(query("postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '"
                    + made.name() + "'")).containsExactly(ROLE);
        }
    }

    @Test
    void refusesASuperuserAsTheServicesRole() {
        assertThatThrownBy(() -> new Database(config("jdbc:postgresql://127.0.0.1:5432/tlsrollout_never", "postgres"))
                .ensureExists()).isInstanceOf(StackException.class)
                .hasMessageContaining("a superuser").hasMessageContaining("TLSROLLOUT_DB_ADMIN_USER");
    }

    private static List<String> query(String database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
