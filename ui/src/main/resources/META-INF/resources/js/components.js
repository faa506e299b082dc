// Pieces that several views share: state chips, stacked bars, the legend, problem details, the orphan gate report.
import { h } from './dom.js';
import { STATES, PHASES, num, pct, slug, stateLabel, total, utc } from './model.js';

export function stateChip(state) {
  return h('span', { class: `chip st-${slug(state)}`, dataset: { state: state ?? '' } }, stateLabel(state));
}

export function badge(text, kind = '', title = null) {
  return h('span', { class: `badge ${kind}`, title }, text);
}

/**
 * A horizontal bar stacked by state. counts: {STATE: n}. options: label (for screen readers), href(state) for
 * clickable segments, focusable (segments in the tab order), labelMin (the share, in %, from which a segment
 * prints its count), size ('sm' or 'lg').
 */
export function stackedBar(counts, { label = '', href, focusable = true, labelMin = 9, size = 'md' } = {}) {
  const all = total(counts);
  const parts = STATES.map((s) => ({ ...s, n: Number(counts?.[s.key]) || 0 })).filter((p) => p.n > 0);
  const summary = parts.length ? parts.map((p) => `${p.label} ${num(p.n)}`).join(', ') : 'no machines';
  // With links inside, the bar is a group (an img's children would be hidden from assistive technology).
  const bar = h('div', {
    class: `bar bar-${size}`,
    role: href && focusable ? 'group' : 'img',
    'aria-label': `${label}${label ? ': ' : ''}${summary}`,
    dataset: { total: String(all) },
  });
  if (!all) {
    bar.classList.add('bar-empty');
    bar.append(h('span', { class: 'bar-empty-text' }, 'no machines'));
    return bar;
  }
  for (const p of parts) {
    const share = (100 * p.n) / all;
    const title = `${p.label}: ${num(p.n)} of ${num(all)} (${pct(p.n, all, share < 1 ? 1 : 0)})`;
    const attrs = {
      class: `seg st-${slug(p.key)}`,
      title,
      dataset: { state: p.key, count: String(p.n) },
      style: { width: `${share}%` },
    };
    const text = share >= labelMin ? h('span', { class: 'seg-label', 'aria-hidden': 'true' }, num(p.n)) : null;
    const seg = href
      ? h('a', { ...attrs, href: href(p.key), tabindex: focusable ? null : '-1', 'aria-label': title }, text)
      : h('span', attrs, text);
    bar.append(seg);
  }
  return bar;
}

export function legend(counts) {
  return h('ul', { class: 'legend', 'aria-label': 'Legend' },
    STATES.map((s) => h('li', { dataset: { state: s.key } },
      h('span', { class: `swatch st-${slug(s.key)}`, 'aria-hidden': 'true' }),
      h('span', { class: 'legend-label' }, s.label),
      counts ? h('span', { class: 'legend-count' }, num(Number(counts[s.key]) || 0)) : null)));
}

/** Shows RFC 9457 problem details: title, status, detail, and each invalid field. */
export function problemBox(problem, { heading, onClose } = {}) {
  const p = problem || {};
  const errors = Array.isArray(p.errors) ? p.errors : [];
  return h('div', { class: 'problem', role: 'alert', dataset: { status: String(p.status ?? '') } },
    h('div', { class: 'problem-head' },
      h('span', { class: 'problem-icon', 'aria-hidden': 'true' }, '!'),
      h('div', { class: 'problem-title' },
        heading ? h('span', { class: 'problem-context' }, heading) : null,
        h('strong', { class: 'problem-title-text' }, p.title || 'Something went wrong'),
        p.status ? h('span', { class: 'problem-status' }, `HTTP ${p.status}`) : null),
      onClose ? h('button', { type: 'button', class: 'btn-icon', 'aria-label': 'Dismiss', onclick: onClose }, '×') : null),
    p.detail ? h('p', { class: 'problem-detail' }, p.detail) : null,
    errors.length
      ? h('ul', { class: 'problem-errors' }, errors.map((e) => h('li', { dataset: { field: e.field ?? '' } },
        h('code', {}, e.field === '' || e.field === undefined ? '(request)' : e.field), ' ', e.message)))
      : null);
}

/**
 * The orphan gate's answer: how many machines block, by phase, stale and never reported, and the blocking
 * machines as links. gate: {open, blocking: {total, byPhase, stale, neverReported}, machines}.
 */
