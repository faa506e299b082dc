package org.tlsrollout.contracts;

/** Known TLS failure signatures the agent looks for (rules.md, "Known errors", from seed 001 "Known issues"). */
public enum KnownErrorId {
    SQL_SSL_SECURITY_ERROR,
    SRSRP_CONNECTION_CLOSED,
    APPCATALOG_SOAP_NEGOTIATION,
    SCP_UPLOAD_FAILED,
    CONSOLE_INTUNE_ONBOARDING,
    CONSOLE_AZURE_SIGNIN,
    WSUS_COMMUNICATION_FAILED,
    CLIENT_SITE_COMMUNICATION_FAILED
}
