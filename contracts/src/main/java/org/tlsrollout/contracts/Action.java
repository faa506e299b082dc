package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One action of a fix job (rules.md, "Action types in a fix job"). Only the fields of its type are set; the
 * others are null and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Action(
        ActionType type,
        String key,
        String name,
        Long value,
        String kb,
        String product,
        String minimumVersion,
        String reason,
        String service,
        String jobId) {

    public Action {
        Objects.requireNonNull(type, "type");
    }

    public static Action setDword(String key, String name, long value) {
        return new Action(ActionType.SET_REGISTRY_DWORD, key, name, value, null, null, null, null, null, null);
    }

    public static Action installUpdate(String kb) {
        return new Action(ActionType.INSTALL_UPDATE, null, null, null, kb, null, null, null, null, null);
    }

    public static Action installSoftware(String product, String minimumVersion) {
        return new Action(ActionType.INSTALL_SOFTWARE, null, null, null, null, product, minimumVersion, null, null, null);
    }

    public static Action runProbes() {
        return new Action(ActionType.RUN_PROBES, null, null, null, null, null, null, null, null, null);
    }

    public static Action restart(String reason) {
        return new Action(ActionType.RESTART, null, null, null, null, null, null, reason, null, null);
    }

    public static Action restartService(String service) {
        return new Action(ActionType.RESTART_SERVICE, null, null, null, null, null, null, null, service, null);
    }

    public static Action undoJob(String jobId) {
        return new Action(ActionType.UNDO_JOB, null, null, null, null, null, null, null, null, jobId);
    }
}
