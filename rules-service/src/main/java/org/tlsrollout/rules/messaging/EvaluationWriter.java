package org.tlsrollout.rules.messaging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RuleResult;

/**
 * Writes an evaluation as {@link Json#MAPPER} does, byte for byte, but its instants by hand ({@link IsoInstants}) and
 * each rule result from a cache of its JSON:
 * machines in the same state get equal results (same rule, status, message and actions), and writing a FAIL's
 * message and registry paths is most of an evaluation's JSON. The cache holds at most {@link #MAX_RESULTS} results and
 * starts over when full. Thread-safe.
 */
public final class EvaluationWriter {
    static final int MAX_RESULTS = 4096;

    private final ConcurrentHashMap<Key, SerializedString> results = new ConcurrentHashMap<>();
    private final ObjectWriter resultWriter = Json.MAPPER.writerFor(RuleResult.class);
    private final ObjectWriter writer;

    public EvaluationWriter() {
        ObjectMapper mapper = Json.MAPPER.copy();
        mapper.registerModule(IsoInstants.module());
        mapper.registerModule(new SimpleModule("cached-rule-results").addSerializer(RuleResult.class, new Cached()));
        writer = mapper.writerFor(EvaluationEvent.class);
    }

    public byte[] write(EvaluationEvent evaluation) throws JsonProcessingException {
        Buffer buffer = BUFFER.get();
        buffer.reset();
        try {
            writer.writeValue(buffer, evaluation);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) { // a ByteArrayOutputStream does not throw
            throw new IllegalStateException(e);
        }
        return buffer.toByteArray();
    }

    /*
     * Each thread writes into a buffer of its own, kept between evaluations, then copies out the bytes:
     * writeValueAsBytes grows a new chain of segments for every 3-6 KB evaluation and joins them (C1, visible).
     */
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    /** A byte buffer that drops its array when an odd evaluation made it large. */
    private static final class Buffer extends ByteArrayOutputStream {
        private static final int KEEP = 64 * 1024;

        Buffer() {
            super(16 * 1024);
        }

        @Override
        public synchronized void reset() {
            if (buf.length > KEEP) {
                buf = new byte[16 * 1024];
            }
            super.reset();
        }
    }

    /** The number of results whose JSON is cached (for tests). */
    int cached() {
        return results.size();
    }

    private SerializedString json(RuleResult result) throws JsonProcessingException {
        Key key = new Key(result);
        SerializedString json = results.get(key);
        if (json == null) {
            json = new SerializedString(resultWriter.writeValueAsString(result));
            if (results.size() >= MAX_RESULTS) {
                results.clear();
            }
            results.put(key, json);
        }
        return json;
    }

    /**
     * A result as a cache key, compared field by field: the records' own equals and hashCode go through method
     * handles, slow with C1 (which the stack runs), slow enough to cancel the cache.
     */
    private static final class Key {
        private final RuleResult result;
        private final int hash;

        Key(RuleResult r) {
            this.result = r;
            int h = r.ruleId().ordinal();
            h = 31 * h + r.status().ordinal();
            h = 31 * h + r.severity().ordinal();
            h = 31 * h + r.phase().ordinal();
            h = 31 * h + sample(r.message());
            h = 31 * h + Objects.hashCode(r.source());
            for (Action x : r.actions()) {
                h = 31 * h + hash(x);
            }
            this.hash = h;
        }

        /**
         * A hash of a message from its length and some of its characters: each message is a new String, so its
         * String.hashCode would be computed over every character for every result (slow with C1); equals compares it all.
         */
        private static int sample(String s) {
            if (s == null) {
                return 0;
            }
            int n = s.length();
            int h = n;
            for (int i = 0; i < n; i += 1 + (n >> 4)) {
                h = 31 * h + s.charAt(i);
            }
            return n == 0 ? h : 31 * h + s.charAt(n - 1);
        }

        private static int hash(Action x) {
            int h = x.type().ordinal();
            h = 31 * h + Objects.hashCode(x.key());
            h = 31 * h + Objects.hashCode(x.name());
            h = 31 * h + Objects.hashCode(x.value());
            h = 31 * h + Objects.hashCode(x.kb());
            h = 31 * h + Objects.hashCode(x.reason());
            return h;
        }

        private static boolean sameActions(List<Action> a, List<Action> b) {
            if (a == b) {
                return true;
            }
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                Action x = a.get(i);
                Action y = b.get(i);
                if (x != y && !(x.type() == y.type() && Objects.equals(x.key(), y.key())
                        && Objects.equals(x.name(), y.name()) && Objects.equals(x.value(), y.value())
                        && Objects.equals(x.kb(), y.kb()) && Objects.equals(x.product(), y.product())
                        && Objects.equals(x.minimumVersion(), y.minimumVersion())
                        && Objects.equals(x.reason(), y.reason()) && Objects.equals(x.service(), y.service())
                        && Objects.equals(x.jobId(), y.jobId()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k) || k.hash != hash) {
                return false;
            }
            RuleResult a = result;
            RuleResult b = k.result;
            return a.ruleId() == b.ruleId() && a.status() == b.status() && a.severity() == b.severity()
                    && a.phase() == b.phase() && Objects.equals(a.message(), b.message()) && sameActions(a.actions(), b.actions())
                    && Objects.equals(a.source(), b.source());
        }
    }

    private final class Cached extends StdSerializer<RuleResult> {
        Cached() {
            super(RuleResult.class);
        }

        @Override
        public void serialize(RuleResult value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeRawValue(json(value));
        }
    }
}
