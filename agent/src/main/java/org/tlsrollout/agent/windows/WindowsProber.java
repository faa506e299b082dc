package org.tlsrollout.agent.windows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * TLS 1.2-only handshakes through SChannel, never Java's TLS: one PowerShell run that opens a .NET {@code SslStream}
 * with {@code SslProtocols} 3072 (Tls12) to each management point the ConfigMgr client knows
 * ({@code root\ccm SMS_Authority.CurrentManagementPoint}, port 443) and to each configured {@code host:port}, with the
 * certificate checked as Windows checks it. It prints one JSON object per target.
 */
public final class WindowsProber implements Prober {
    private static final Logger LOG = LoggerFactory.getLogger(WindowsProber.class);
    private static final Pattern TARGET = Pattern.compile("^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$");
    private static final int MAX = 64;

    private final PowerShell powershell;
    private final List<String> targets;
    private final Clock clock;

    public WindowsProber(PowerShell powershell, List<String> configuredTargets, Clock clock) {
        for (String t : configuredTargets) {
            if (!TARGET.matcher(t).matches()) {
                throw new IllegalArgumentException("not host:port: " + t); // also keeps the script free of quotes
            }
        }
        this.powershell = powershell;
        this.targets = List.copyOf(configuredTargets);
        this.clock = clock;
    }

    static String script(List<String> targets) {
        StringBuilder list = new StringBuilder();
        for (String t : targets) {
            list.append(list.length() == 0 ? "" : ",").append('\'').append(t).append('\'');
        }
        return "$targets = @(" + list + ");"
                + " try { foreach ($m in (Get-CimInstance -Namespace root\\ccm -ClassName SMS_Authority -ErrorAction Stop)) {"
                + " if ($m.CurrentManagementPoint) { $targets += ($m.CurrentManagementPoint + ':443') } } } catch { };"
                + " $out = foreach ($t in ($targets | Select-Object -Unique)) { $h, $p = $t.Split(':');"
                + " try { $c = New-Object Net.Sockets.TcpClient; $c.Connect($h, [int]$p);"
                + " $s = New-Object Net.Security.SslStream($c.GetStream(), $false);"
                + " $s.AuthenticateAsClient($h, $null, [Security.Authentication.SslProtocols]3072, $false);"
                + " $s.Dispose(); $c.Close(); [pscustomobject]@{ target = $t; ok = $true; error = $null } }"
                + " catch { $e = $_.Exception; while ($e.InnerException) { $e = $e.InnerException };"
                + " [pscustomobject]@{ target = $t; ok = $false; error = $e.Message } } };"
                + " ConvertTo-Json -InputObject @($out) -Compress";
    }

    @Override
    public List<MachineSnapshot.Probe> probe() {
        Instant now = clock.instant();
        List<MachineSnapshot.Probe> probes = new ArrayList<>();
        try {
            for (JsonNode r : PowerShell.items(powershell.json(script(targets)))) {
                if (probes.size() == MAX || !r.path("target").isTextual()) {
                    continue;
                }
                String error = r.path("error").isTextual() ? r.path("error").asText() : null;
                probes.add(new MachineSnapshot.Probe(cut(r.path("target").asText(), 512), "TLS1.2",
                        r.path("ok").asBoolean(false), error == null ? null : cut(error, 1024), now));
            }
        } catch (IOException e) {
            LOG.warn("cannot run the TLS 1.2 probes: {}", e.getMessage());
            return null; // no probes section rather than a false verdict
        }
        return probes;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
