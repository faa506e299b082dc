package org.tlsrollout.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PostgreSQL database of remediation-service: checked reachable, created when missing, dropped by --wipe. */
public final class Database {
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?$");

    private final String url;
    private final String user;
    private final String password;

    public Database(StackConfig config) {
        this.url = config.dbUrl();
        this.user = config.dbUser();
        this.password = config.dbPassword();
    }

    public String name() {
        return matcher().group(2);
    }

    /** Creates the database when it does not exist; returns true when it did. */
    public boolean ensureExists() {
        try (Connection admin = admin();
                PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE \"" + name() + "\"");
            }
            return true;
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    public void drop() {
        try (Connection admin = admin(); Statement drop = admin.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS \"" + name() + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    private Connection admin() throws SQLException {
        Matcher m = matcher();
        String adminUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        return DriverManager.getConnection(adminUrl, user, password);
    }

    private Matcher matcher() {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new StackException("TLSROLLOUT_DB_URL must look like jdbc:postgresql://host:port/database, not " + url);
        }
        return m;
    }

    private StackException unreachable(SQLException e) {
        return new StackException("PostgreSQL is not reachable at " + url + " as user " + user + ": " + e.getMessage()
                + "\n  start the local server (pg_ctlcluster --skip-systemctl-redirect 15 main start), or point"
                + " TLSROLLOUT_DB_URL, TLSROLLOUT_DB_USER and TLSROLLOUT_DB_PASSWORD at yours", e);
    }
}
