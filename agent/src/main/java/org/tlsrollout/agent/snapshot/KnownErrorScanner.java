package org.tlsrollout.agent.snapshot;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot.KnownError;

/**
 * Finds the known TLS failure signatures of rules.md ("Known errors", from seed 001 "Known issues") in log
 * lines. Each signature names the logs it belongs to where the text alone is ambiguous: "The underlying
 * connection was closed" is the SRS reporting point's error only in {@code SRSRP.log}; the same .NET text in
 * {@code dmpuploader.log} is the service connection point's.
 *
 * <p>Where the seed and the product differ, both are matched: seed 001 writes "An expected error occurred on a
 * receive", the .NET Framework's text is "An unexpected error occurred on a receive"; the seed's
 * "SslSecurityError" is "SSL Security error" in the ODBC driver's message.
 */
public final class KnownErrorScanner {
    /** The logs the signatures are found in. */
    public static final List<String> LOG_FILES = List.of(
            "SRSRP.log", "ServicePortalWebSite.svclog", "dmpuploader.log", "dmpdownloader.log", "SMSAdminUI.log",
            "WCM.log", "WSUSCtrl.log", "wsyncmgr.log", "CcmMessaging.log", "LocationServices.log",
            "DataTransferService.log", "ClientLocation.log", "smsprov.log", "sitecomp.log", "mpcontrol.log",
            "smsdbmon.log", "MP_Location.log");

    private static final int MAX_EXCERPT = 1024;
    private static final int MAX_SOURCE = 260;
    private static final int MAX_ERRORS = 32;

    private static final List<Signature> SIGNATURES = List.of(
            new Signature(KnownErrorId.SRSRP_CONNECTION_CLOSED, "SRSRP\\.log",
                    "an (?:un)?expected error occurred on a receive"),
            new Signature(KnownErrorId.APPCATALOG_SOAP_NEGOTIATION, null,
                    "SOAP security negotiation\\b.*\\bfailed"),
            new Signature(KnownErrorId.SCP_UPLOAD_FAILED, "dmp(?:uploader|downloader)\\.log",
                    "\\b(?:fail(?:ed|ure)?|error|exception)\\b.*(?:SCCMConnectedService|\\bupload)"
                            + "|underlying connection was closed|could not establish (?:a )?secure channel"),
            new Signature(KnownErrorId.CONSOLE_INTUNE_ONBOARDING, "SMSAdminUI\\.log", "\\bintune\\b.*\\bonboard"),
            new Signature(KnownErrorId.CONSOLE_AZURE_SIGNIN, "SMSAdminUI\\.log",
                    "(?:azure|\\baad\\b|entra).*(?:sign[- ]?in|log[- ]?in|authenticat).*(?:fail|error|exception)"
                            + "|(?:fail|error|exception).*(?:azure|\\baad\\b|entra).*(?:sign[- ]?in|log[- ]?in)"),
            new Signature(KnownErrorId.WSUS_COMMUNICATION_FAILED, "(?:WCM|WSUSCtrl|wsyncmgr)\\.log",
                    "remote configuration failed on wsus server|failed to connect to (?:the )?wsus"
                            + "|underlying connection was closed|could not establish (?:a )?(?:secure channel|trust"
                            + " relationship)|SEC_E_ALGORITHM_MISMATCH"),
            new Signature(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED,
                    "(?:CcmMessaging|LocationServices|DataTransferService|ClientLocation|ContentTransferManager"
                            + "|CAS)\\.log",
                    "0x80072f8f|0x80090331|0x80090326|ERROR_WINHTTP_SECURE_FAILURE|SEC_E_ALGORITHM_MISMATCH"
                            + "|SEC_E_ILLEGAL_MESSAGE"),
            new Signature(KnownErrorId.SQL_SSL_SECURITY_ERROR, null, "ssl\\s*security\\s*error"));

