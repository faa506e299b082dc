package org.tlsrollout.agent.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Windows registry through {@code reg.exe}:
 * <ul>
 *   <li>{@code reg query "<key>" /v <name>} to read one value,</li>
 *   <li>{@code reg query "<key>"} to read a key,</li>
 *   <li>{@code reg add "<key>" /v <name> /t REG_DWORD /d <value> /f} to write one.</li>
 * </ul>
 * With {@code view64} every command carries {@code /reg:64}, so that a 32-bit JVM on 64-bit Windows still
 * reads and writes the native keys instead of being redirected to {@code Wow6432Node} (the agent reports both
 * views, so it must choose, not be redirected). Not-found is recognised by reg.exe's English message; on
 * another display language every exit code 1 is an error.
 */
public final class RegExeRegistry implements Registry {
    static final String NOT_FOUND = "unable to find the specified registry key or value";
    /** A value line: four spaces, the name, four spaces, the type, four spaces, the data. */
    private static final Pattern VALUE_LINE = Pattern.compile("^ {4}(.+?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$");

    private final CommandRunner runner;
    private final boolean view64;

    public RegExeRegistry(CommandRunner runner, boolean view64) {
        this.runner = runner;
        this.view64 = view64;
    }

    @Override
    public OptionalLong readDword(String key, String name) {
        Optional<List<Value>> values = query(key, name);
        if (values.isEmpty()) {
            return OptionalLong.empty();
        }
        for (Value v : values.get()) {
            if (v.name().equalsIgnoreCase(name)) {
                if (!"REG_DWORD".equals(v.type())) {
                    throw new RegistryException(key + "\\" + name + " is a " + v.type() + ", not a REG_DWORD");
                }
                return OptionalLong.of(parseDword(v.data(), key, name));
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public Optional<Map<String, Long>> readKey(String key) {
        return query(key, null).map(values -> {
            Map<String, Long> dwords = new LinkedHashMap<>();
            for (Value v : values) {
                if ("REG_DWORD".equals(v.type())) {
                    dwords.put(v.name(), parseDword(v.data(), key, v.name()));
                }
            }
            return dwords;
        });
    }

    @Override
    public void writeDword(String key, String name, long value) {
        Registry.checkWritable(key, name, value);
        List<String> command = new ArrayList<>(List.of("reg", "add", keyArgument(key), "/v", name,
                "/t", "REG_DWORD", "/d", "0x" + Long.toHexString(value), "/f"));
        if (view64) {
            command.add("/reg:64");
        }
        CommandRunner.Result result = run(command);
        if (result.exitCode() != 0) {
            throw new RegistryException("reg add " + key + "\\" + name + " failed (exit " + result.exitCode() + "): "
                    + message(result));
        }
    }

    /** {@code reg delete <key> /v <name> /f}; a value (or key) that does not exist is already deleted. */
    @Override
    public void deleteValue(String key, String name) {
        Registry.checkDeletable(key, name);
        List<String> command = new ArrayList<>(List.of("reg", "delete", keyArgument(key), "/v", name, "/f"));
        if (view64) {
            command.add("/reg:64");
        }
        CommandRunner.Result result = run(command);
        if (result.exitCode() != 0) {
            String message = message(result);
            if (message.toLowerCase(Locale.ROOT).contains(NOT_FOUND)) {
                return;
            }
            throw new RegistryException("reg delete " + key + "\\" + name + " failed (exit " + result.exitCode()
                    + "): " + message);
        }
    }

    /** The values reg.exe printed for the key (only {@code name} when given); empty when not found. */
    private Optional<List<Value>> query(String key, String name) {
        List<String> command = new ArrayList<>(List.of("reg", "query", keyArgument(key)));
        if (name != null) {
            command.add("/v");
            command.add(name);
        }
        if (view64) {
            command.add("/reg:64");
        }
        CommandRunner.Result result = run(command);
        if (result.exitCode() != 0) {
            String message = message(result);
            if (message.toLowerCase(Locale.ROOT).contains(NOT_FOUND)) {
                return Optional.empty();
            }
            throw new RegistryException("reg query " + key + (name == null ? "" : " /v " + name) + " failed (exit "
                    + result.exitCode() + "): " + message);
        }
        return Optional.of(parse(result.stdout()));
    }

    /**
     * The value lines under the first key header of reg.exe's output; the lines of subkeys (and anything after
     * them) are not the key's values.
     */
    static List<Value> parse(String output) {
        List<Value> values = new ArrayList<>();
        boolean inKey = false;
        for (String raw : output.split("\r?\n")) {
            String line = stripTrailingCr(raw);
            if (line.startsWith("HKEY_")) {
                if (inKey) {
                    break;
                }
                inKey = true;
                continue;
            }
            if (!inKey) {
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            Matcher m = VALUE_LINE.matcher(line);
            if (m.matches()) {
                values.add(new Value(m.group(1), m.group(2), m.group(3) == null ? "" : m.group(3).strip()));
            }
        }
        return values;
    }

    static long parseDword(String data, String key, String name) {
        String d = data.strip().toLowerCase(Locale.ROOT);
        try {
            long v = d.startsWith("0x") ? Long.parseLong(d.substring(2), 16) : Long.parseLong(d);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException("out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new RegistryException("cannot read the REG_DWORD " + key + "\\" + name + " = '" + data + "'", e);
        }
    }

    /** A trailing backslash would escape the closing quote that Windows puts around an argument with spaces. */
    private static String keyArgument(String key) {
        String k = key;
        while (k.endsWith("\\")) {
            k = k.substring(0, k.length() - 1);
        }
        return k;
    }

    private CommandRunner.Result run(List<String> command) {
        try {
            return runner.run(command);
        } catch (IOException e) {
            throw new RegistryException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private static String message(CommandRunner.Result result) {
        String m = result.stderr().isBlank() ? result.stdout() : result.stderr();
        return m.strip();
    }

    private static String stripTrailingCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** One value line of reg.exe's output. */
    record Value(String name, String type, String data) {
    }
}
