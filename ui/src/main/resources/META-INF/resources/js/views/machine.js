// One machine: its state in each phase, its findings (message, seed source, fix actions) and its job history
// (GET /api/v1/machines/{id}).
import { api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { PHASES, RULES, SEEDS, utc, ago, phaseLabel, slug, actionParts, num } from '../model.js';
import { viewHeader, updatedStamp, emptyState, loading, stateChip, badge } from '../components.js';
import { machineFlags, retireText } from './machines.js';
import { session } from '../session.js';

export function machineView(ctx) {
  const id = ctx.params.id;
  const stamp = updatedStamp();
  const errors = h('div', { class: 'view-errors' });
  const summary = h('div', {}, loading());
  const findings = h('div', {});
  const jobs = h('div', {});

  const el = h('section', { class: 'page' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/machines' }, 'Machines'), h('span', { 'aria-hidden': 'true' }, ' / '), h('span', { class: 'mono' }, id)),
    viewHeader(id, { stamp: stamp.el }),
    errors,
    summary,
    h('section', { class: 'card', 'aria-labelledby': 'findings-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'findings-title' }, 'Findings'),
        h('p', { class: 'muted' }, 'The rules this machine fails, or that lack what they need to decide (unknown).')),
      findings),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'jobs-title' }, 'Fix jobs'),
        h('p', { class: 'muted' }, 'Signed jobs issued to this machine by waves, newest first.')),
      jobs));
  el.querySelector('h1').classList.add('mono');

  async function load() {
    const m = await api(`/api/v1/machines/${encodeURIComponent(id)}`);
    render(m || {});
  }

  async function retire(m) {
    const ok = await ctx.confirm({ title: `Retire ${id}?`, text: retireText(m), confirmLabel: 'Retire the machine' });
    if (!ok) return;
    try {
      await api(`/api/v1/machines/${encodeURIComponent(id)}/retire`, { method: 'POST' });
      ctx.notify.success(`${id} retired: it no longer counts in progress, the orphan gate or any wave.`);
      ctx.reload();
    } catch (e) {
      ctx.notify.error(e, `Could not retire ${id}`);
    }
  }

  function render(m) {
    const now = Date.now();
    const flags = machineFlags(m).filter(Boolean);
    replaceChildren(summary, h('section', { class: 'card machine-summary', 'aria-label': 'Machine' },
      flags.length || (session.isOperator() && !m.retired)
        ? h('div', { class: 'machine-flags' }, flags,
          session.isOperator() && !m.retired
            ? h('button', { type: 'button', class: 'btn btn-sm btn-danger-quiet', id: 'retire-machine', dataset: { key: 'retire' }, onclick: () => retire(m) }, 'Retire')
            : null)
        : null,
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Site'), h('dd', {}, h('a', { href: `#/machines?site=${encodeURIComponent(m.siteCode || '')}` }, m.siteCode || '—'))),
        h('div', {}, h('dt', {}, 'Class'), h('dd', {}, m.machineClass === 'site-system' ? 'Site system' : m.machineClass === 'client' ? 'Client' : (m.machineClass || '—'))),
        h('div', {}, h('dt', {}, 'Last snapshot'), h('dd', { title: utc(m.lastSnapshotAt, true) },
          m.lastSnapshotAt ? utc(m.lastSnapshotAt) : (m.neverReported ? 'never' : '—'),
          m.lastSnapshotAt ? h('span', { class: 'muted' }, ` · ${ago(m.lastSnapshotAt, now)}`) : null))),
      h('ol', { class: 'phase-states', 'aria-label': 'State in each phase' }, PHASES.map((p, i) => h('li', { dataset: { phase: p.key } },
        h('span', { class: 'phase-states-name' }, h('span', { class: 'phase-step', 'aria-hidden': 'true' }, String(i + 1)), p.label),
        stateChip(m.phases?.[p.key]))))));

    const list = Array.isArray(m.findings) ? m.findings : [];
    if (!list.length) {
      replaceChildren(findings, emptyState('No findings', 'Every rule that applies to this machine passes.'));
    } else {
      replaceChildren(findings, h('div', { class: 'table-wrap' }, h('table', { class: 'table findings-detail' },
        h('caption', { class: 'sr-only' }, 'Findings'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Rule'),
          h('th', { scope: 'col' }, 'What was found'),
          h('th', { scope: 'col' }, 'Fix'),
          h('th', { scope: 'col' }, 'Source'))),
        h('tbody', {}, list.map((f) => h('tr', { dataset: { rule: f.ruleId, status: f.status } },
          h('td', {}, badge(f.status === 'FAIL' ? 'Fail' : f.status === 'UNKNOWN' ? 'Unknown' : f.status, `status-${slug(f.status)}`)),
          h('th', { scope: 'row' },
            h('span', { class: 'rule-id mono' }, f.ruleId),
            h('span', { class: 'rule-desc' }, RULES[f.ruleId] || ''),
            h('span', { class: 'rule-meta' }, phaseLabel(f.phase), ' · ', f.severity === 'WARNING' ? 'warning' : 'error')),
          h('td', { class: 'message' }, f.message || '—'),
          h('td', {}, Array.isArray(f.actions) && f.actions.length
            ? h('ul', { class: 'actions-list' }, f.actions.map((a) => {
              const { what, where } = actionParts(a);
              return h('li', {}, h('span', { class: 'action-what' }, what), where ? h('span', { class: 'action-where' }, where) : null);
            }))
            : h('span', { class: 'muted' }, f.status === 'UNKNOWN' ? 'a new snapshot with the missing section' : 'for a person to decide')),
          h('td', {}, sources(f.source))))))));
    }

    const history = (Array.isArray(m.jobs) ? m.jobs : []).slice()
      .sort((a, b) => (Number(b.seq) || 0) - (Number(a.seq) || 0) || String(b.issuedAt).localeCompare(String(a.issuedAt)));
    if (!history.length) {
      replaceChildren(jobs, emptyState('No job yet', 'A wave that targets this machine issues it a signed fix job.'));
    } else {
      replaceChildren(jobs, h('div', { class: 'table-wrap' }, h('table', { class: 'table jobs-table' },
        h('caption', { class: 'sr-only' }, 'Fix jobs'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'num' }, 'Seq'),
          h('th', { scope: 'col' }, 'State'),
          h('th', { scope: 'col' }, 'Phase'),
          h('th', { scope: 'col' }, 'Wave'),
          h('th', { scope: 'col' }, 'Issued'),
          h('th', { scope: 'col' }, 'Reported'),
          h('th', { scope: 'col' }, 'Detail'))),
        h('tbody', {}, history.map((j) => h('tr', { dataset: { job: j.jobId } },
          h('td', { class: 'num' }, num(j.seq)),
          h('td', {}, badge(j.state ? j.state.charAt(0) + j.state.slice(1).toLowerCase().replace(/_/g, ' ') : '—', `job-${slug(j.state)}`)),
          h('td', {}, phaseLabel(j.phase)),
          h('td', {}, h('a', { href: `#/waves?highlight=${encodeURIComponent(j.waveId || '')}`, class: 'mono' }, j.waveId || '—')),
          h('td', { title: utc(j.issuedAt, true) }, utc(j.issuedAt)),
          h('td', { title: utc(j.reportedAt, true) }, j.reportedAt ? utc(j.reportedAt) : h('span', { class: 'muted' }, 'not yet')),
          h('td', { class: 'message' }, j.detail || '', h('div', { class: 'muted small mono' }, j.jobId))))))));
    }
  }

  return { el, load, errors, stamp, title: id };
}

/** "001, 002" as the seed documents' titles; any other source as written. */
function sources(source) {
  const parts = String(source || '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return h('span', { class: 'muted' }, '—');
  return h('ul', { class: 'sources' }, parts.map((c) => (SEEDS[c]
    ? h('li', { title: SEEDS[c] }, h('span', { class: 'seed mono' }, c), h('span', { class: 'seed-title' }, SEEDS[c]))
    : h('li', {}, h('span', { class: 'seed-title' }, c)))));
}
