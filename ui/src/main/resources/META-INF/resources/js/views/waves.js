// Waves: every wave with its progress, and (operators only) pause / resume / cancel / rollback.
import { api, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { num, pct, phaseLabel, utc, ago, slug } from '../model.js';
import { viewHeader, updatedStamp, emptyState, loading, badge } from '../components.js';
import { session } from '../session.js';

const STATE_LABELS = {
  PLANNED: 'Planned', RUNNING: 'Running', PAUSED: 'Paused', HALTED: 'Halted', COMPLETED: 'Completed', CANCELLED: 'Cancelled',
};

const ACTIONS = {
  pause: { label: 'Pause', done: 'paused', kind: '' },
  resume: { label: 'Resume', done: 'resumed', kind: 'btn-primary' },
  cancel: {
    label: 'Cancel', done: 'cancelled', kind: 'btn-danger-quiet', confirm: (w) => ({
      title: `Cancel wave “${w.name}”?`,
      text: 'No further jobs are issued. Jobs already issued stay valid until they expire; what they changed stays until rolled back.',
      confirmLabel: 'Cancel the wave',
    }),
  },
  rollback: {
    label: 'Roll back', done: 'rolled back: a new rollback wave was created', kind: 'btn-danger-quiet', confirm: (w) => ({
      title: `Roll back wave “${w.name}”?`,
      text: `This creates a new wave that restores the previous values recorded on the ${num(w.counts?.succeeded ?? 0)} machines where this wave's jobs succeeded.`,
      confirmLabel: 'Create the rollback wave',
    }),
  },
};

/** What an operator may ask of a wave in each state. */
function actionsFor(w) {
  const succeeded = Number(w.counts?.succeeded) || 0;
  const canRollBack = succeeded > 0 && !w.rollbackOf;
  switch (w.state) {
    case 'RUNNING': return ['pause', 'cancel'];
    case 'PAUSED': return ['resume', 'cancel', ...(canRollBack ? ['rollback'] : [])];
    case 'HALTED': return ['resume', 'cancel', ...(canRollBack ? ['rollback'] : [])];
    case 'PLANNED': return ['cancel'];
    case 'COMPLETED':
    case 'CANCELLED': return canRollBack ? ['rollback'] : [];
    default: return [];
  }
}

export function wavesView(ctx) {
  const highlight = ctx.query.get('highlight') || '';
  const operator = session.isOperator();
  const stamp = updatedStamp();
  const errors = h('div', { class: 'view-errors' });
  const body = h('div', {}, loading());
  let waves = [];
  let scrolled = false;

  const el = h('section', { class: 'page' },
    viewHeader('Waves', {
      subtitle: 'A wave issues signed fix jobs to the machines it targets, batch by batch, and halts when more than its maximum failure rate of the reported jobs fail.',
      stamp: stamp.el,
      actions: operator ? [h('a', { class: 'btn btn-primary', href: '#/waves/new', id: 'launch-link' }, 'Launch a wave')] : [],
    }),
    errors,
    body);

  async function load() {
    const answer = await api('/api/v1/waves');
    waves = Array.isArray(answer) ? answer : (answer?.items || answer?.waves || []);
    render();
  }

  function render() {
    if (!waves.length) {
      replaceChildren(body, emptyState('No wave yet', operator
        ? 'Launch the first wave: start with the Clients phase at one site and a small batch.'
        : 'An operator launches waves; they appear here.'));
      return;
    }
    const sorted = waves.slice().sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    replaceChildren(body, h('ul', { class: 'wave-list', 'aria-label': 'Waves' }, sorted.map(card)));
    if (highlight && !scrolled) {
      scrolled = true;
      body.querySelector(`[data-wave="${CSS.escape(highlight)}"]`)?.scrollIntoView({ block: 'center' });
    }
  }

  function card(w) {
    const c = w.counts || {};
    const targeted = Number(c.targeted) || 0;
    const done = (Number(c.succeeded) || 0) + (Number(c.failed) || 0) + (Number(c.rejected) || 0);
    const inFlight = Math.max(0, (Number(c.issued) || 0) - done);
    const segs = [
      ['succeeded', 'Succeeded', Number(c.succeeded) || 0],
      ['failed', 'Failed', Number(c.failed) || 0],
      ['rejected', 'Rejected', Number(c.rejected) || 0],
      ['inflight', 'Awaiting report', inFlight],
    ];
    const bar = h('div', {
      class: 'bar bar-md wave-bar', role: 'img',
      'aria-label': `${w.name}: ${segs.map(([, label, n]) => `${label} ${num(n)}`).join(', ')} of ${num(targeted)} targeted`,
    }, segs.filter(([, , n]) => n > 0 && targeted > 0).map(([key, label, n]) => h('span', {
      class: `seg wv-${key}`, title: `${label}: ${num(n)} of ${num(targeted)}`, style: { width: `${(100 * Math.min(n, targeted)) / targeted}%` },
    })));
    const actions = operator ? actionsFor(w) : [];
    const sites = Array.isArray(w.sites) ? w.sites : [];
    // currentBatch counts from 1 (0: no batch issued yet).
    const batchText = w.batches
      ? `Batch ${num(Number(w.currentBatch) || 0)} of ${num(w.batches)}${w.batchSize ? ` · ${num(w.batchSize)} per batch` : ''}`
      : (w.batchSize ? `${num(w.batchSize)} per batch` : null);
    const counts = [
      ['targeted', 'Targeted', c.targeted], ['issued', 'Issued', c.issued], ['inflight', 'Awaiting report', inFlight],
      ['succeeded', 'Succeeded', c.succeeded], ['failed', 'Failed', c.failed], ['rejected', 'Rejected', c.rejected],
      ['pendingRestart', 'Pending restart', c.pendingRestart], ['verified', 'Verified', c.verified],
    ];
    return h('li', { class: ['wave', `wave-${slug(w.state)}`, w.id === highlight ? 'wave-highlight' : ''], dataset: { wave: w.id, state: w.state } },
      h('div', { class: 'wave-head' },
        h('div', { class: 'wave-title' },
          h('h2', {}, w.name || '(unnamed)'),
          badge(STATE_LABELS[w.state] || w.state, `wave-state ws-${slug(w.state)}`),
          h('span', { class: 'muted small mono' }, w.id)),
        actions.length ? h('div', { class: 'wave-actions', role: 'group', 'aria-label': `Actions on ${w.name}` },
          actions.map((a, i) => h('button', {
            type: 'button', class: `btn btn-sm ${ACTIONS[a].kind}`, dataset: { action: a, key: `${w.id}-action-${i}` },
            'aria-label': `${ACTIONS[a].label} ${w.name}`,
            onclick: (e) => act(w, a, e.currentTarget),
          }, ACTIONS[a].label))) : null),
      h('p', { class: 'wave-meta' },
        h('span', {}, h('strong', {}, phaseLabel(w.phase))),
        h('span', {}, sites.length ? `Sites ${sites.join(', ')}` : 'All sites'),
        batchText ? h('span', {}, batchText) : null,
        w.maxFailureRate !== undefined && w.maxFailureRate !== null
          ? h('span', {}, `Halts above ${formatRate(w.maxFailureRate)} failed`) : null,
        w.acknowledgeStale ? h('span', {}, 'Stale machines acknowledged') : null,
        h('span', { title: utc(w.createdAt, true) }, `Created ${ago(w.createdAt) || utc(w.createdAt)}${w.createdBy ? ` by ${w.createdBy}` : ''}`)),
      w.rollbackOf ? h('p', { class: 'wave-note' }, 'Rolls back wave ', h('a', { class: 'mono', href: `#/waves${query({ highlight: w.rollbackOf })}` }, w.rollbackOf)) : null,
      w.state === 'HALTED' || w.haltedReason
        ? h('p', { class: 'wave-halt-reason', role: 'note' }, h('strong', {}, 'Halted: '), w.haltedReason || 'the failure rate went over the maximum.') : null,
      h('div', { class: 'wave-progress' },
        h('div', { class: 'wave-progress-head' },
          h('span', {}, h('strong', {}, pct(done, targeted)), ' reported'),
          h('span', { class: 'muted small' }, `${num(done)} of ${num(targeted)} machines`)),
        bar),
      h('dl', { class: 'wave-counts' }, counts.map(([key, label, n]) => h('div', { dataset: { count: key } },
        h('dt', {}, ['succeeded', 'failed', 'rejected', 'inflight'].includes(key) ? h('span', { class: `swatch wv-${key}`, 'aria-hidden': 'true' }) : null, label),
        h('dd', {}, num(Number(n) || 0))))));
  }

  async function act(wave, action, button) {
    const spec = ACTIONS[action];
    if (spec.confirm && !(await ctx.confirm(spec.confirm(wave)))) return;
    button.disabled = true;
    try {
      await api(`/api/v1/waves/${encodeURIComponent(wave.id)}/${action}`, { method: 'POST' });
      ctx.notify.success(`Wave “${wave.name}” ${spec.done}.`);
      await ctx.reload();
    } catch (e) {
      ctx.notify.error(e, `Could not ${spec.label.toLowerCase()} wave “${wave.name}”`);
      button.disabled = false;
    }
  }

  return { el, load, errors, stamp, title: 'Waves' };
}

/** maxFailureRate is a fraction of the reported jobs (0.05 = 5 %). */
export function formatRate(rate) {
  const n = Number(rate);
  if (!Number.isFinite(n)) return String(rate);
  return n <= 1 ? `${+(n * 100).toFixed(2)}%` : `${n}%`;
}
