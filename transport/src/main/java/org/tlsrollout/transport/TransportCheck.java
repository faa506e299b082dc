package org.tlsrollout.transport;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * api.md, Transport: a service serves plain HTTP only on a loopback address. Bound to any other address it must
 * serve HTTPS only: a server certificate configured and {@code quarkus.http.insecure-requests=disabled}. Otherwise
 * the service refuses to start, saying what to set.
 */
@ApplicationScoped
public class TransportCheck {

    void onStart(@Observes StartupEvent event, TlsConfigurationRegistry registry) {
        Config config = ConfigProvider.getConfig();
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        String insecure = config.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled");
        Optional<String> name = config.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
        boolean certificate = name.flatMap(registry::get).or(registry::getDefault)
                .map(TlsConfiguration::getKeyStore).isPresent()
                || config.getOptionalValue("quarkus.http.ssl.certificate.files", String.class).isPresent()
                || config.getOptionalValue("quarkus.http.ssl.certificate.key-store-file", String.class).isPresent();
        refusal(host, isLoopback(host), insecure, certificate).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
    }

    /** Why a service bound to {@code host} with these settings must not start; empty when it may. */
    static Optional<String> refusal(String host, boolean loopback, String insecureRequests, boolean certificate) {
        if (loopback) {
            return Optional.empty();
        }
        boolean plainOff = "disabled".equals(insecureRequests.trim().toLowerCase(Locale.ROOT));
        if (plainOff && certificate) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        if (!certificate) {
            missing.add("a server certificate (quarkus.tls.key-store.pem.<name>.cert and .key)");
        }
        if (!plainOff) {
            missing.add("quarkus.http.insecure-requests=disabled");
        }
        return Optional.of("quarkus.http.host is " + host + ", not a loopback address, and plain HTTP would be served: "
                + "off loopback a service serves HTTPS only (api.md, Transport). Set " + String.join(" and ", missing)
                + ", or bind the service to a loopback address (quarkus.http.host=127.0.0.1).");
    }

    /** True when every address {@code host} names is a loopback address (127.0.0.0/8, ::1; a bracketed IPv6 too). */
    public static boolean isLoopback(String host) {
        try {
            String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            InetAddress[] addresses = InetAddress.getAllByName(name);
            return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
