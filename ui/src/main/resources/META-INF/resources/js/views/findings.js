// Findings: for each rule, how many machines fail it or cannot be evaluated (GET /api/v1/findings?site=), each
// count drilling down to those machines.
import { api, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { PHASES, RULES, num, phaseLabel, slug } from '../model.js';
import { viewHeader, updatedStamp, emptyState, loading, badge } from '../components.js';

export function findingsView(ctx) {
  const site = ctx.query.get('site') || '';
  const stamp = updatedStamp();
  const errors = h('div', { class: 'view-errors' });
  const body = h('div', {}, loading());
  const siteSelect = h('select', {
    id: 'findings-site', dataset: { key: 'findings-site' },
    onchange: () => ctx.navigate(`#/findings${query({ site: siteSelect.value })}`),
  }, h('option', { value: '' }, 'All sites'), site ? h('option', { value: site, selected: true }, site) : null);
  let sitesLoaded = false;

  const el = h('section', { class: 'page' },
    viewHeader('Findings by rule', {
      subtitle: 'Machines whose newest evaluation fails a rule, or lacks what the rule needs (unknown). Pick a count to see the machines.',
      stamp: stamp.el,
    }),
    errors,
    h('section', { class: 'card' },
      h('div', { class: 'card-head card-head-row' },
        h('h2', {}, site ? `Site ${site}` : 'All sites'),
        h('div', { class: 'toolbar' }, h('div', { class: 'field-inline' }, h('label', { for: 'findings-site' }, 'Site'), siteSelect))),
      body));

  async function load() {
    const [answer] = await Promise.all([
      api(`/api/v1/findings${query({ site })}`),
      sitesLoaded ? null : loadSites(),
    ]);
    render(answer?.findings || []);
  }

  async function loadSites() {
    const progress = await api('/api/v1/progress');
    const codes = (progress?.sites || []).map((s) => s.siteCode).sort();
    replaceChildren(siteSelect, h('option', { value: '' }, 'All sites'),
      codes.map((c) => h('option', { value: c, selected: c === site }, c)),
      site && !codes.includes(site) ? h('option', { value: site, selected: true }, site) : null);
    sitesLoaded = true;
  }

  function render(findings) {
    // One row per rule and phase (an ENABLE rule belongs to CLIENTS on clients and to SITE_SYSTEMS on site systems).
    const rows = new Map();
    for (const f of findings) {
      const key = `${f.ruleId}|${f.phase}`;
      const row = rows.get(key) || { ruleId: f.ruleId, phase: f.phase, severity: f.severity, FAIL: 0, UNKNOWN: 0 };
      row[f.status] = (row[f.status] || 0) + (Number(f.machines) || 0);
      rows.set(key, row);
    }
    const phaseOrder = (p) => { const i = PHASES.findIndex((x) => x.key === p); return i < 0 ? 99 : i; };
    const list = [...rows.values()].sort((a, b) => phaseOrder(a.phase) - phaseOrder(b.phase)
      || (b.FAIL + b.UNKNOWN) - (a.FAIL + a.UNKNOWN) || String(a.ruleId).localeCompare(String(b.ruleId)));
    if (!list.length) {
      replaceChildren(body, emptyState('No findings', site ? `No machine of site ${site} fails a rule.` : 'No machine fails a rule.'));
      return;
    }
    const max = Math.max(1, ...list.map((r) => Math.max(r.FAIL, r.UNKNOWN)));
    const countCell = (row, status) => {
      const n = row[status] || 0;
      if (!n) return h('td', { class: 'count-cell' }, h('span', { class: 'muted' }, '0'));
      return h('td', { class: 'count-cell' },
        h('a', {
          class: `count-link count-${slug(status)}`,
          href: `#/machines${query({ rule: row.ruleId, status, site })}`,
          dataset: { key: `${row.ruleId}-${row.phase}-${status}`, rule: row.ruleId, status },
          'aria-label': `${num(n)} machines ${status === 'FAIL' ? 'fail' : 'unknown for'} ${row.ruleId} in ${phaseLabel(row.phase)}`,
        },
        h('span', { class: 'count-num' }, num(n)),
        h('span', { class: 'count-bar', 'aria-hidden': 'true' }, h('span', { style: { width: `${Math.max(2, (100 * n) / max)}%` } }))));
    };
    replaceChildren(body, h('div', { class: 'table-wrap' }, h('table', { class: 'table findings-table' },
      h('caption', { class: 'sr-only' }, 'Machines failing each rule, or unknown for it'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Rule'),
        h('th', { scope: 'col' }, 'Phase'),
        h('th', { scope: 'col' }, 'Severity'),
        h('th', { scope: 'col', class: 'count-col' }, 'Failing'),
        h('th', { scope: 'col', class: 'count-col' }, 'Unknown'))),
      h('tbody', {}, list.map((r) => h('tr', { dataset: { rule: r.ruleId, phase: r.phase } },
        h('th', { scope: 'row' },
          h('span', { class: 'rule-id mono' }, r.ruleId),
          RULES[r.ruleId] ? h('span', { class: 'rule-desc' }, RULES[r.ruleId]) : null),
        h('td', {}, phaseLabel(r.phase)),
        h('td', {}, badge(r.severity === 'WARNING' ? 'Warning' : r.severity === 'ERROR' ? 'Error' : r.severity,
          `sev-${slug(r.severity)}`)),
        countCell(r, 'FAIL'),
        countCell(r, 'UNKNOWN')))))));
  }

  return { el, load, errors, stamp, title: 'Findings' };
}
