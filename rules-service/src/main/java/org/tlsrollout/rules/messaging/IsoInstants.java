package org.tlsrollout.rules.messaging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants in the one form the collector and this service write, {@code 2026-12-06T23:00:00Z} with 0 to 9 digits of
 * fraction, read and written by hand: {@link java.time.format.DateTimeFormatter}, which Jackson's JavaTimeModule uses,
 * is slow with C1 (which the stack runs). Writes exactly what {@link Instant#toString()} writes; reads anything else
 * (an offset, a number, a malformed value) the module's way, so with its errors.
 */
final class IsoInstants {
    private IsoInstants() {
    }

    /** The reader and the writer, to register on a copy of {@link org.tlsrollout.contracts.Json#MAPPER}. */
    static SimpleModule module() {
        return new SimpleModule("iso-instants").addDeserializer(Instant.class, new Reader())
                .addSerializer(Instant.class, new Writer());
    }

    /** The instant of {@code s[from, from + length)} in the fast form; null when it is not in that form. */
    static Instant parse(char[] s, int from, int length) {
        // yyyy-MM-ddTHH:mm:ss then .f to .fffffffff, then Z
        if (length < 20 || length > 30 || s[from + length - 1] != 'Z' || s[from + 4] != '-' || s[from + 7] != '-'
                || s[from + 10] != 'T' || s[from + 13] != ':' || s[from + 16] != ':') {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int digits = length - 21;
            if (s[from + 19] != '.' || digits < 1) {
                return null;
            }
            for (int i = 0; i < 9; i++) {
                int d = i < digits ? digit(s[from + 20 + i]) : 0;
                if (d < 0) {
                    return null;
                }
                nanos = nanos * 10 + d;
            }
        }
        int year = number(s, from, 4);
        int month = number(s, from + 5, 2);
        int day = number(s, from + 8, 2);
        int hour = number(s, from + 11, 2);
        int minute = number(s, from + 14, 2);
        int second = number(s, from + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** {@link Instant#toString()} of an instant of the years 0 to 9999; null for the others. */
    static char[] format(Instant instant) {
        LocalDateTime t;
        try {
            t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return null;
        }
        int nanos = instant.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] out = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        put(out, 0, t.getYear(), 4);
        out[4] = '-';
        put(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, t.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, t.getHour(), 2);
        out[13] = ':';
        put(out, 14, t.getMinute(), 2);
        out[16] = ':';
        put(out, 17, t.getSecond(), 2);
        if (fraction > 0) {
            out[19] = '.';
            put(out, 20, nanos / (fraction == 3 ? 1_000_000 : fraction == 6 ? 1_000 : 1), fraction);
        }
        out[out.length - 1] = 'Z';
        return out;
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    private static int number(char[] s, int from, int digits) {
        int n = 0;
        for (int i = 0; i < digits; i++) {
            int d = digit(s[from + i]);
            if (d < 0) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static void put(char[] out, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final class Reader extends StdDeserializer<Instant> {
        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    private static final class Writer extends StdSerializer<Instant> {
        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            char[] text = format(value);
            if (text == null) {
                gen.writeString(value.toString());
            } else {
                gen.writeString(text, 0, text.length);
            }
        }
    }
}
