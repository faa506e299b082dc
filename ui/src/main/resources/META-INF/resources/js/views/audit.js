// Audit trail: every operator action, newest first (GET /api/v1/audit: an array, paged by page and size, the
// number of matches in X-Total-Count, like GET /api/v1/waves), filtered by who (actor) and what (action).
import { apiPage, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { utc, ago } from '../model.js';
import { viewHeader, updatedStamp, emptyState, loading, pager, badge } from '../components.js';

const PAGE_SIZE = 50;

/** contracts' AuditEvent.Action, as the page names them. */
export const ACTIONS = {
  WAVE_CREATE: 'Wave created',
  WAVE_PAUSE: 'Wave paused',
  WAVE_RESUME: 'Wave resumed',
  WAVE_CANCEL: 'Wave cancelled',
  WAVE_ROLLBACK: 'Wave rolled back',
  MACHINE_RETIRE: 'Machine retired',
  MACHINE_UNRETIRE: 'Machine brought back',
  INVENTORY_IMPORT: 'Inventory imported',
  AGENT_IDENTITY_RESET: 'Agent identity reset',
};

/** A target ("wave/<id>", "machine/<id>", "agent/<id>", "inventory") as a link where the ui has a page for it. */
function target(t) {
  const text = String(t ?? '');
  const slash = text.indexOf('/');
  const kind = slash < 0 ? text : text.slice(0, slash);
  const id = slash < 0 ? '' : text.slice(slash + 1);
  if (kind === 'wave' && id) return h('a', { class: 'mono', href: `#/waves${query({ highlight: id })}` }, text);
  if ((kind === 'machine' || kind === 'agent') && id) {
    return h('a', { class: 'mono', href: `#/machines/${encodeURIComponent(id)}` }, text);
  }
  return h('span', { class: 'mono' }, text);
}

export function auditView(ctx) {
  const q = { actor: ctx.query.get('actor') || '', action: ctx.query.get('action') || '' };
  const page = Math.max(0, Number.parseInt(ctx.query.get('page') || '0', 10) || 0);
  const size = PAGE_SIZE;
  const stamp = updatedStamp();
  const errors = h('div', { class: 'view-errors' });
  const body = h('div', {}, loading());
  const hrefWith = (changes) => `#/audit${query({ ...q, ...changes })}`;

  const actorInput = h('input', { id: 'f-actor', name: 'actor', value: q.actor, size: '16', autocomplete: 'off', placeholder: 'anyone' });
  const actionSelect = h('select', { id: 'f-action', name: 'action' },
    h('option', { value: '' }, 'Any action'),
    Object.entries(ACTIONS).map(([key, label]) => h('option', { value: key, selected: key === q.action }, label)));
  const filterForm = h('form', {
    class: 'filters', role: 'search', 'aria-label': 'Filter the audit trail',
    onsubmit: (e) => {
      e.preventDefault();
      ctx.navigate(hrefWith({ actor: actorInput.value.trim(), action: actionSelect.value, page: '' }));
    },
  },
  h('div', { class: 'field-inline' }, h('label', { for: 'f-actor' }, 'Who'), actorInput),
  h('div', { class: 'field-inline' }, h('label', { for: 'f-action' }, 'Action'), actionSelect),
  h('button', { type: 'submit', class: 'btn' }, 'Apply'));

  const active = [];
  if (q.actor) active.push(h('li', { class: 'filter-chip', dataset: { filter: 'actor' } }, h('span', {}, 'By ', h('strong', {}, q.actor)),
    h('a', { href: hrefWith({ actor: '', page: '' }), 'aria-label': 'Remove the filter on who' }, '×')));
  if (q.action) active.push(h('li', { class: 'filter-chip', dataset: { filter: 'action' } }, h('strong', {}, ACTIONS[q.action] || q.action),
    h('a', { href: hrefWith({ action: '', page: '' }), 'aria-label': 'Remove the filter on action' }, '×')));

  const el = h('section', { class: 'page' },
    viewHeader('Audit trail', {
      subtitle: 'Every operator action, newest first: who asked what of which wave, machine or agent, and whether it was done.',
      stamp: stamp.el,
    }),
    errors,
    h('section', { class: 'card' },
      h('div', { class: 'card-head card-head-row' },
        active.length ? h('ul', { class: 'filter-chips', 'aria-label': 'Active filters' }, active) : h('h2', {}, 'All actions'),
        filterForm),
      body));

  async function load() {
    const answer = await apiPage(`/api/v1/audit${query({ ...q, page, size })}`);
    render(answer);
  }

  function render({ items, total }) {
    // Newest first, whatever order the page came in.
    const events = items.slice().sort((a, b) => String(b.at).localeCompare(String(a.at)));
    const meta = { page, size, total: total ?? events.length };
    const pages = pager(meta, (n) => hrefWith({ page: n }), { none: 'No actions' });
    if (!events.length) {
      replaceChildren(body, emptyState('No action matches', q.actor || q.action
        ? 'Change or remove a filter above.' : 'Operators\u2019 actions appear here as they happen.'), pages);
      return;
    }
    const now = Date.now();
    replaceChildren(body,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table audit-table' },
        h('caption', { class: 'sr-only' }, 'Operator actions, newest first'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'When'),
          h('th', { scope: 'col' }, 'Who'),
          h('th', { scope: 'col' }, 'Action'),
          h('th', { scope: 'col' }, 'Target'),
          h('th', { scope: 'col' }, 'Outcome'),
          h('th', { scope: 'col' }, 'Detail'))),
        h('tbody', {}, events.map((e) => h('tr', {
          class: e.outcome === 'REFUSED' ? 'is-refused' : '',
          dataset: { event: e.eventId, action: e.action, outcome: e.outcome },
        },
          h('td', { title: utc(e.at, true) }, ago(e.at, now) || utc(e.at)),
          h('th', { scope: 'row' }, e.actor),
          h('td', {}, ACTIONS[e.action] || e.action),
          h('td', {}, target(e.target)),
          h('td', {}, e.outcome === 'DONE'
            ? badge('Done', 'badge-done', `Answered ${e.status}`)
            : badge(`Refused ${e.status ?? ''}`.trim(), 'badge-refused', 'The request was refused and changed nothing')),
          h('td', { class: 'audit-detail' }, e.detail || '', e.service ? h('span', { class: 'muted small' }, ` · ${e.service}`) : null)))))),
      pages);
  }

  return { el, load, errors, stamp, title: 'Audit trail' };
}
