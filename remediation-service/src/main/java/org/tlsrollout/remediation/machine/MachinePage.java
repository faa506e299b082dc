package org.tlsrollout.remediation.machine;

import java.util.List;

/**
 * One page of machines in machine id order.
 *
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total how many machines match, over all pages
 */
public record MachinePage(int page, int size, long total, List<MachineSummary> items) {
}
