package org.tlsrollout.agent.program;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly or daily window in the machine's local time, {@code "Sat 02:00-06:00"} or {@code "daily 01:00-05:00"};
 * an end before the start runs past midnight. Used for RESTART when the configuration names one (else the ConfigMgr
 * client's own maintenance windows decide).
 */
public record MaintenanceWindow(DayOfWeek day, LocalTime start, LocalTime end) {
    private static final Pattern FORM = Pattern.compile("^(?i)(daily|mon|tue|wed|thu|fri|sat|sun)\\s+(\\d{2}:\\d{2})-(\\d{2}:\\d{2})$");

    public static MaintenanceWindow parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected e.g. \"Sat 02:00-06:00\" or \"daily 01:00-05:00\"");
        }
        DayOfWeek day = null;
        if (!m.group(1).equalsIgnoreCase("daily")) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(m.group(1))) {
                    day = d;
                }
            }
        }
        try {
            return new MaintenanceWindow(day, LocalTime.parse(m.group(2)), LocalTime.parse(m.group(3)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a time of day: " + e.getMessage());
        }
    }

    /** True when {@code now} (local time) is inside the window. */
    public boolean contains(ZonedDateTime now) {
        LocalTime t = now.toLocalTime();
        if (!end.isBefore(start)) {
            return (day == null || now.getDayOfWeek() == day) && !t.isBefore(start) && t.isBefore(end);
        }
        // past midnight: the start day's evening or the next day's morning
        boolean evening = !t.isBefore(start) && (day == null || now.getDayOfWeek() == day);
        boolean morning = t.isBefore(end) && (day == null || now.getDayOfWeek() == day.plus(1));
        return evening || morning;
    }
}
