package org.tlsrollout.remediation.wave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Role;

/** The order of a site-system wave's batches (issue 17), without Quarkus. */
class SiteSystemBatchesTest {

    private static SiteSystemBatches.Target t(String id, String site, Role... roles) {
        EnumSet<Role> set = EnumSet.of(Role.CLIENT);
        set.addAll(List.of(roles));
        return new SiteSystemBatches.Target(id, site, set);
    }

    @Test
    void twoManagementPointsOfASiteNeverShareABatchAndTheSiteServerAndDatabaseComeLast() {
        List<SiteSystemBatches.Target> targets = List.of(
                t("ss", "P01", Role.SITE_SERVER, Role.SMS_PROVIDER),
                t("db", "P01", Role.SITE_DATABASE_SERVER),
                t("mp1", "P01", Role.MANAGEMENT_POINT),
                t("mp2", "P01", Role.MANAGEMENT_POINT),
                t("dp1", "P01", Role.DISTRIBUTION_POINT),
                t("dp2", "P01", Role.DISTRIBUTION_POINT),
                t("dp3", "P01", Role.DISTRIBUTION_POINT),
                t("dp4", "P01", Role.DISTRIBUTION_POINT),
                t("mpB", "P02", Role.MANAGEMENT_POINT));
        Map<String, Integer> plan = SiteSystemBatches.plan(targets, 10);
        assertThat(plan).hasSize(targets.size());
        assertThat(plan.get("mp1")).isNotEqualTo(plan.get("mp2"));
        // Half of four distribution points at most in one batch.
        assertThat(List.of("dp1", "dp2", "dp3", "dp4")).extracting(plan::get)
                .satisfies(b -> assertThat(b.stream().filter(x -> x.equals(b.get(0))).count()).isLessThanOrEqualTo(2));
        int last = SiteSystemBatches.count(plan);
        assertThat(plan.get("ss")).isEqualTo(last);
        assertThat(plan.get("db")).isEqualTo(last);
        for (String early : List.of("mp1", "mp2", "dp1", "dp2", "dp3", "dp4", "mpB")) {
            assertThat(plan.get(early)).as(early).isLessThan(last);
        }
        // The one management point of another site has no one to wait for: it goes in the first batch.
        assertThat(plan.get("mpB")).isEqualTo(1);
        assertThat(plan.get("mp1")).isEqualTo(1);
    }

    @Test
    void noBatchHoldsMoreThanHalfOfARoleOfASiteNorMoreThanTheBatchSize() {
        List<SiteSystemBatches.Target> targets = new ArrayList<>();
        Role[] roles = {Role.MANAGEMENT_POINT, Role.DISTRIBUTION_POINT, Role.SOFTWARE_UPDATE_POINT};
        for (int i = 0; i < 300; i++) {
            targets.add(t("m" + i, "S" + (i % 3) + "X", roles[i % 7 % 3]));
        }
        targets.add(t("ss0", "S0X", Role.SITE_SERVER));
        targets.add(t("ss1", "S1X", Role.SECONDARY_SITE_SERVER));
        for (int batchSize : new int[] {1, 3, 50, 1000}) {
            Map<String, Integer> plan = SiteSystemBatches.plan(targets, batchSize);
            assertThat(plan).hasSize(targets.size());
            Map<String, Integer> groupSizes = new HashMap<>();
            Map<String, Integer> perBatch = new HashMap<>();
            Map<Integer, Integer> batchSizes = new HashMap<>();
            for (SiteSystemBatches.Target target : targets) {
                batchSizes.merge(plan.get(target.machineId()), 1, Integer::sum);
                for (Role role : target.roles()) {
                    if (role != Role.CLIENT) {
                        groupSizes.merge(target.siteCode() + role, 1, Integer::sum);
                        perBatch.merge(target.siteCode() + role + "#" + plan.get(target.machineId()), 1, Integer::sum);
                    }
                }
            }
            perBatch.forEach((key, n) -> {
                int size = groupSizes.get(key.substring(0, key.indexOf('#')));
                assertThat(n).as(key + " of " + size).isLessThanOrEqualTo(size > 1 ? size / 2 : 1);
            });
            assertThat(batchSizes.values()).allMatch(n -> n <= batchSize);
            int last = SiteSystemBatches.count(plan);
            // The site servers come after every other machine.
            int lastEarly = targets.stream().filter(x -> x.machineId().startsWith("m")).mapToInt(x -> plan.get(x.machineId()))
                    .max().orElseThrow();
            assertThat(plan.get("ss0")).isGreaterThan(lastEarly);
            assertThat(plan.get("ss1")).isGreaterThan(lastEarly);
            assertThat(Math.max(plan.get("ss0"), plan.get("ss1"))).isEqualTo(last);
        }
    }

    @Test
    void aSingleMachineOfARoleIsNotHeldBack() {
        assertThat(SiteSystemBatches.cap(1)).isEqualTo(1);
        assertThat(SiteSystemBatches.cap(2)).isEqualTo(1);
        assertThat(SiteSystemBatches.cap(3)).isEqualTo(1);
        assertThat(SiteSystemBatches.cap(5)).isEqualTo(2);
        assertThat(SiteSystemBatches.plan(List.of(), 5)).isEmpty();
    }
}
