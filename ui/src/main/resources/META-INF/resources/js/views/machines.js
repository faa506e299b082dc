// Machines: a page of machines with their state in each phase (GET /api/v1/machines), filtered by site, by
// phase and state, by a rule's FAIL / UNKNOWN result (the findings drill-down), by never reported (known from
// inventory only) and by retired; the same list as CSV (Accept: text/csv); operators retire a machine
// (POST /api/v1/machines/{id}/retire).
import { api, apiBlob, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { PHASES, STATES, RULES, utc, ago, phaseLabel, stateLabel } from '../model.js';
import { viewHeader, updatedStamp, emptyState, loading, stateChip, pager, badge } from '../components.js';
import { session } from '../session.js';

const FILTERS = ['rule', 'status', 'site', 'phase', 'state', 'neverReported', 'retired'];
const PAGE_SIZE = 50;
const YES_NO = ['true', 'false'];

/** What retiring does, for the confirmation (api.md: the retire endpoint, rules.md: the orphan gate). */
export function retireText(m) {
  const site = m.siteCode ? `site ${m.siteCode}` : 'its site';
  return `The machine leaves progress, the orphan gate and every wave: DISABLE_LEGACY may then proceed at ${site} without it. `
    + 'A later snapshot from it (or an inventory line seen after now) brings it back.';
}

export function machinesView(ctx) {
  const q = Object.fromEntries(FILTERS.map((k) => [k, ctx.query.get(k) || '']));
  const operator = session.isOperator();
  const page = Math.max(0, Number.parseInt(ctx.query.get('page') || '0', 10) || 0);
  const size = Math.max(1, Number.parseInt(ctx.query.get('size') || String(PAGE_SIZE), 10) || PAGE_SIZE);
  const stamp = updatedStamp();
  const errors = h('div', { class: 'view-errors' });
  const body = h('div', {}, loading());
  const hrefWith = (changes) => `#/machines${query({ ...q, size: size === PAGE_SIZE ? '' : size, ...changes })}`;

  const siteInput = h('input', { id: 'f-site', name: 'site', value: q.site, maxlength: '3', size: '5', autocomplete: 'off', placeholder: 'any' });
  const phaseSelect = h('select', { id: 'f-phase', name: 'phase' },
    h('option', { value: '' }, 'Any phase'),
    PHASES.map((p) => h('option', { value: p.key, selected: p.key === q.phase }, p.label)));
  const stateSelect = h('select', { id: 'f-state', name: 'state' },
    h('option', { value: '' }, 'Any state'),
    STATES.map((s) => h('option', { value: s.key, selected: s.key === q.state }, s.label)));
  const reportedSelect = h('select', { id: 'f-never-reported', name: 'neverReported' },
    h('option', { value: '' }, 'Any'),
    h('option', { value: 'true', selected: q.neverReported === 'true' }, 'Never reported'),
    h('option', { value: 'false', selected: q.neverReported === 'false' }, 'Has reported'));
  const retiredSelect = h('select', { id: 'f-retired', name: 'retired' },
    h('option', { value: '' }, 'Any'),
    h('option', { value: 'false', selected: q.retired === 'false' }, 'Not retired'),
    h('option', { value: 'true', selected: q.retired === 'true' }, 'Retired'));
  const filterForm = h('form', {
    class: 'filters', role: 'search', 'aria-label': 'Filter machines',
    onsubmit: (e) => {
      e.preventDefault();
      ctx.navigate(hrefWith({
        site: siteInput.value.trim().toUpperCase(), phase: phaseSelect.value, state: stateSelect.value,
        neverReported: reportedSelect.value, retired: retiredSelect.value, page: '',
      }));
    },
  },
  h('div', { class: 'field-inline' }, h('label', { for: 'f-site' }, 'Site'), siteInput),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-phase' }, 'Phase'), phaseSelect),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-state' }, 'State'), stateSelect),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-never-reported' }, 'Reported'), reportedSelect),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-retired' }, 'Retired'), retiredSelect),
  h('button', { type: 'submit', class: 'btn' }, 'Apply'));
  const exportButton = h('button', { type: 'button', class: 'btn', id: 'export-csv', onclick: exportCsv }, 'Export CSV');

  const active = [];
  if (q.rule) {
    active.push(h('li', { class: 'filter-chip' },
      h('span', {}, q.status === 'UNKNOWN' ? 'Unknown for ' : q.status === 'FAIL' ? 'Failing ' : 'Rule ',
        h('strong', { class: 'mono' }, q.rule)),
      h('a', { href: hrefWith({ rule: '', status: '', page: '' }), 'aria-label': `Remove the filter on rule ${q.rule}` }, '×')));
  }
  if (q.site) active.push(h('li', { class: 'filter-chip' }, h('span', {}, 'Site ', h('strong', {}, q.site)),
    h('a', { href: hrefWith({ site: '', page: '' }), 'aria-label': 'Remove the filter on site' }, '×')));
  if (q.phase || q.state) active.push(h('li', { class: 'filter-chip' },
    h('span', {}, q.phase ? `${phaseLabel(q.phase)}: ` : '', h('strong', {}, q.state ? stateLabel(q.state) : 'any state')),
    h('a', { href: hrefWith({ phase: '', state: '', page: '' }), 'aria-label': 'Remove the filter on phase and state' }, '×')));
  if (YES_NO.includes(q.neverReported)) active.push(h('li', { class: 'filter-chip', dataset: { filter: 'neverReported' } },
    h('strong', {}, q.neverReported === 'true' ? 'Never reported' : 'Has reported'),
    h('a', { href: hrefWith({ neverReported: '', page: '' }), 'aria-label': 'Remove the filter on never reported' }, '×')));
  if (YES_NO.includes(q.retired)) active.push(h('li', { class: 'filter-chip', dataset: { filter: 'retired' } },
    h('strong', {}, q.retired === 'true' ? 'Retired' : 'Not retired'),
    h('a', { href: hrefWith({ retired: '', page: '' }), 'aria-label': 'Remove the filter on retired' }, '×')));

  const subtitle = q.rule
    ? `${q.status === 'UNKNOWN' ? 'Machines the rule cannot evaluate' : 'Machines failing'} ${q.rule}${RULES[q.rule] ? ` — ${RULES[q.rule]}` : ''}`
    : 'Every machine with its newest state in each phase.';

  const el = h('section', { class: 'page' },
    viewHeader('Machines', { subtitle, stamp: stamp.el, actions: [exportButton] }),
    errors,
    h('section', { class: 'card' },
      h('div', { class: 'card-head card-head-row' },
        active.length ? h('ul', { class: 'filter-chips', 'aria-label': 'Active filters' }, active) : h('h2', {}, 'All machines'),
        filterForm),
      body));

  async function load() {
    const answer = await api(`/api/v1/machines${query({ ...q, page, size })}`);
    render(answer || {});
  }

  /** Every machine the filters match (no paging), as the API writes it in CSV, saved as a file. */
  async function exportCsv() {
    const label = exportButton.textContent;
    exportButton.disabled = true;
    exportButton.textContent = 'Exporting…';
    try {
      const blob = await apiBlob(`/api/v1/machines${query(q)}`, 'text/csv');
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `machines-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}Z.csv`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      ctx.notify.error(e, 'Could not export the machines');
    } finally {
      exportButton.disabled = false;
      exportButton.textContent = label;
    }
  }

  async function retire(m) {
    const ok = await ctx.confirm({ title: `Retire ${m.machineId}?`, text: retireText(m), confirmLabel: 'Retire the machine' });
    if (!ok) return;
    try {
      await api(`/api/v1/machines/${encodeURIComponent(m.machineId)}/retire`, { method: 'POST' });
      ctx.notify.success(`${m.machineId} retired: it no longer counts in progress, the orphan gate or any wave.`);
      ctx.reload();
    } catch (e) {
      ctx.notify.error(e, `Could not retire ${m.machineId}`);
    }
  }

  function render(answer) {
    const items = answer.items || [];
    const meta = { page: answer.page ?? page, size: answer.size ?? size, total: answer.total ?? items.length };
    if (!items.length) {
      replaceChildren(body, emptyState('No machine matches', 'Change or remove a filter above.'), pager(meta, (n) => hrefWith({ page: n })));
      return;
    }
    const now = Date.now();
    replaceChildren(body,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table machines-table' },
        h('caption', { class: 'sr-only' }, 'Machines'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Machine'),
          h('th', { scope: 'col' }, 'Site'),
          h('th', { scope: 'col' }, 'Class'),
          h('th', { scope: 'col' }, 'Last snapshot'),
          PHASES.map((p) => h('th', { scope: 'col' }, p.label)),
          operator ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')) : null)),
        h('tbody', {}, items.map((m) => h('tr', {
          class: [m.retired ? 'is-retired' : '', m.neverReported ? 'is-never-reported' : ''],
          dataset: { machine: m.machineId, neverReported: String(!!m.neverReported), retired: String(!!m.retired) },
        },
          h('th', { scope: 'row' },
            h('a', { href: `#/machines/${encodeURIComponent(m.machineId)}`, class: 'mono', dataset: { key: `m-${m.machineId}` } }, m.machineId),
            machineFlags(m)),
          h('td', {}, m.siteCode),
          h('td', {}, m.machineClass === 'site-system' ? 'Site system' : m.machineClass === 'client' ? 'Client' : (m.machineClass || '—')),
          m.lastSnapshotAt
            ? h('td', { title: utc(m.lastSnapshotAt, true) }, ago(m.lastSnapshotAt, now) || utc(m.lastSnapshotAt))
            : h('td', { class: 'muted' }, m.neverReported ? 'never' : '—'),
          PHASES.map((p) => h('td', {}, stateChip(m.phases?.[p.key]))),
          operator ? h('td', { class: 'row-actions' }, m.retired ? null : h('button', {
            type: 'button', class: 'btn btn-sm btn-danger-quiet', dataset: { action: 'retire', key: `retire-${m.machineId}` },
            'aria-label': `Retire ${m.machineId}`, onclick: () => retire(m),
          }, 'Retire')) : null))))),
      pager(meta, (n) => hrefWith({ page: n })));
  }

  return { el, load, errors, stamp, title: 'Machines' };
}

/** "Never reported" and "Retired" badges, for the machines list and one machine's page. */
export function machineFlags(m) {
  return [
    m.neverReported ? badge('Never reported', 'badge-never-reported', 'Known from inventory (ConfigMgr); no snapshot has come from it yet. It blocks the orphan gate until it reports or is retired.') : null,
    m.retired ? badge('Retired', 'badge-retired', 'Retired: counted nowhere until a snapshot from it brings it back.') : null,
  ];
}
