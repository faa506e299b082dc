package org.tlsrollout.platform.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.tlsrollout.contracts.Topics;

/**
 * Who may do what on the broker (api.md, "Kafka topics"): each service has its own principal, which may read and
 * write only its own topics, and the services' consumer groups; {@value #ADMIN} is the broker's own principal and
 * the super user that creates topics, credentials and these ACLs. Nothing else is allowed
 * ({@code allow.everyone.if.no.acl.found=false}), so a client without credentials can do nothing at all.
 */
public final class KafkaPrincipals {
    /** The broker itself (inter-broker and controller connections) and the tools that create topics and ACLs. */
    public static final String ADMIN = "admin";
    public static final String COLLECTOR = "collector";
    public static final String RULES = "rules";
    public static final String REMEDIATION = "remediation";
    /** The services' principals. */
    public static final List<String> SERVICES = List.of(COLLECTOR, RULES, REMEDIATION);
    /** Every principal that has credentials. */
    public static final List<String> ALL = List.of(ADMIN, COLLECTOR, RULES, REMEDIATION);

    /** The consumer groups of the services ({@code group.id} in their application.properties). */
    public static final String RULES_GROUP = "rules-service";
    public static final String REMEDIATION_GROUP = "remediation-service";
    /** remediation-service's consumer of {@link Topics#AUDIT}, which it stores for {@code GET /api/v1/audit}. */
    public static final String REMEDIATION_AUDIT_GROUP = "remediation-service-audit";

    private KafkaPrincipals() {
    }

    /**
     * The ACLs: collector writes snapshots; rules reads snapshots (group rules-service) and writes evaluations and
     * the snapshots' dead letters; remediation reads evaluations (group remediation-service), writes job events (and
     * reads them back, without a group) and the evaluations' dead letters; both write the audit trail, which
     * remediation reads (group remediation-service-audit). WRITE and READ imply DESCRIBE; WRITE on a topic is what an
     * idempotent producer needs (KIP-679), so no cluster permission is given to any service.
     */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(topic(COLLECTOR, AclOperation.WRITE, Topics.SNAPSHOTS));
        acls.add(topic(RULES, AclOperation.READ, Topics.SNAPSHOTS));
        acls.add(group(RULES, RULES_GROUP));
        acls.add(topic(RULES, AclOperation.WRITE, Topics.EVALUATIONS));
        acls.add(topic(RULES, AclOperation.WRITE, Topics.dlq(Topics.SNAPSHOTS)));
        acls.add(topic(REMEDIATION, AclOperation.READ, Topics.EVALUATIONS));
        acls.add(group(REMEDIATION, REMEDIATION_GROUP));
        acls.add(topic(REMEDIATION, AclOperation.WRITE, Topics.JOB_EVENTS));
        // Each instance reads the job events (every partition, no group) to know which machines have a job to poll.
        acls.add(topic(REMEDIATION, AclOperation.READ, Topics.JOB_EVENTS));
        acls.add(topic(REMEDIATION, AclOperation.WRITE, Topics.dlq(Topics.EVALUATIONS)));
        // The audit trail: collector and remediation write their operators' actions; remediation reads them all.
        acls.add(topic(COLLECTOR, AclOperation.WRITE, Topics.AUDIT));
        acls.add(topic(REMEDIATION, AclOperation.WRITE, Topics.AUDIT));
        acls.add(topic(REMEDIATION, AclOperation.READ, Topics.AUDIT));
        acls.add(group(REMEDIATION, REMEDIATION_AUDIT_GROUP));
        acls.add(topic(REMEDIATION, AclOperation.WRITE, Topics.dlq(Topics.AUDIT)));
        return List.copyOf(acls);
    }

    /** {@code User:<name>}, as the broker names an authenticated SASL client. */
    public static String user(String name) {
        return "User:" + name;
    }

    /**
     * Makes the broker's ACLs exactly {@link #acls()}: creates the missing ones and deletes any other (left by an
     * older release, or added by hand).
     *
     * @return how many were created and deleted
     */
    static int[] apply(Admin admin) throws InterruptedException, ExecutionException {
        Set<AclBinding> wanted = new HashSet<>(acls());
        Collection<AclBinding> existing = admin.describeAcls(AclBindingFilter.ANY).values().get();
        List<AclBindingFilter> stale = existing.stream().filter(acl -> !wanted.contains(acl))
                .map(AclBinding::toFilter).toList();
        List<AclBinding> missing = wanted.stream().filter(acl -> !existing.contains(acl)).toList();
        if (!stale.isEmpty()) {
            admin.deleteAcls(stale).all().get();
        }
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get();
        }
        return new int[] {missing.size(), stale.size()};
    }

    private static AclBinding topic(String principal, AclOperation operation, String topic) {
        return allow(principal, operation, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL));
    }

    private static AclBinding group(String principal, String group) {
        return allow(principal, AclOperation.READ, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL));
    }

    private static AclBinding allow(String principal, AclOperation operation, ResourcePattern resource) {
        return new AclBinding(resource, new AccessControlEntry(user(principal), "*", operation, AclPermissionType.ALLOW));
    }
}
