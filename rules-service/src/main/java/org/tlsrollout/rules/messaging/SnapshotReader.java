package org.tlsrollout.rules.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/**
 * Reads a {@link MachineSnapshot} straight from Jackson's token stream: databind's creator-based reading of the
 * records costs about as much as the tokens themselves with C1 (docs/benchmarks.md, B1). It reads only the plain form
 * the collector publishes (each field once, of its own JSON type, instants in {@link IsoInstants}' form, enum
 * constants by name); on anything else it gives the payload to {@link Json#MAPPER}'s reader, so it accepts what
 * that accepts and yields the same record.
 */
final class SnapshotReader {
    private static final ObjectReader FALLBACK = Json.MAPPER.copy().registerModule(IsoInstants.module())
            .readerFor(MachineSnapshot.class);
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
    private static final Role[] ROLES = Role.values();
    private static final KnownErrorId[] ERRORS = KnownErrorId.values();
    private static final Order ROOT = new Order();
    private static final Order OS = new Order();
    private static final Order DOTNET = new Order();
    private static final Order SQL = new Order();
    private static final Order PROBE = new Order();
    private static final Order KNOWN_ERROR = new Order();
    private static final Order REGISTRY_KEY = new Order();
    private static final Order REGISTRY_VALUE = new Order();

    /**
     * The order the fields of one kind of object come in, to have Jackson match the next name's bytes against the
     * expected name ({@link JsonParser#nextFieldName(SerializableString)}) instead of decoding it: registry paths are
     * long and full of escapes, the most costly names to decode. Learnt from the snapshots read, the first order
     * seen kept (agents of one version write their fields and keys in one order); at most {@link #MAX} names. A
     * wrong guess costs one comparison and changes nothing read.
     */
    private static final class Order {
        static final int MAX = 512;
        private final ConcurrentHashMap<String, SerializedString> after = new ConcurrentHashMap<>();
        private volatile SerializedString first;

        /** The next field's name (after {@code previous}, null for the first), or null at the object's end. */
        String next(JsonParser p, String previous) throws IOException {
            SerializedString guess = previous == null ? first : after.get(previous);
            if (guess == null) {
                String name = p.nextFieldName();
                if (name != null) {
                    learn(previous, name);
                }
                return name;
            }
            if (p.nextFieldName(guess)) {
                return guess.getValue();
            }
            return p.hasToken(JsonToken.FIELD_NAME) ? p.currentName() : null;
        }

        private void learn(String previous, String name) {
            if (previous == null) {
                first = new SerializedString(name);
            } else if (after.size() < MAX) {
                after.putIfAbsent(previous, new SerializedString(name));
            }
        }
    }

    /** Something outside the plain form: read the payload Json.MAPPER's way instead. No stack trace: it is flow. */
    private static final class NotPlain extends Exception {
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private SnapshotReader() {
    }