    /** CMTrace: {@code <![LOG[message]LOG]!><time="09:31:00.123+480" date="11-19-2026" ...>}. */
    private static final Pattern CMTRACE = Pattern.compile(
            "^<!\\[LOG\\[(.*)\\]LOG\\]!><time=\"(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?([+-]\\d{1,4})?\""
                    + "\\s+date=\"(\\d{1,2})-(\\d{1,2})-(\\d{4})\"");
    /** The older SMS format: {@code message $$<component><11-19-2026 09:31:00.123+480><thread=...>}. */
    private static final Pattern SMS = Pattern.compile(
            "^(.*?)\\s*\\$\\$<[^>]*><(\\d{1,2})-(\\d{1,2})-(\\d{4}) (\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?"
                    + "([+-]\\d{1,4})?>");
    /** WCF trace: {@code <TimeCreated SystemTime="2026-11-19T09:31:00.1234567Z" />}. */
    private static final Pattern SVCLOG_TIME = Pattern.compile("SystemTime=\"([^\"]+)\"");

    /** The signature a line shows, if any. {@code source} is the log's file name, or null when unknown. */
    public Optional<KnownErrorId> classify(String source, String line) {
        for (Signature s : SIGNATURES) {
            if (s.matches(source, line)) {
                return Optional.of(s.id());
            }
        }
        return Optional.empty();
    }

    /**
     * The known errors in the logs seen at or after {@code since}: one per signature, its most recent
     * occurrence. A line without a timestamp counts as seen {@code now}.
     */
    public List<KnownError> scan(LogSource logs, Instant since, Instant now) {
        Map<KnownErrorId, KnownError> found = new EnumMap<>(KnownErrorId.class);
        logs.forEachLine((source, line) -> {
            if (line == null || line.isEmpty()) {
                return;
            }
            Optional<KnownErrorId> id = classify(source, line);
            if (id.isEmpty()) {
                return;
            }
            Entry entry = parse(line, now);
            if (entry.at().isBefore(since)) {
                return;
            }
            KnownError previous = found.get(id.get());
            if (previous == null || !entry.at().isBefore(previous.seenAt())) {
                found.put(id.get(), new KnownError(id.get(), truncate(source, MAX_SOURCE),
                        truncate(entry.message().strip(), MAX_EXCERPT), entry.at()));
            }
        });
        List<KnownError> errors = new ArrayList<>(found.values());
        return errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors;
    }

    /** The message and time of one log line, in any of the formats above. */
    static Entry parse(String line, Instant fallback) {
        try {
            Matcher m = CMTRACE.matcher(line);
            if (m.find()) {
                return new Entry(m.group(1), local(m.group(9), m.group(7), m.group(8), m.group(2), m.group(3),
                        m.group(4), m.group(5), m.group(6)));
            }
            m = SMS.matcher(line);
            if (m.find()) {
                return new Entry(m.group(1), local(m.group(4), m.group(2), m.group(3), m.group(5), m.group(6),
                        m.group(7), m.group(8), m.group(9)));
            }
            m = SVCLOG_TIME.matcher(line);
            if (m.find()) {
                return new Entry(line, Instant.parse(m.group(1)));
            }
        } catch (ArithmeticException | java.time.DateTimeException | NumberFormatException e) {
            return new Entry(line, fallback);
        }
        return new Entry(line, fallback);
    }

    /** ConfigMgr writes local time and the time zone bias in minutes: UTC = local + bias. */
    private static Instant local(String year, String month, String day, String hour, String minute, String second,
            String fraction, String bias) {
        int nanos = 0;
        if (fraction != null) {
            String f = (fraction + "000000000").substring(0, 9);
            nanos = Integer.parseInt(f);
        }
        LocalDateTime t = LocalDateTime.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day),
                Integer.parseInt(hour), Integer.parseInt(minute), Integer.parseInt(second), nanos);
        long biasMinutes = bias == null ? 0 : Long.parseLong(bias);
        return t.toInstant(ZoneOffset.UTC).plusSeconds(biasMinutes * 60);
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max);
    }

    record Entry(String message, Instant at) {
    }

    private record Signature(KnownErrorId id, Pattern source, Pattern text) {
        Signature(KnownErrorId id, String source, String text) {
            this(id, source == null ? null : Pattern.compile("(?i)^(?:.*[\\\\/])?(?:" + source + ")$"),
                    Pattern.compile("(?i)" + text));
        }

        boolean matches(String file, String line) {
            if (source != null && file != null && !source.matcher(file).matches()) {
                return false;
            }
            return text.matcher(line).find();
        }
    }
}
