package org.tlsrollout.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL database of remediation-service and the role it connects as: checked reachable, created when
 * missing, dropped by --wipe. The CLI works as the administrative role ({@link StackConfig#dbAdminUser()}); the
 * service connects as {@link StackConfig#dbUser()}, a role with LOGIN and nothing more (not a superuser, no
 * CREATEDB, no CREATEROLE) that owns the database and so everything its migrations create there.
 */
public final class Database {
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?$");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String url;
    private final String role;
    private final String rolePassword;
    private final String adminUser;
    private final String adminPassword;

    public Database(StackConfig config) {
        this.url = config.dbUrl();
        this.role = config.dbUser();
        this.rolePassword = config.dbPassword();
        this.adminUser = config.dbAdminUser();
        this.adminPassword = config.dbAdminPassword();
    }

    public String name() {
        return matcher().group(2);
    }

    /** The role the services connect as. */
    public String role() {
        return role;
    }

    /**
     * Makes the service's role (LOGIN, the password of the configuration) and the database it owns when missing; a
     * database made before, by another owner, is handed over to the role with everything in its schema
     * {@code public}. Returns true when the database was created.
     */
    public boolean ensureExists() {
        if (!ROLE.matcher(role).matches()) {
            throw new StackException("TLSROLLOUT_DB_USER must be a plain PostgreSQL role name (letters, digits, _), not "
                    + role);
        }
        try (Connection admin = admin("postgres")) {
            ensureRole(admin);
            try (PreparedStatement exists = admin.prepareStatement(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        if (!role.equals(rs.getString(1))) {
                            handOver(admin);
                        }
                        return false;
                    }
                }
            }
            try (Statement create = admin.createStatement()) {
                create.execute("CREATE DATABASE \"" + name() + "\" OWNER \"" + role + "\"");
            }
            return true;
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    public void drop() {
        try (Connection admin = admin("postgres"); Statement drop = admin.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS \"" + name() + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    /**
     * The role, created when missing; refused when it is a superuser (TLSROLLOUT_DB_USER once named the
     * administrative role). Its password is set to the configuration's each time, hashed by the driver
     * (SCRAM-SHA-256): the statement never carries it in clear.
     */
    private void ensureRole(Connection admin) throws SQLException {
        try (PreparedStatement find = admin.prepareStatement("SELECT rolsuper FROM pg_roles WHERE rolname = ?")) {
            find.setString(1, role);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    throw new StackException("TLSROLLOUT_DB_USER is " + role + ", a superuser: the services connect"
                            + " as a role that is not (default tlsrollout, which ./tlsrollout creates); the role that"
                            + " creates it and the database is TLSROLLOUT_DB_ADMIN_USER (default postgres)");
                }
            }
        }
        try (Statement create = admin.createStatement()) {
            // Two stacks starting at once (tests, a benchmark beside `up`) may both find it missing.
            create.execute("DO $$ BEGIN CREATE ROLE \"" + role + "\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;"
                    + " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        }
        if (!rolePassword.isEmpty()) {
            admin.unwrap(PGConnection.class).alterUserPassword(role, rolePassword.toCharArray(), "scram-sha-256");
        }
    }

    /**
     * A database made by an earlier release (owned by the administrative role): the role takes it over, with the
     * schemas and the tables, views and sequences in them.
     */
    private void handOver(Connection admin) throws SQLException {
        try (Statement alter = admin.createStatement()) {
            alter.execute("ALTER DATABASE \"" + name() + "\" OWNER TO \"" + role + "\"");
        }
        try (Connection db = admin(name()); Statement alter = db.createStatement()) {
            alter.execute("""
                    DO $$
                    DECLARE r record;
                    BEGIN
                      FOR r IN SELECT n.nspname FROM pg_namespace n
                               WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
                                 AND pg_get_userbyid(n.nspowner) <> '%1$s'
                      LOOP
                        EXECUTE format('ALTER SCHEMA %%I OWNER TO %%I', r.nspname, '%1$s');
                      END LOOP;
                      FOR r IN SELECT c.oid::regclass AS object, c.relkind FROM pg_class c
                               JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%%'
                                 AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                                 AND pg_get_userbyid(c.relowner) <> '%1$s'
                                 AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                          WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
                      LOOP
                        EXECUTE format('ALTER %%s %%s OWNER TO %%I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE'
                          WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.object, '%1$s');
                      END LOOP;
                    END $$""".formatted(role));
        }
    }

    private Connection admin(String database) throws SQLException {
        Matcher m = matcher();
        String adminUrl = m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
        return DriverManager.getConnection(adminUrl, adminUser, adminPassword);
    }

    private Matcher matcher() {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new StackException("TLSROLLOUT_DB_URL must look like jdbc:postgresql://host:port/database, not " + url);
        }
        return m;
    }

    private StackException unreachable(SQLException e) {
        return new StackException("PostgreSQL is not reachable at " + url + " as user " + adminUser + ": "
                + e.getMessage() + "\n  start the local server (pg_ctlcluster --skip-systemctl-redirect 15 main start),"
                + " or point TLSROLLOUT_DB_URL, TLSROLLOUT_DB_ADMIN_USER and TLSROLLOUT_DB_ADMIN_PASSWORD at yours", e);
    }
}
