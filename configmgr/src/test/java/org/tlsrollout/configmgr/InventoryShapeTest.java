package org.tlsrollout.configmgr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The inventory export writes the CSV of api.md ("The expected estate (inventory)"): the SQL query's final SELECT,
 * the PowerShell script's header and the example file all name api.md's columns, both sources map RoleName to the
 * same schema roles, and the example has the shape the script writes. Nothing here runs the SQL or the script
 * (no SQL Server, no PowerShell on this machine): they are read as text.
 */
class InventoryShapeTest {
    private static final Path DIR = Path.of(".");
    private static final Path SQL = DIR.resolve("Export-TlsRolloutInventory.sql");
    private static final Path PS1 = DIR.resolve("Export-TlsRolloutInventory.ps1");
    private static final Path EXAMPLE = DIR.resolve("examples/inventory.csv");
    private static final Path API = DIR.resolve("../docs/contract/api.md");
    private static final Path SCHEMA = DIR.resolve("../contracts/src/main/resources/org/tlsrollout/contracts/snapshot.schema.json");
    private static final Pattern UTC_SECOND = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$");

    @Test
    void theQueryTheScriptAndTheExampleWriteApiMdsHeader() throws IOException {
        Matcher m = Pattern.compile("`POST /api/v1/inventory` takes `text/csv` with a header row, columns `([^`]+)`")
                .matcher(Files.readString(API));
        assertThat(m.find()).as("api.md names the inventory CSV's columns").isTrue();
        List<String> header = List.of(m.group(1).split(","));
        assertThat(header).containsExactly("machineId", "siteCode", "roles", "osVersion", "lastSeenAt");

        assertThat(finalSelectAliases()).as("the aliases of the SQL query's final SELECT").isEqualTo(header);
        assertThat(scriptColumns()).as("the header the PowerShell script writes").isEqualTo(header);
        assertThat(Files.readAllLines(EXAMPLE).get(0)).as("the example's header row").isEqualTo(String.join(",", header));
    }

    @Test
    void theQueryAndTheScriptMapRoleNamesToTheSameSchemaRoles() throws IOException {
        Map<String, String> sql = new TreeMap<>();
        Matcher m = Pattern.compile("SELECT '([^']+)', '([A-Z_]+)'").matcher(Files.readString(SQL));
        while (m.find()) {
            sql.put(m.group(1), m.group(2));
        }
        Map<String, String> script = new TreeMap<>();
        String ps1 = Files.readString(PS1);
        String table = ps1.substring(ps1.indexOf("$RoleMap = @{"), ps1.indexOf("}", ps1.indexOf("$RoleMap = @{")));
        m = Pattern.compile("'([^']+)'\\s*=\\s*'([A-Z_]+)'").matcher(table);
        while (m.find()) {
            script.put(m.group(1), m.group(2));
        }

        assertThat(sql).as("the SQL query's role_map").isNotEmpty().isEqualTo(script);
        assertThat(schemaRoles()).containsAll(sql.values());
        // windows-facts.md §6: the data warehouse role is spelled both ways; these two are on every site system
        assertThat(sql).containsEntry("Data Warehouse Service Point", "DATA_WAREHOUSE_SERVICE_POINT")
                .containsEntry("SMS Data Warehouse Service Point", "DATA_WAREHOUSE_SERVICE_POINT")
                .containsEntry("SMS Site Server", "SITE_SERVER")
                .containsEntry("SMS SQL Server", "SITE_DATABASE_SERVER")
                .containsEntry("SMS Management Point", "MANAGEMENT_POINT")
                .doesNotContainKeys("SMS Component Server", "SMS Site System");
    }

    @Test
    void theExampleHasTheShapeTheScriptWrites() throws IOException {
        byte[] bytes = Files.readAllBytes(EXAMPLE);
        assertThat(bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF)
                .as("a UTF-8 byte order mark").isFalse();
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).as("LF line ends, the last line ended too").doesNotContain("\r").endsWith("\n");

        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile()).get("properties");
        Pattern machineId = Pattern.compile(schema.get("machineId").get("pattern").asText());
        Pattern siteCode = Pattern.compile(schema.get("siteCode").get("pattern").asText());
        Pattern osVersion = Pattern.compile(schema.get("os").get("properties").get("version").get("pattern").asText());
        Set<String> roles = schemaRoles();

        List<String> lines = List.of(text.split("\n"));
        List<String> ids = new ArrayList<>();
        Set<String> seenRoles = new TreeSet<>();
        boolean plainClient = false;
        boolean emptyOs = false;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as(line).hasSize(5);
            assertThat(f[0]).as("machineId of " + line).matches(machineId).isEqualTo(f[0].toLowerCase());
            assertThat(f[1]).as("siteCode of " + line).matches(siteCode);
            if (f[2].isEmpty()) {
                plainClient = true;
            } else {
                List<String> listed = List.of(f[2].split(";"));
                assertThat(roles).as("roles of " + line).containsAll(listed);
                assertThat(listed).as("roles of " + line + ": sorted, CLIENT implied").isSorted().doesNotContain("CLIENT");
                seenRoles.addAll(listed);
            }
            if (f[3].isEmpty()) {
                emptyOs = true;
            } else {
                assertThat(f[3]).as("osVersion of " + line).matches(osVersion);
            }
            assertThat(f[4].isEmpty() || UTC_SECOND.matcher(f[4]).matches()).as("lastSeenAt of " + line).isTrue();
            ids.add(f[0]);
        }
        assertThat(ids).as("one line per machine, in machine id order").doesNotHaveDuplicates().isSorted();
        assertThat(seenRoles).contains("SITE_SERVER", "MANAGEMENT_POINT", "SITE_DATABASE_SERVER");
        assertThat(plainClient).as("a plain client").isTrue();
        assertThat(emptyOs).as("a machine without an OS version").isTrue();
    }

    /** The aliases of the last SELECT in the query file: one {@code ... AS alias} per line up to its FROM. */
    private static List<String> finalSelectAliases() throws IOException {
        String sql = Files.readString(SQL);
        int select = sql.lastIndexOf("\nSELECT\n");
        assertThat(select).as("a final SELECT at the start of a line").isPositive();
        String columns = sql.substring(select, sql.indexOf("\nFROM ", select));
        List<String> aliases = new ArrayList<>();
        Matcher m = Pattern.compile("\\bAS (\\w+),?$", Pattern.MULTILINE).matcher(columns);
        while (m.find()) {
            aliases.add(m.group(1));
        }
        return aliases;
    }

    /** The script's {@code $Columns = @('a', 'b', ...)}, which it joins with commas as the header row. */
    private static List<String> scriptColumns() throws IOException {
        String ps1 = Files.readString(PS1);
        Matcher m = Pattern.compile("(?m)^\\$Columns = @\\(([^)]*)\\)$").matcher(ps1);
        assertThat(m.find()).as("$Columns in the script").isTrue();
        assertThat(ps1).as("the header row is $Columns joined with commas").contains("[void] $text.Append(($Columns -join ','))");
        List<String> columns = new ArrayList<>();
        Matcher name = Pattern.compile("'([^']+)'").matcher(m.group(1));
        while (name.find()) {
            columns.add(name.group(1));
        }
        return columns;
    }

    private static Set<String> schemaRoles() throws IOException {
        Set<String> roles = new TreeSet<>();
        new ObjectMapper().readTree(SCHEMA.toFile()).get("properties").get("roles").get("items").get("enum")
                .forEach(r -> roles.add(r.asText()));
        return roles;
    }
}
