package org.tlsrollout.agent.host;

/**
 * The estate's own way of installing updates and software (a ConfigMgr deployment, WSUS, a package share).
 * The agent hands INSTALL_UPDATE and INSTALL_SOFTWARE actions to it and reports what it answers.
 */
public interface Deployments {

    /**
     * Installs an update by KB number; returns when it is installed.
     *
     * @throws DeploymentException when it is not installed (not applicable, download or install failure)
     */
    void installUpdate(String kb);

    /**
     * Installs a product ({@code dotnet-framework}, {@code sql-server-express}, {@code sql-native-client}) at
     * least at this version; returns when it is installed.
     *
     * @throws DeploymentException when it is not installed
     */
    void installSoftware(String product, String minimumVersion);

    /** {@link #installUpdate(String)}, returning by {@code deadline} (the job's expiry) at the latest. */
    default void installUpdate(String kb, java.time.Instant deadline) {
        installUpdate(kb);
    }

    /** {@link #installSoftware(String, String)}, returning by {@code deadline} (the job's expiry) at the latest. */
    default void installSoftware(String product, String minimumVersion, java.time.Instant deadline) {
        installSoftware(product, minimumVersion);
    }
}
