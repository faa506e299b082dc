package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/** Shared helpers of the catalog tests. */
final class Catalogs {
    static final RuleCatalog DEFAULT = new RuleCatalog();

    private Catalogs() {
    }

    /** The result of one rule, by the default catalog. */
    static RuleResult result(MachineSnapshot s, RuleId id) {
        return result(DEFAULT, s, id);
    }

    static RuleResult result(SnapshotBuilder b, RuleId id) {
        return result(DEFAULT, b.build(), id);
    }

    static RuleResult result(RuleCatalog catalog, MachineSnapshot s, RuleId id) {
        List<RuleResult> all = catalog.evaluate(s);
        RuleResult r = all.get(id.ordinal());
        assertThat(r.ruleId()).isEqualTo(id);
        assertThat(r.severity()).isEqualTo(id.severity());
        assertThat(r.phase()).isEqualTo(id.phaseFor(s.machineClass()));
        assertThat(r.message()).isNotBlank();
        if (r.status() != org.tlsrollout.contracts.RuleStatus.FAIL) {
            assertThat(r.actions()).as("only a FAIL carries remediation actions").isEmpty();
        }
        for (Action a : r.actions()) {
            if (a.type() == ActionType.SET_REGISTRY_DWORD) {
                assertThat(RegistryKeys.isWritable(a.key(), a.name())).as("allowlisted: %s", a).isTrue();
            }
            // rules.md: "remediation-service refuses to sign anything else" (values and updates included)
            assertThat(ActionPolicy.refusal(a, catalog.options().laterRollups())).as("allowed: %s", a).isEmpty();
        }
        return r;
    }

    static Action set(String key, String name, long value) {
        return Action.setDword(key, name, value);
    }
}
