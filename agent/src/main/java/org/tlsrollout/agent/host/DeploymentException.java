package org.tlsrollout.agent.host;

/** An update or a product was not installed. */
public class DeploymentException extends RuntimeException {
    public DeploymentException(String message) {
        super(message);
    }
}
