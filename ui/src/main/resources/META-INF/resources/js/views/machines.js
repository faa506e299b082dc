// Machines: a page of machines with their state in each phase (GET /api/v1/machines), filtered by site, by
// phase and state, or by a rule's FAIL / UNKNOWN result (the findings drill-down).
import { api, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { PHASES, STATES, RULES, utc, ago, phaseLabel, stateLabel } from '../model.js';
import { viewHeader, updatedStamp, emptyState, loading, stateChip, pager } from '../components.js';

const FILTERS = ['rule', 'status', 'site', 'phase', 'state'];
const PAGE_SIZE = 50;

export function machinesView(ctx) {
  const q = Object.fromEntries(FILTERS.map((k) => [k, ctx.query.get(k) || '']));
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
  const filterForm = h('form', {
    class: 'filters', role: 'search', 'aria-label': 'Filter machines',
    onsubmit: (e) => {
      e.preventDefault();
      ctx.navigate(hrefWith({ site: siteInput.value.trim().toUpperCase(), phase: phaseSelect.value, state: stateSelect.value, page: '' }));
    },
  },
  h('div', { class: 'field-inline' }, h('label', { for: 'f-site' }, 'Site'), siteInput),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-phase' }, 'Phase'), phaseSelect),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-state' }, 'State'), stateSelect),
  h('button', { type: 'submit', class: 'btn' }, 'Apply'));

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

  const subtitle = q.rule
    ? `${q.status === 'UNKNOWN' ? 'Machines the rule cannot evaluate' : 'Machines failing'} ${q.rule}${RULES[q.rule] ? ` — ${RULES[q.rule]}` : ''}`
    : 'Every machine with its newest state in each phase.';

  const el = h('section', { class: 'page' },
    viewHeader('Machines', { subtitle, stamp: stamp.el }),
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
          PHASES.map((p) => h('th', { scope: 'col' }, p.label)))),
        h('tbody', {}, items.map((m) => h('tr', { dataset: { machine: m.machineId } },
          h('th', { scope: 'row' }, h('a', { href: `#/machines/${encodeURIComponent(m.machineId)}`, class: 'mono', dataset: { key: `m-${m.machineId}` } }, m.machineId)),
          h('td', {}, m.siteCode),
          h('td', {}, m.machineClass === 'site-system' ? 'Site system' : m.machineClass === 'client' ? 'Client' : (m.machineClass || '—')),
          h('td', { title: utc(m.lastSnapshotAt, true) }, ago(m.lastSnapshotAt, now) || utc(m.lastSnapshotAt)),
          PHASES.map((p) => h('td', {}, stateChip(m.phases?.[p.key])))))))),
      pager(meta, (n) => hrefWith({ page: n })));
  }

  return { el, load, errors, stamp, title: 'Machines' };
}

