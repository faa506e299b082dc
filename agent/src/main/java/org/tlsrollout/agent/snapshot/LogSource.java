package org.tlsrollout.agent.snapshot;

/**
 * The log lines the agent looks at for known TLS errors: ConfigMgr logs (CMTrace or the older SMS format),
 * WCF traces ({@code .svclog}), anything line-based.
 */
@FunctionalInterface
public interface LogSource {

    /** Hands every line to the sink, with the file name it came from (e.g. {@code SRSRP.log}). */
    void forEachLine(LineSink sink);

    /** Receives one line and the name of the log it came from. */
    @FunctionalInterface
    interface LineSink {
        void accept(String source, String line);
    }

    LogSource NONE = sink -> { };
}
