package org.tlsrollout.platform.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for processes that bind them later (a broker, a service), drawn at random below the kernel's
 * ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}): the kernel picks the local port of every outgoing
 * connection from that range, and one could take a port found there before its process binds it (docs/decisions.md).
 */
public final class FreePorts {
    /** Where the search starts: above the registered ports that local tools commonly take. */
    public static final int FIRST = 20000;
    private static final int RANDOM_ATTEMPTS = 500;

    private FreePorts() {
    }

    /** {@code n} distinct ports free on the loopback address now; all are held open at once, so none repeats. */
    public static int[] pick(int n) {
        int below = ephemeralRangeStart();
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0, attempts = 0; i < n; attempts++) {
                // Should the range below be full or empty, the kernel's choice is better than none.
                int port = attempts < RANDOM_ATTEMPTS && below > FIRST ? random.nextInt(FIRST, below) : 0;
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    sockets[i] = socket;
                    ports[i++] = socket.getLocalPort();
                } catch (IOException taken) {
                    socket.close();
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a socket to look for a free port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket that accepted nothing
                    }
                }
            }
        }
    }

    /** One free port, as {@link #pick}. */
    public static int pick() {
        return pick(1)[0];
    }

    /** The lowest port of Linux's ephemeral range, or IANA's 49152 where that file does not exist. */
    public static int ephemeralRangeStart() {
        try {
            // Not Files.readString: procfs reports a length of 0, and readString returned "3" for this file on JDK 17.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49152;
        }
    }
}
