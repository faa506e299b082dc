package org.tlsrollout.agent.program;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.contracts.Role;

/**
 * The agent program's one configuration file (Java properties, UTF-8), as install.ps1 writes it. Every problem is a
 * {@link ConfigException} naming the setting.
 *
 * <pre>
 * collector.url        https://collector.corp.example:8443   (http only to a loopback address)
 * remediation.url      https://remediation.corp.example:8443
 * jwks.url             optional; default {remediation.url}/.well-known/jwks.json
 * ca.file              optional; the CA (PEM) that issued the services' certificates; default: the JVM's trust store
 * site.code            the ConfigMgr site code the machine enrolls under (3 characters)
 * machine.id           optional; default the machine's fully qualified name
 * enroll.secret.file   a file holding the site's enrollment secret (readable by administrators only)
 * signing.keys.file    the pinned job-signing keys (a JWKS, from remediation-service's /.well-known/jwks.json)
 * state.dir            the state folder (agent key, sequences, results, undo log)
 * maintenance.window   optional; e.g. "Sat 02:00-06:00" or "daily 01:00-05:00"; default: the ConfigMgr client's
 * content.share        optional; the share holding the installers (KBnnnnnnn.msu, ndp48-x86-x64-allos-enu.exe,
 *                      sqlncli.msi)
 * later.rollups        optional; KBs the estate accepts as later rollups, comma separated
 * roles                optional; roles the machine cannot tell itself (comma separated, snapshot.schema.json names)
 * probe.targets        optional; more host:port TLS 1.2 probe targets besides the management points
 * configmgr.logs       optional; folders of ConfigMgr logs to scan, separated by ';'
 * service.interval     optional; the pause between cycles of {@code service} (ISO-8601 duration, default PT15M)
 * report.interval      optional; how old the last snapshot may grow before a new one is sent (default PT1H)
 * </pre>
 */
public record ProgramConfig(
        URI collectorUrl,
        URI remediationUrl,
        URI jwksUrl,
        Path caFile,
        String siteCode,
        String machineId,
        Path enrollSecretFile,
        Path signingKeysFile,
        Path stateDir,
        MaintenanceWindow maintenanceWindow,
        String contentShare,
        Set<String> laterRollups,
        List<Role> roles,
        List<String> probeTargets,
        List<Path> configMgrLogs,
        Duration serviceInterval,
        Duration reportInterval) {

    private static final Pattern SITE = Pattern.compile("^[A-Za-z0-9]{3}$");
    private static final Pattern KB = Pattern.compile("^KB[0-9]{6,8}$");
    private static final Pattern TARGET = Pattern.compile("^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$");

    /** A setting that is missing or invalid; the message names it. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static ProgramConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration " + file + ": " + e.getMessage());
        }
        return parse(p, file.toAbsolutePath().getParent());
    }

    /** Relative paths are taken from {@code base} (the configuration file's folder). */
    static ProgramConfig parse(Properties p, Path base) {
        URI collector = url(p, "collector.url", true);
        URI remediation = url(p, "remediation.url", true);
        URI jwks = url(p, "jwks.url", false);
        if (jwks == null) {
            String r = remediation.toString();
            jwks = URI.create((r.endsWith("/") ? r.substring(0, r.length() - 1) : r) + "/.well-known/jwks.json");
        }
        String site = required(p, "site.code");
        if (!SITE.matcher(site).matches()) {
            throw new ConfigException("site.code " + site + ": a ConfigMgr site code has 3 letters or digits");
        }
        String machine = optional(p, "machine.id");
        Set<String> rollups = new LinkedHashSet<>();
        for (String kb : list(p, "later.rollups", ",")) {
            String k = kb.toUpperCase(Locale.ROOT);
            if (!KB.matcher(k).matches()) {
                throw new ConfigException("later.rollups: " + kb + " is not a KB number (KB and 6 to 8 digits)");
            }
            rollups.add(k);
        }
        List<Role> roles = new ArrayList<>();
        for (String r : list(p, "roles", ",")) {
            try {
                roles.add(Role.valueOf(r.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("roles: " + r + " is not a role of snapshot.schema.json");
            }
        }
        List<String> targets = list(p, "probe.targets", ",");
        for (String t : targets) {
            if (!TARGET.matcher(t).matches()) {
                throw new ConfigException("probe.targets: " + t + " is not host:port");
            }
        }
        List<Path> logs = new ArrayList<>();
        for (String l : list(p, "configmgr.logs", ";")) {
            logs.add(path(base, l));
        }
        String window = optional(p, "maintenance.window");
        MaintenanceWindow mw;
        try {
            mw = window == null ? null : MaintenanceWindow.parse(window);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("maintenance.window " + window + ": " + e.getMessage());
        }
        String ca = optional(p, "ca.file");
        return new ProgramConfig(collector, remediation, jwks, ca == null ? null : path(base, ca), site, machine,
                path(base, required(p, "enroll.secret.file")), path(base, required(p, "signing.keys.file")),
                path(base, required(p, "state.dir")), mw, optional(p, "content.share"), Set.copyOf(rollups),
                List.copyOf(roles), List.copyOf(targets), List.copyOf(logs),
                duration(p, "service.interval", Duration.ofMinutes(15)), duration(p, "report.interval", Duration.ofHours(1)));
    }

    /** The agent's configuration: reads the enrollment secret and the pinned keys. */
    public AgentConfig agentConfig(String agentVersion) {
        String secret = read(enrollSecretFile, "enroll.secret.file").strip();
        if (secret.isEmpty()) {
            throw new ConfigException("enroll.secret.file " + enrollSecretFile + " is empty");
        }
        String jwks = read(signingKeysFile, "signing.keys.file");
        try {
            return AgentConfig.builder().collectorUrl(collectorUrl).remediationUrl(remediationUrl).enrollSecret(secret)
                    .pinnedJwks(jwks).jwksRefreshUrl(jwksUrl)
                    .trustJwksRefreshOver(jwksUrl.getScheme().equalsIgnoreCase("http") ? "http" : "https")
                    .caFile(caFile).laterRollups(laterRollups).reportInterval(reportInterval).agentVersion(agentVersion)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String read(Path file, String setting) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(setting + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static URI url(Properties p, String name, boolean required) {
        String v = required ? required(p, name) : optional(p, name);
        if (v == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " " + v + " is not a URL");
        }
        try {
            AgentConfig.requireLoopbackIfHttp(name, uri);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return uri;
    }

    private static Duration duration(Properties p, String name, Duration dflt) {
        String v = optional(p, name);
        if (v == null) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(v);
            if (d.isNegative()) {
                throw new ConfigException(name + " " + v + " is negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException(name + " " + v + " is not an ISO-8601 duration (e.g. PT15M)");
        }
    }

    private static String required(Properties p, String name) {
        String v = optional(p, name);
        if (v == null) {
            throw new ConfigException(name + " is missing");
        }
        return v;
    }

    private static String optional(Properties p, String name) {
        String v = p.getProperty(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static List<String> list(Properties p, String name, String separator) {
        String v = optional(p, name);
        List<String> items = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(Pattern.quote(separator))) {
                if (!s.isBlank()) {
                    items.add(s.strip());
                }
            }
        }
        return items;
    }

    private static Path path(Path base, String v) {
        Path p = Path.of(v);
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }
}
