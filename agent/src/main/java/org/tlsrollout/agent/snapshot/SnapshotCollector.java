package org.tlsrollout.agent.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.jobs.SequenceStore;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.MachineSnapshot.KnownError;
import org.tlsrollout.contracts.MachineSnapshot.Probe;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * Builds the MachineSnapshot an agent reports (snapshot.schema.json): the registry values of
 * {@link RegistryKeys#REPORTED_KEYS} (the Wow6432Node keys only on x64), the host's facts, fresh probes, and the
 * known errors of its logs within the look-back window. Each snapshot takes the next {@code sequence}. With a
 * {@link SnapshotSchema}, every snapshot is checked before it is returned: an invalid one is a bug and throws
 * {@link InvalidSnapshotException}.
 */
public final class SnapshotCollector {
    public static final int SCHEMA_VERSION = 1;
    private static final Pattern KB = Pattern.compile("^KB[0-9]{6,8}$");
    private static final Pattern VALUE_NAME = Pattern.compile("^[A-Za-z0-9 ._-]{1,64}$");
    private static final int MAX_VALUES_PER_KEY = 16;
    private static final int MAX_PROBES = 64;

    private final String machineId;
    private final String siteCode;
    private final Registry registry;
    private final Host host;
    private final Prober prober;
    private final LogSource logs;
    private final KnownErrorScanner scanner;
    private final Duration lookBack;
    private final SequenceStore sequence;
    private final Clock clock;
    private final String agentVersion;
    private final SnapshotSchema schema;

    private SnapshotCollector(Builder b) {
        this.machineId = Objects.requireNonNull(b.machineId, "machineId");
        this.siteCode = Objects.requireNonNull(b.siteCode, "siteCode");
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.host = Objects.requireNonNull(b.host, "host");
        this.prober = b.prober;
        this.logs = b.logs;
        this.scanner = b.scanner == null ? new KnownErrorScanner() : b.scanner;
        this.lookBack = b.lookBack;
        this.sequence = Objects.requireNonNull(b.sequence, "sequence");
        this.clock = b.clock;
        this.agentVersion = b.agentVersion;
        this.schema = b.schema;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A snapshot with fresh probes (when there is a prober). */
    public MachineSnapshot collect() {
        return collect(null);
    }

    /** A snapshot with the given probes (just made by a RUN_PROBES action), or fresh ones when null. */
    public MachineSnapshot collect(List<Probe> probes) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        HostFacts facts = host.facts();
        boolean x64 = facts.isX64();
        Map<String, Map<String, Long>> values = reportable(registry.readReportedKeys(x64));
        List<Probe> checked = probes != null ? probes : prober == null ? null : prober.probe();
        // Only lines since the last boot count: an error logged before the restart that fixed it is history.
        Instant since = now.minus(lookBack);
        if (facts.lastBootAt() != null && facts.lastBootAt().isAfter(since)) {
            since = facts.lastBootAt();
        }
        List<KnownError> errors = logs == null ? null : scanner.scan(logs, since, now);
        long seq = sequence.last() + 1;
        if (!sequence.advance(seq)) {
            throw new IllegalStateException("snapshot sequence " + seq + " was taken concurrently");
        }
        MachineSnapshot snapshot = new MachineSnapshot(
                SCHEMA_VERSION,
                machineId,
                truncate(facts.hostname(), 255),
                siteCode,
                now,
                seq,
                facts.os(),
                roles(facts.roles()),
                hotfixes(facts.hotfixes()),
                facts.dotnet(),
                values,
                facts.sql(),
                checked == null ? null : cap(checked),
                errors,
                facts.pendingReboot(),
                facts.lastBootAt(),
                agentVersion,
                null,
                null);
        if (schema != null) {
            List<FieldError> invalid = schema.validate(Json.MAPPER.valueToTree(snapshot));
            if (!invalid.isEmpty()) {
                throw new InvalidSnapshotException(machineId, invalid);
            }
        }
        return snapshot;
    }

    /** What the schema accepts of the registry: value names it allows, at most 16 a key, the rules' names first. */
    private static Map<String, Map<String, Long>> reportable(Map<String, Map<String, Long>> read) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        read.forEach((key, names) -> {
            Map<String, Long> kept = new LinkedHashMap<>();
            for (String preferred : List.of(RegistryKeys.ENABLED, RegistryKeys.DISABLED_BY_DEFAULT,
                    RegistryKeys.SCH_USE_STRONG_CRYPTO, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS,
                    RegistryKeys.DEFAULT_SECURE_PROTOCOLS)) {
                names.forEach((n, v) -> {
                    if (n.equalsIgnoreCase(preferred) && v != null) {
                        kept.put(n, v);
                    }
                });
            }
            names.forEach((n, v) -> {
                if (kept.size() < MAX_VALUES_PER_KEY && v != null && VALUE_NAME.matcher(n).matches()
                        && v >= 0 && v <= 0xFFFF_FFFFL) {
                    kept.putIfAbsent(n, v);
                }
            });
            out.put(key, kept);
        });
        return out;
    }

    private static List<Role> roles(List<Role> roles) {
        if (roles == null || roles.isEmpty()) {
            return List.of(Role.CLIENT);
        }
        return List.copyOf(new LinkedHashSet<>(roles));
    }

    private static List<String> hotfixes(List<String> hotfixes) {
        if (hotfixes == null) {
            return null;
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String kb : hotfixes) {
            String k = kb == null ? "" : kb.strip().toUpperCase(Locale.ROOT);
            if (KB.matcher(k).matches() && unique.size() < 4096) {
                unique.add(k);
            }
        }
        return List.copyOf(unique);
    }

    private static List<Probe> cap(List<Probe> probes) {
        List<Probe> out = new ArrayList<>(Math.min(probes.size(), MAX_PROBES));
        for (Probe p : probes) {
            if (out.size() == MAX_PROBES) {
                break;
            }
            out.add(new Probe(truncate(p.target(), 512), p.protocol(), p.ok(), truncate(p.error(), 1024),
                    p.checkedAt()));
        }
        return out;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Builds a collector; registry, host, sequence, machine id and site code are required. */
    public static final class Builder {
        private String machineId;
        private String siteCode;
        private Registry registry;
        private Host host;
        private Prober prober;
        private LogSource logs;
        private KnownErrorScanner scanner;
        private Duration lookBack = Duration.ofHours(24);
        private SequenceStore sequence;
        private Clock clock = Clock.systemUTC();
        private String agentVersion;
        private SnapshotSchema schema;

        public Builder machine(String machineId, String siteCode) {
            this.machineId = machineId;
            this.siteCode = siteCode;
            return this;
        }

        public Builder registry(Registry registry) {
            this.registry = registry;
            return this;
        }

        public Builder host(Host host) {
            this.host = host;
            return this;
        }

        /** Without a prober, {@code probes} is left out (the agent did not probe). */
        public Builder prober(Prober prober) {
            this.prober = prober;
            return this;
        }

        /** Without logs, {@code knownErrors} is left out (the agent did not look). */
        public Builder logs(LogSource logs) {
            this.logs = logs;
            return this;
        }

        public Builder scanner(KnownErrorScanner scanner) {
            this.scanner = scanner;
            return this;
        }

        public Builder lookBack(Duration lookBack) {
            this.lookBack = lookBack;
            return this;
        }

        public Builder sequence(SequenceStore sequence) {
            this.sequence = sequence;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder agentVersion(String agentVersion) {
            this.agentVersion = agentVersion;
            return this;
        }

        /** Check every snapshot against the schema (a shared, thread-safe instance). */
        public Builder schema(SnapshotSchema schema) {
            this.schema = schema;
            return this;
        }

        public SnapshotCollector build() {
            return new SnapshotCollector(this);
        }
    }
}
