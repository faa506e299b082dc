package org.tlsrollout.platform.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsAreDistinctBindableAndBelowTheEphemeralRange() throws IOException {
        int[] ports = FreePorts.pick(6);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(6);
        assertThat(Arrays.stream(ports).boxed())
                .allSatisfy(port -> assertThat(port).isBetween(FreePorts.FIRST, FreePorts.ephemeralRangeStart() - 1));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void theEphemeralRangeIsReadFromTheKernelWhereItCanBe() throws IOException {
        Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int expected = Files.exists(file) ? Integer.parseInt(Files.readAllLines(file).get(0).split("\\s+")[0]) : 49152;
        assertThat(FreePorts.ephemeralRangeStart()).isEqualTo(expected).isGreaterThan(1024);
    }
}