export function gateReport(gate) {
  const blocking = gate?.blocking || {};
  const byPhase = blocking.byPhase || {};
  const machines = Array.isArray(gate?.machines) ? gate.machines : [];
  const phases = PHASES.filter((p) => p.key in byPhase).concat(
    Object.keys(byPhase).filter((k) => !PHASES.some((p) => p.key === k)).map((k) => ({ key: k, label: k })));
  const totalBlocking = blocking.total ?? machines.length;
  return h('div', { class: 'gate-report' },
    h('table', { class: 'table table-compact gate-table' },
      h('caption', { class: 'sr-only' }, 'Machines that block, by phase'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Blocking in'), h('th', { scope: 'col', class: 'num' }, 'Machines'))),
      h('tbody', {},
        phases.map((p) => h('tr', { dataset: { phase: p.key } },
          h('th', { scope: 'row' }, p.label), h('td', { class: 'num' }, num(Number(byPhase[p.key]) || 0)))),
        'stale' in blocking
          ? h('tr', { dataset: { phase: 'STALE' } }, h('th', { scope: 'row' }, 'Stale (no recent snapshot)'),
            h('td', { class: 'num' }, num(Number(blocking.stale) || 0)))
          : null,
        'neverReported' in blocking
          ? h('tr', { dataset: { phase: 'NEVER_REPORTED' } }, h('th', { scope: 'row' }, 'Never reported (known from inventory)'),
            h('td', { class: 'num' }, num(Number(blocking.neverReported) || 0)))
          : null),
      h('tfoot', {}, h('tr', { dataset: { phase: 'TOTAL' } },
        h('th', { scope: 'row' }, 'Machines blocking'), h('td', { class: 'num' }, num(totalBlocking))))),
    machines.length
      ? h('div', { class: 'gate-machines' },
        h('p', { class: 'muted' }, machines.length < totalBlocking
          ? `The first ${num(machines.length)} of ${num(totalBlocking)} blocking machines:`
          : `The blocking machine${machines.length === 1 ? '' : 's'}:`),
        h('ul', { class: 'id-list' }, machines.map((id) => h('li', {},
          h('a', { href: `#/machines/${encodeURIComponent(id)}`, class: 'mono' }, id)))))
      : null);
}

/** The header of a view: title, a line of context, actions, and when it was last updated. */
export function viewHeader(title, { subtitle, actions = [], stamp } = {}) {
  return h('div', { class: 'view-header' },
    h('div', { class: 'view-titles' },
      h('h1', { id: 'view-title' }, title),
      subtitle ? h('p', { class: 'view-subtitle' }, subtitle) : null),
    h('div', { class: 'view-actions' }, stamp || null, actions));
}

/** "Updated 10:15:03 UTC" that the views refresh after every successful load. */
export function updatedStamp() {
  const el = h('span', { class: 'stamp', 'aria-live': 'off' }, '');
  return {
    el,
    set(when = new Date()) {
      el.textContent = `Updated ${utc(when.toISOString(), true).slice(11)}`;
      el.classList.remove('stamp-stale');
    },
    stale() {
      el.classList.add('stamp-stale');
    },
  };
}

export function emptyState(title, text) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), text ? h('p', { class: 'muted' }, text) : null);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/** Page navigation for {page, size, total} answers; hrefFor(n) links page n; none is the text for no match. */
export function pager({ page = 0, size = 50, total: count = 0 }, hrefFor, { none = 'No machines' } = {}) {
  const first = count === 0 ? 0 : page * size + 1;
  const last = Math.min(count, (page + 1) * size);
  const pages = Math.max(1, Math.ceil(count / size));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('span', { class: 'pager-range' }, count ? `${num(first)}–${num(last)} of ${num(count)}` : none),
    h('span', { class: 'pager-links' },
      page > 0 ? h('a', { class: 'btn btn-sm', href: hrefFor(page - 1), rel: 'prev', dataset: { key: 'prev' } }, '← Previous')
        : h('span', { class: 'btn btn-sm', 'aria-disabled': 'true' }, '← Previous'),
      h('span', { class: 'pager-page' }, `Page ${num(page + 1)} of ${num(pages)}`),
      page + 1 < pages ? h('a', { class: 'btn btn-sm', href: hrefFor(page + 1), rel: 'next', dataset: { key: 'next' } }, 'Next →')
        : h('span', { class: 'btn btn-sm', 'aria-disabled': 'true' }, 'Next →')));
}