    /** The snapshot of a UTF-8 JSON payload as Json.MAPPER (with {@link IsoInstants}) reads it; null for JSON null. */
    static MachineSnapshot read(byte[] payload) throws IOException {
        MachineSnapshot fast = null;
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                fast = snapshot(p);
                if (p.nextToken() != null) {
                    fast = null; // trailing content: the mapper's rules
                }
            }
        } catch (NotPlain | IOException e) {
            fast = null; // malformed or not plain: the mapper says what it is
        }
        return fast != null ? fast : FALLBACK.readValue(payload);
    }

    /** Only for tests: the fast path alone, null where it would fall back. */
    static MachineSnapshot readPlain(byte[] payload) {
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            MachineSnapshot s = snapshot(p);
            return p.nextToken() == null ? s : null;
        } catch (NotPlain | IOException e) {
            return null;
        }
    }

    private static MachineSnapshot snapshot(JsonParser p) throws IOException, NotPlain {
        Integer schemaVersion = null;
        String machineId = null;
        String hostname = null;
        String siteCode = null;
        Instant collectedAt = null;
        Long sequence = null;
        MachineSnapshot.Os os = null;
        List<Role> roles = null;
        List<String> hotfixes = null;
        MachineSnapshot.DotNet dotnet = null;
        Map<String, Map<String, Long>> registry = null;
        MachineSnapshot.Sql sql = null;
        List<MachineSnapshot.Probe> probes = null;
        List<MachineSnapshot.KnownError> knownErrors = null;
        Boolean pendingReboot = null;
        Instant lastBootAt = null;
        String agentVersion = null;
        String snapshotId = null;
        Instant receivedAt = null;
        int seen = 0;
        String name = null;
        while ((name = ROOT.next(p, name)) != null) {
            int bit;
            switch (name) {
                case "schemaVersion" -> { bit = 1; schemaVersion = integer(p); }
                case "machineId" -> { bit = 1 << 1; machineId = string(p); }
                case "hostname" -> { bit = 1 << 2; hostname = string(p); }
                case "siteCode" -> { bit = 1 << 3; siteCode = string(p); }
                case "collectedAt" -> { bit = 1 << 4; collectedAt = instant(p); }
                case "sequence" -> { bit = 1 << 5; sequence = longValue(p); }
                case "os" -> { bit = 1 << 6; os = os(p); }
                case "roles" -> { bit = 1 << 7; roles = roles(p); }
                case "hotfixes" -> { bit = 1 << 8; hotfixes = strings(p); }
                case "dotnet" -> { bit = 1 << 9; dotnet = dotnet(p); }
                case "registry" -> { bit = 1 << 10; registry = registry(p); }
                case "sql" -> { bit = 1 << 11; sql = sql(p); }
                case "probes" -> { bit = 1 << 12; probes = probes(p); }
                case "knownErrors" -> { bit = 1 << 13; knownErrors = knownErrors(p); }
                case "pendingReboot" -> { bit = 1 << 14; pendingReboot = bool(p); }
                case "lastBootAt" -> { bit = 1 << 15; lastBootAt = instant(p); }
                case "agentVersion" -> { bit = 1 << 16; agentVersion = string(p); }
                case "snapshotId" -> { bit = 1 << 17; snapshotId = string(p); }
                case "receivedAt" -> { bit = 1 << 18; receivedAt = instant(p); }
                default -> { bit = 0; skip(p); }
            }
            seen = once(seen, bit);
        }
        end(p);
        return new MachineSnapshot(schemaVersion, machineId, hostname, siteCode, collectedAt, sequence, os, roles,
                hotfixes, dotnet, registry, sql, probes, knownErrors, pendingReboot, lastBootAt, agentVersion,
                snapshotId, receivedAt);
    }

    private static MachineSnapshot.Os os(JsonParser p) throws IOException, NotPlain {
        if (!object(p)) {
            return null;
        }
        String caption = null;
        String version = null;
        String productType = null;
        String architecture = null;
        int seen = 0;
        String name = null;
        while ((name = OS.next(p, name)) != null) {
            int bit;
            switch (name) {
                case "caption" -> { bit = 1; caption = string(p); }
                case "version" -> { bit = 2; version = string(p); }
                case "productType" -> { bit = 4; productType = string(p); }
                case "architecture" -> { bit = 8; architecture = string(p); }
                default -> { bit = 0; skip(p); }
            }
            seen = once(seen, bit);
        }
        end(p);
        return new MachineSnapshot.Os(caption, version, productType, architecture);
    }

    private static MachineSnapshot.DotNet dotnet(JsonParser p) throws IOException, NotPlain {
        if (!object(p)) {
            return null;
        }
        Long v4Release = null;
        Boolean v35Installed = null;
        int seen = 0;
        String name = null;
        while ((name = DOTNET.next(p, name)) != null) {
            int bit;
            switch (name) {
                case "v4Release" -> { bit = 1; v4Release = longValue(p); }
                case "v35Installed" -> { bit = 2; v35Installed = bool(p); }
                default -> { bit = 0; skip(p); }
            }
            seen = once(seen, bit);
        }
        end(p);
        return new MachineSnapshot.DotNet(v4Release, v35Installed);
    }

    private static MachineSnapshot.Sql sql(JsonParser p) throws IOException, NotPlain {
        if (!object(p)) {
            return null;
        }
        String serverVersion = null;
        String serverEdition = null;
        String nativeClientVersion = null;
        int seen = 0;
        String name = null;
        while ((name = SQL.next(p, name)) != null) {
            int bit;
            switch (name) {
                case "serverVersion" -> { bit = 1; serverVersion = string(p); }
                case "serverEdition" -> { bit = 2; serverEdition = string(p); }
                case "nativeClientVersion" -> { bit = 4; nativeClientVersion = string(p); }
                default -> { bit = 0; skip(p); }
            }
            seen = once(seen, bit);
        }
        end(p);
        return new MachineSnapshot.Sql(serverVersion, serverEdition, nativeClientVersion);
    }

    private static List<MachineSnapshot.Probe> probes(JsonParser p) throws IOException, NotPlain {
        if (!array(p)) {
            return null;
        }
        List<MachineSnapshot.Probe> probes = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw NotPlain.INSTANCE;
            }
            String target = null;
            String protocol = null;
            boolean ok = false;
            String error = null;
            Instant checkedAt = null;
            int seen = 0;
            String name = null;
            while ((name = PROBE.next(p, name)) != null) {
                int bit;
                switch (name) {
                    case "target" -> { bit = 1; target = string(p); }
                    case "protocol" -> { bit = 2; protocol = string(p); }
                    case "ok" -> {
                        bit = 4;
                        Boolean b = bool(p);
                        if (b == null) {
                            throw NotPlain.INSTANCE; // a primitive: null is the mapper's to decide
                        }
                        ok = b;
                    }
                    case "error" -> { bit = 8; error = string(p); }
                    case "checkedAt" -> { bit = 16; checkedAt = instant(p); }
                    default -> { bit = 0; skip(p); }
                }
                seen = once(seen, bit);
            }
            end(p);
            probes.add(new MachineSnapshot.Probe(target, protocol, ok, error, checkedAt));
        }
        return probes;
    }

    private static List<MachineSnapshot.KnownError> knownErrors(JsonParser p) throws IOException, NotPlain {
        if (!array(p)) {
            return null;
        }
        List<MachineSnapshot.KnownError> errors = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw NotPlain.INSTANCE;
            }
            KnownErrorId id = null;
            String source = null;
            String excerpt = null;
            Instant seenAt = null;
            int seen = 0;
            String name = null;
            while ((name = KNOWN_ERROR.next(p, name)) != null) {
                int bit;
                switch (name) {
                    case "id" -> {
                        bit = 1;
                        String s = string(p);
                        id = s == null ? null : constant(ERRORS, s);
                    }
                    case "source" -> { bit = 2; source = string(p); }
                    case "excerpt" -> { bit = 4; excerpt = string(p); }
                    case "seenAt" -> { bit = 8; seenAt = instant(p); }
                    default -> { bit = 0; skip(p); }
                }
                seen = once(seen, bit);
            }
            end(p);
            errors.add(new MachineSnapshot.KnownError(id, source, excerpt, seenAt));
        }
        return errors;
    }

    private static List<Role> roles(JsonParser p) throws IOException, NotPlain {
        if (!array(p)) {
            return null;
        }
        List<Role> roles = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                throw NotPlain.INSTANCE;
            }
            roles.add(constant(ROLES, p.getText()));
        }
        return roles;
    }

    private static List<String> strings(JsonParser p) throws IOException, NotPlain {
        if (!array(p)) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                throw NotPlain.INSTANCE;
            }
            strings.add(p.getText());
        }
        return strings;
    }

    /** Keys as they come (the mapper's map: a later duplicate replaces an earlier one, in the first one's place). */
    private static Map<String, Map<String, Long>> registry(JsonParser p) throws IOException, NotPlain {
        if (!object(p)) {
            return null;
        }
        Map<String, Map<String, Long>> registry = new LinkedHashMap<>();
        String key = null;
        while ((key = REGISTRY_KEY.next(p, key)) != null) {
            Map<String, Long> values = null;
            if (object(p)) {
                values = new LinkedHashMap<>();
                String name = key; // the first value's name follows the key's
                while ((name = REGISTRY_VALUE.next(p, name)) != null) {
                    values.put(name, longValue(p));
                }
                end(p);
            }
            registry.put(key, values);
        }
        end(p);
        return registry;
    }

    /** The object's start (true) or null (false); anything else is not plain. */
    private static boolean object(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw NotPlain.INSTANCE;
    }

    private static boolean array(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw NotPlain.INSTANCE;
    }

    /** After nextFieldName gave null: the object must have ended (not some other token). */
    private static void end(JsonParser p) throws NotPlain {
        if (!p.hasToken(JsonToken.END_OBJECT)) {
            throw NotPlain.INSTANCE;
        }
    }

    private static int once(int seen, int bit) throws NotPlain {
        if ((seen & bit) != 0) {
            throw NotPlain.INSTANCE; // a field twice: the mapper's rules
        }
        return seen | bit;
    }

    private static String string(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw NotPlain.INSTANCE;
    }

    private static Instant instant(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw NotPlain.INSTANCE;
        }
        Instant i = IsoInstants.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (i == null) {
            throw NotPlain.INSTANCE;
        }
        return i;
    }

    private static Long longValue(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw NotPlain.INSTANCE;
        }
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw NotPlain.INSTANCE;
        }
        return p.getLongValue();
    }

    private static Integer integer(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw NotPlain.INSTANCE;
        }
        return p.getIntValue();
    }

    private static Boolean bool(JsonParser p) throws IOException, NotPlain {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw NotPlain.INSTANCE;
    }

    private static <E extends Enum<E>> E constant(E[] values, String name) throws NotPlain {
        for (E e : values) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw NotPlain.INSTANCE;
    }

    /** The value after a field name, whatever it is (an unknown field: the mapper ignores it). */
    private static void skip(JsonParser p) throws IOException {
        p.nextToken();
        p.skipChildren();
    }
}
