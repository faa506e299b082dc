package org.tlsrollout.remediation.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.tlsrollout.contracts.AuditEvent;
import org.tlsrollout.remediation.audit.Audit;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.remediation.machine.MachineUpdate;

/**
 * POST /api/v1/inventory (api.md, "The expected estate"): the machines the estate expects, as CSV with a header row
 * or NDJSON, streamed. Each valid line goes to PostgreSQL through {@code COPY} into a temporary staging table as it is
 * read (a buffer of {@value #COPY_BUFFER} bytes at a time, never the whole body), then one
 * {@code INSERT ... SELECT ... ON CONFLICT} merges the staging table into {@code machine}, all in one transaction.
 * COPY is the fastest way into PostgreSQL (pgjdbc's {@code CopyManager}), and the merge is one statement.
 * <ul>
 * <li>A machine not known is added, {@code never_reported}, UNKNOWN in the phases its roles make applicable.</li>
 * <li>A machine known only from inventory takes the line's site, roles and OS version.</li>
 * <li>A machine that has reported keeps what its snapshot said; the line only brings it back from retirement when its
 * {@code lastSeenAt} is after the retirement.</li>
 * <li>The same machine twice in one request: the last line wins.</li>
 * </ul>
 */
@ApplicationScoped
public class InventoryImport {
    private static final Logger LOG = Logger.getLogger(InventoryImport.class);
    /** Rejected lines listed in the answer at most (all are counted). */
    public static final int MAX_REJECTED_LISTED = 1000;
    static final int COPY_BUFFER = 1 << 20;
    static final Pattern OS_VERSION = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,6}){0,3}$");
    static final List<String> COLUMNS = List.of("machineId", "siteCode", "roles", "osVersion", "lastSeenAt");

    static final String STAGE = """
            CREATE TEMP TABLE inventory_stage (line bigint, machine_id text, site_code text, machine_class text,
                os_version text, roles text, last_seen_at timestamptz) ON COMMIT DROP
            """;

    /** The states of a never-reported machine: UNKNOWN where its class makes the phase applicable. */
    static final String MERGE = """
            WITH src AS (
                SELECT DISTINCT ON (machine_id) * FROM inventory_stage ORDER BY machine_id, line DESC
            ), merged AS (
                INSERT INTO machine AS m (machine_id, site_code, machine_class, os_version, roles, collected_at,
                    never_reported, inventory_seen_at, clients_state, site_systems_state, verify_state,
                    disable_legacy_state, findings, updated_at)
                SELECT s.machine_id, s.site_code, s.machine_class, s.os_version, string_to_array(s.roles, ';'), NULL,
                    true, s.last_seen_at,
                    CASE WHEN s.machine_class = 'client' THEN 'UNKNOWN' ELSE 'NOT_APPLICABLE' END,
                    CASE WHEN s.machine_class = 'client' THEN 'NOT_APPLICABLE' ELSE 'UNKNOWN' END,
                    'UNKNOWN',
                    CASE WHEN s.machine_class = 'client' THEN 'NOT_APPLICABLE' ELSE 'UNKNOWN' END,
                    '[]'::jsonb, now()
                FROM src s
                ON CONFLICT (machine_id) DO UPDATE SET
                    site_code = CASE WHEN m.never_reported THEN excluded.site_code ELSE m.site_code END,
                    machine_class = CASE WHEN m.never_reported THEN excluded.machine_class ELSE m.machine_class END,
                    os_version = CASE WHEN m.never_reported THEN excluded.os_version ELSE m.os_version END,
                    roles = CASE WHEN m.never_reported THEN excluded.roles ELSE m.roles END,
                    clients_state = CASE WHEN m.never_reported THEN excluded.clients_state ELSE m.clients_state END,
                    site_systems_state = CASE WHEN m.never_reported THEN excluded.site_systems_state
                        ELSE m.site_systems_state END,
                    disable_legacy_state = CASE WHEN m.never_reported THEN excluded.disable_legacy_state
                        ELSE m.disable_legacy_state END,
                    inventory_seen_at = COALESCE(excluded.inventory_seen_at, m.inventory_seen_at),
                    retired_at = CASE WHEN excluded.inventory_seen_at > m.retired_at THEN NULL ELSE m.retired_at END,
                    updated_at = now()
                WHERE (m.never_reported AND (m.site_code, m.machine_class, m.os_version, m.roles)
                        IS DISTINCT FROM (excluded.site_code, excluded.machine_class, excluded.os_version, excluded.roles))
                   OR excluded.inventory_seen_at > m.retired_at
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
            """;

    private final AgroalDataSource dataSource;

    public InventoryImport(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The body's format. */
    public enum Format {
        CSV, NDJSON
    }

    /** One line refused, by its number in the body (the header row of a CSV is line 1). */
    public record Rejected(long line, List<FieldError> errors) {
    }

    /**
     * What an import did.
     *
     * @param received lines read (the header row and empty lines aside)
     * @param added machines not known before
     * @param updated machines changed (a never-reported machine's site, roles or OS; a retirement lifted)
     * @param unchanged valid lines that changed nothing (a machine's earlier lines in the same request included)
     * @param rejected the first {@value #MAX_REJECTED_LISTED} rejected lines and why
     */
    @Schema(description = "What an inventory import did")
    public record Result(long received, long added, long updated, long unchanged, List<Rejected> rejected,
            @Schema(description = "addition: every rejected line, also those beyond the " + MAX_REJECTED_LISTED
                    + " listed") long rejectedCount) {
    }

    /** A request the body's first line makes unreadable as a whole (no header row, a column missing). */
    public static final class InvalidInventoryException extends RuntimeException {
        public InvalidInventoryException(String message) {
            super(message);
        }
    }

    /** One valid line, as the staging table has it. */
    record Line(long line, String machineId, String siteCode, String machineClass, String osVersion, String roles,
            Instant lastSeenAt) {
    }

    /** Reads the body and stores its valid lines, in one transaction, with the audit event of {@code actor}. */
    public Result importFrom(InputStream body, Format format, String actor) {
        return QuarkusTransaction.requiringNew().timeout(600).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute(STAGE);
                }
                CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY inventory_stage FROM STDIN (FORMAT csv)");
                Counts counts;
                long t0 = System.nanoTime();
                try {
                    counts = read(body, format, copy);
                    copy.endCopy();
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
                long t1 = System.nanoTime();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(MERGE)) {
                    rs.next();
                    long added = rs.getLong(1);
                    long updated = rs.getLong(2);
                    LOG.infof("inventory: %d lines read and copied in %d ms (%d rejected), merged in %d ms: %d added,"
                            + " %d updated", counts.received, (t1 - t0) / 1_000_000, counts.rejectedCount,
                            (System.nanoTime() - t1) / 1_000_000, added, updated);
                    Result result = new Result(counts.received, added, updated, counts.valid - added - updated,
                            counts.rejected, counts.rejectedCount);
                    Audit.done(c, actor, AuditEvent.Action.INVENTORY_IMPORT, "inventory", 200, String.format(Locale.ROOT,
                            "%s: %d line(s), %d added, %d updated, %d unchanged, %d rejected", format, result.received(),
                            result.added(), result.updated(), result.unchanged(), result.rejectedCount()));
                    return result;
                }
            }
        });
    }

    private static final class Counts {
        long received;
        long valid;
        long rejectedCount;
        final List<Rejected> rejected = new ArrayList<>();
    }

    private static Counts read(InputStream body, Format format, CopyIn copy) throws IOException, SQLException {
        Counts counts = new Counts();
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder buffer = new StringBuilder(COPY_BUFFER + 4096);
        Map<String, Integer> header = null;
        String text;
        long number = 0;
        while ((text = reader.readLine()) != null) {
            number++;
            if (number == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            if (format == Format.CSV && header == null) {
                header = header(text);
                continue;
            }
            counts.received++;
            List<FieldError> errors = new ArrayList<>();
            Line line = format == Format.CSV ? csvLine(number, text, header, errors) : jsonLine(number, text, errors);
            if (line == null || !errors.isEmpty()) {
                counts.rejectedCount++;
                if (counts.rejected.size() < MAX_REJECTED_LISTED) {
                    counts.rejected.add(new Rejected(number, errors));
                }
                continue;
            }
            counts.valid++;
            append(buffer, line);
            if (buffer.length() >= COPY_BUFFER) {
                flush(buffer, copy);
            }
        }
        if (format == Format.CSV && header == null) {
            throw new InvalidInventoryException("the body has no header row (" + String.join(",", COLUMNS) + ")");
        }
        flush(buffer, copy);
        return counts;
    }

    private static void flush(StringBuilder buffer, CopyIn copy) throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** One CSV row of the staging table; only validated values, so only the OS version could need quoting. */
    private static void append(StringBuilder b, Line l) {
        b.append(l.line()).append(',').append(l.machineId()).append(',').append(l.siteCode()).append(',')
                .append(l.machineClass()).append(',');
        if (l.osVersion() != null) {
            b.append(l.osVersion());
        }
        b.append(',').append(l.roles()).append(',');
        if (l.lastSeenAt() != null) {
            b.append(l.lastSeenAt());
        }
        b.append('\n');
    }

    /** The header row: each column's position; the five of api.md are required, others are ignored. */
    static Map<String, Integer> header(String text) {
        List<String> names = csvFields(text);
        if (names == null) {
            throw new InvalidInventoryException("the header row is not CSV");
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            positions.putIfAbsent(names.get(i).trim(), i);
        }
        List<String> missing = COLUMNS.stream().filter(c -> !positions.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidInventoryException("the header row lacks the column(s) " + String.join(", ", missing)
                    + "; expected " + String.join(",", COLUMNS));
        }
        return positions;
    }

    static Line csvLine(long number, String text, Map<String, Integer> header, List<FieldError> errors) {
        List<String> fields = csvFields(text);
        if (fields == null) {
            errors.add(new FieldError("", "not a CSV row (an unterminated quote)"));
            return null;
        }
        if (fields.size() < header.size()) {
            errors.add(new FieldError("", fields.size() + " field(s), the header row has " + header.size()));
            return null;
        }
        return line(number, fields.get(header.get("machineId")), fields.get(header.get("siteCode")),
                roleNames(fields.get(header.get("roles"))), fields.get(header.get("osVersion")),
                fields.get(header.get("lastSeenAt")), errors);
    }

    static Line jsonLine(long number, String text, List<FieldError> errors) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("", "not a JSON object: " + e.getOriginalMessage()));
            return null;
        }
        if (node == null || !node.isObject()) {
            errors.add(new FieldError("", "not a JSON object"));
            return null;
        }
        List<String> roles;
        JsonNode r = node.path("roles");
        if (r.isArray()) {
            roles = new ArrayList<>();
            for (JsonNode role : r) {
                roles.add(role.isTextual() ? role.asText() : role.toString());
            }
        } else if (r.isTextual()) {
            roles = roleNames(r.asText());
        } else if (r.isMissingNode() || r.isNull()) {
            roles = List.of();
        } else {
            errors.add(new FieldError("roles", "an array of role names, or a string of names separated by ';'"));
            roles = List.of();
        }
        return line(number, text(node, "machineId", errors), text(node, "siteCode", errors), roles,
                text(node, "osVersion", errors), text(node, "lastSeenAt", errors), errors);
    }

    private static String text(JsonNode node, String field, List<FieldError> errors) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "a string"));
            return null;
        }
        return value.asText();
    }

    private static List<String> roleNames(String text) {
        List<String> names = new ArrayList<>();
        if (text != null) {
            for (String name : text.split(";", -1)) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    /** Validates one line's fields; null when invalid ({@code errors} say why). */
    static Line line(long number, String machineId, String siteCode, List<String> roleNames, String osVersion,
            String lastSeenAt, List<FieldError> errors) {
        if (machineId == null || !MachineUpdate.MACHINE_ID.matcher(machineId).matches()) {
            errors.add(new FieldError("machineId", "'" + machineId + "' does not match " + MachineUpdate.MACHINE_ID));
        }
        if (siteCode == null || !MachineUpdate.SITE_CODE.matcher(siteCode).matches()) {
            errors.add(new FieldError("siteCode", "'" + siteCode + "' does not match " + MachineUpdate.SITE_CODE));
        }
        Set<Role> roles = EnumSet.of(Role.CLIENT);
        for (String name : roleNames) {
            try {
                roles.add(Role.valueOf(name));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("roles", "'" + name + "' is not a role of snapshot.schema.json"));
            }
        }
        String os = osVersion == null || osVersion.isBlank() ? null : osVersion.trim();
        if (os != null && !OS_VERSION.matcher(os).matches()) {
            errors.add(new FieldError("osVersion", "'" + os + "' is not a version (major.minor.build)"));
        }
        Instant seen = null;
        if (lastSeenAt != null && !lastSeenAt.isBlank()) {
            try {
                seen = OffsetDateTime.parse(lastSeenAt.trim()).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("lastSeenAt", "'" + lastSeenAt + "' is not an RFC 3339 date-time"));
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        StringBuilder names = new StringBuilder();
        for (Role role : roles) {
            names.append(names.length() == 0 ? "" : ";").append(role.name());
        }
        return new Line(number, machineId, siteCode, MachineClass.of(roles).wireName(), os, names.toString(), seen);
    }

    /** The fields of one CSV row (RFC 4180 quoting), or null when a quote is left open. */
    static List<String> csvFields(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        if (quoted) {
            return null;
        }
        fields.add(field.toString());
        return fields;
    }

    /** The media type's format, or null when neither. */
    public static Format format(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        String type = mediaType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "text/csv" -> Format.CSV;
            case "application/x-ndjson" -> Format.NDJSON;
            default -> null;
        };
    }
}
