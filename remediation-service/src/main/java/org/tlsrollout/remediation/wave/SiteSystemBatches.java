package org.tlsrollout.remediation.wave;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tlsrollout.contracts.Role;

/**
 * The batches of a SITE_SYSTEMS or DISABLE_LEGACY wave, in a sensible order (issue 17): every change restarts the
 * machine, so
 * <ul>
 * <li>no batch holds more than half of the machines of one role at one site when the site has more than one (two
 * management points, or two distribution points, never restart together);</li>
 * <li>the site servers (primary and secondary) and site database servers come last, in the last batch(es), after the
 * site systems that depend on them.</li>
 * </ul>
 * Within those rules a batch holds up to the wave's batch size, filled first-fit in the order given (the wave's
 * shuffled order). CLIENT and ADMIN_CONSOLE do not group machines. Plain Java.
 */
public final class SiteSystemBatches {
    /** The roles whose machines come in the last batch(es). */
    public static final Set<Role> LAST = EnumSet.of(Role.SITE_SERVER, Role.SECONDARY_SITE_SERVER,
            Role.SITE_DATABASE_SERVER);

    private SiteSystemBatches() {
    }

    /** A machine to place. */
    public record Target(String machineId, String siteCode, Set<Role> roles) {
    }

    /**
     * The batch (from 1) of each target, by machine id.
     *
     * @param targets in the order to fill batches
     * @param batchSize the most machines a batch holds, at least 1
     */
    public static Map<String, Integer> plan(List<Target> targets, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        Map<String, Integer> groupSizes = new HashMap<>();
        for (Target t : targets) {
            for (String group : groups(t)) {
                groupSizes.merge(group, 1, Integer::sum);
            }
        }
        List<Target> early = new ArrayList<>();
        List<Target> late = new ArrayList<>();
        for (Target t : targets) {
            (t.roles().stream().anyMatch(LAST::contains) ? late : early).add(t);
        }
        Map<String, Integer> batches = new HashMap<>(targets.size() * 2);
        List<Batch> placed = new ArrayList<>();
        fill(early, placed, 0, batchSize, groupSizes, batches);
        fill(late, placed, placed.size(), batchSize, groupSizes, batches);
        return batches;
    }

    /** How many batches a plan holds. */
    public static int count(Map<String, Integer> plan) {
        return plan.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The most machines of a group one batch may hold: half of them when there are more than one. */
    static int cap(int groupSize) {
        return groupSize > 1 ? groupSize / 2 : groupSize;
    }

    private static final class Batch {
        int size;
        final Map<String, Integer> groups = new HashMap<>();
    }

    /** First-fit of {@code targets} into the batches from index {@code from} on, opening new ones at the end. */
    private static void fill(List<Target> targets, List<Batch> batches, int from, int batchSize,
            Map<String, Integer> groupSizes, Map<String, Integer> plan) {
        int firstOpen = from;
        for (Target t : targets) {
            List<String> groups = groups(t);
            int chosen = -1;
            for (int i = firstOpen; i < batches.size(); i++) {
                if (fits(batches.get(i), groups, batchSize, groupSizes)) {
                    chosen = i;
                    break;
                }
            }
            if (chosen < 0) {
                batches.add(new Batch());
                chosen = batches.size() - 1;
            }
            Batch batch = batches.get(chosen);
            batch.size++;
            for (String group : groups) {
                batch.groups.merge(group, 1, Integer::sum);
            }
            plan.put(t.machineId(), chosen + 1);
            // Full batches are never looked at again.
            while (firstOpen < batches.size() && batches.get(firstOpen).size >= batchSize) {
                firstOpen++;
            }
        }
    }

    private static boolean fits(Batch batch, List<String> groups, int batchSize, Map<String, Integer> groupSizes) {
        if (batch.size >= batchSize) {
            return false;
        }
        for (String group : groups) {
            if (batch.groups.getOrDefault(group, 0) >= cap(groupSizes.get(group))) {
                return false;
            }
        }
        return true;
    }

    /** The (site, role) groups of a machine; CLIENT and ADMIN_CONSOLE group nothing. */
    private static List<String> groups(Target t) {
        List<String> groups = new ArrayList<>();
        for (Role role : t.roles()) {
            if (role != Role.CLIENT && role != Role.ADMIN_CONSOLE) {
                groups.add(t.siteCode() + "/" + role.name());
            }
        }
        return groups;
    }
}
