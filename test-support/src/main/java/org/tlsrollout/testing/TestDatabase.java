package org.tlsrollout.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away PostgreSQL database for one test run, named {@code tlsrollout_test_<random>}, created on the local
 * server and dropped by {@link #close()}. The server is {@value #DEFAULT_ADMIN_URL} as user {@value #DEFAULT_USER}
 * without password, or the one that the environment variables {@value #URL_ENV} (a JDBC URL of a database to connect
 * to for administration), {@value #USER_ENV} and {@value #PASSWORD_ENV} name. Usable from any test, Quarkus or not.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL_ENV = "TLSROLLOUT_TEST_PG_URL";
    public static final String USER_ENV = "TLSROLLOUT_TEST_PG_USER";
    public static final String PASSWORD_ENV = "TLSROLLOUT_TEST_PG_PASSWORD";
    public static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String DEFAULT_USER = "postgres";

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final String adminUrl;
    private final String username;
    private final String password;
    private final String name;

    private TestDatabase(String adminUrl, String username, String password, String name) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        this.name = name;
    }

    /** Creates a fresh database on the server that the environment names, or on the local default. */
    public static TestDatabase create() {
        return create(env(URL_ENV, DEFAULT_ADMIN_URL), env(USER_ENV, DEFAULT_USER), env(PASSWORD_ENV, ""));
    }

    /** Creates a fresh database on the server of {@code adminUrl}, connecting as {@code username}. */
    public static TestDatabase create(String adminUrl, String username, String password) {
        requireJdbcUrl(adminUrl);
        String name = "tlsrollout_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase database = new TestDatabase(adminUrl, username, password, name);
        database.execute("CREATE DATABASE " + name);
        return database;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database: the administration URL with the database name replaced. */
    public String jdbcUrl() {
        Matcher url = requireJdbcUrl(adminUrl);
        return url.group(1) + name + Objects.requireNonNullElse(url.group(3), "");
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Drops the database, closing the connections that are still open to it. */
    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + adminUrl + ": " + e.getMessage(), e);
        }
    }

    private Connection adminConnection() {
        Properties props = new Properties();
        props.setProperty("user", username);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        try {
            return DriverManager.getConnection(adminUrl, props);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + adminUrl + " as user " + username
                    + " (" + e.getMessage() + "). Start the local server with"
                    + " `pg_ctlcluster --skip-systemctl-redirect 15 main start`, or point " + URL_ENV + " and "
                    + USER_ENV + " at a server you can use.", e);
        }
    }

    private static Matcher requireJdbcUrl(String url) {
        Matcher matcher = JDBC_URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(URL_ENV + " must look like " + DEFAULT_ADMIN_URL + ", was " + url);
        }
        return matcher;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
