package org.tlsrollout.agent.sim;

/** A part of a dotted version (comparing whole versions: contracts' DottedVersions). */
final class Versions {
    private Versions() {
    }

    static int part(String version, int index) {
        String[] parts = version.split("\\.");
        return index < parts.length ? Integer.parseInt(parts[index]) : 0;
    }
}
