// Overview: progress per site and phase as stacked bars, and the estate's totals per phase (GET /api/v1/progress).
import { api, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { PHASES, STATES, num, pct, ready, total, utc, slug } from '../model.js';
import { stackedBar, legend, viewHeader, updatedStamp, emptyState, loading } from '../components.js';

export function overviewView() {
  const stamp = updatedStamp();
  const subtitle = h('p', { class: 'view-subtitle' }, '');
  const errors = h('div', { class: 'view-errors' });
  const estate = h('div', { class: 'estate' }, loading());
  const sitesBody = h('div', { class: 'sites-body' });
  let progress = null;
  let filter = '';
  let sort = 'site';

  const filterInput = h('input', {
    id: 'site-filter', type: 'search', placeholder: 'e.g. NYC', autocomplete: 'off', dataset: { key: 'site-filter' },
    oninput: () => { filter = filterInput.value.trim().toUpperCase(); renderSites(); },
  });
  const sortSelect = h('select', {
    id: 'site-sort', dataset: { key: 'site-sort' },
    onchange: () => { sort = sortSelect.value; renderSites(); },
  },
  h('option', { value: 'site' }, 'Site code'),
  PHASES.map((p) => h('option', { value: p.key }, `Least ready in ${p.label}`)));

  const header = viewHeader('Rollout progress', { stamp: stamp.el });
  header.querySelector('.view-titles').append(subtitle);

  const el = h('section', { class: 'page' },
    header,
    errors,
    h('section', { class: 'card', 'aria-labelledby': 'estate-title' },
      h('div', { class: 'card-head' },
        h('h2', { id: 'estate-title' }, 'Estate, by phase'),
        h('p', { class: 'muted' }, 'Ready means compliant or not applicable: the machines the orphan gate lets through.')),
      estate),
    h('section', { class: 'card', 'aria-labelledby': 'sites-title' },
      h('div', { class: 'card-head card-head-row' },
        h('h2', { id: 'sites-title' }, 'Sites'),
        h('div', { class: 'toolbar' },
          h('div', { class: 'field-inline' }, h('label', { for: 'site-filter' }, 'Filter sites'), filterInput),
          h('div', { class: 'field-inline' }, h('label', { for: 'site-sort' }, 'Sort by'), sortSelect))),
      legend(),
      sitesBody));

  async function load() {
    progress = await api('/api/v1/progress');
    const sites = progress?.sites || [];
    subtitle.textContent = `${num(progress?.machines ?? 0)} machines in ${num(sites.length)} site${sites.length === 1 ? '' : 's'}`
      + (progress?.generatedAt ? ` · as of ${utc(progress.generatedAt, true)}` : '');
    renderEstate();
    renderSites();
  }

  function renderEstate() {
    const totals = progress?.totals || {};
    if (!progress?.machines) {
      replaceChildren(estate, emptyState('No machine has reported yet',
        'Progress appears here once agents (or an NDJSON import) have sent snapshots and rules-service has evaluated them.'));
      return;
    }
    replaceChildren(estate, h('ol', { class: 'phase-list' }, PHASES.map((p, i) => {
      const counts = totals[p.key] || {};
      const all = total(counts);
      const ok = ready(counts);
      return h('li', { class: 'phase-row', dataset: { phase: p.key } },
        h('div', { class: 'phase-name' },
          h('span', { class: 'phase-step', 'aria-hidden': 'true' }, String(i + 1)),
          h('div', {}, h('h3', {}, p.label), h('p', { class: 'muted small' }, p.help))),
        h('div', { class: 'phase-figure' },
          h('span', { class: 'big' }, pct(ok, all)),
          h('span', { class: 'muted small' }, `${num(ok)} of ${num(all)} ready`)),
        h('div', { class: 'phase-bar' },
          stackedBar(counts, {
            label: `Estate, ${p.label}`, size: 'lg', labelMin: 4,
            href: (state) => `#/machines${query({ phase: p.key, state })}`,
          }),
          h('ul', { class: 'counts' }, STATES.filter((s) => Number(counts[s.key]) > 0).map((s) =>
            h('li', { dataset: { state: s.key } },
              h('span', { class: `swatch st-${slug(s.key)}`, 'aria-hidden': 'true' }),
              `${s.label} `, h('strong', {}, num(Number(counts[s.key]))))))));
    })));
  }

  function renderSites() {
    if (!progress) return;
    let sites = (progress.sites || []).filter((s) => !filter || String(s.siteCode).toUpperCase().includes(filter));
    if (sort === 'site') sites = sites.slice().sort((a, b) => String(a.siteCode).localeCompare(String(b.siteCode)));
    else {
      const share = (s) => { const c = s.phases?.[sort] || {}; const t = total(c); return t ? ready(c) / t : 1; };
      sites = sites.slice().sort((a, b) => share(a) - share(b) || String(a.siteCode).localeCompare(String(b.siteCode)));
    }
    if (!sites.length) {
      replaceChildren(sitesBody, emptyState(filter ? `No site matches “${filter}”` : 'No site yet'));
      return;
    }
    replaceChildren(sitesBody, h('div', { class: 'table-wrap' }, h('table', { class: 'table sites-table' },
      h('caption', { class: 'sr-only' }, 'Progress of each site in each phase'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Site'),
        h('th', { scope: 'col', class: 'num' }, 'Machines'),
        PHASES.map((p) => h('th', { scope: 'col', class: 'phase-col' }, p.label)))),
      h('tbody', {}, sites.map((s) => h('tr', { dataset: { site: s.siteCode } },
        h('th', { scope: 'row' },
          h('a', { href: `#/machines${query({ site: s.siteCode })}`, class: 'site-link', dataset: { key: `site-${s.siteCode}` } }, s.siteCode),
          h('a', { href: `#/findings${query({ site: s.siteCode })}`, class: 'small muted-link' }, 'findings')),
        h('td', { class: 'num' }, num(s.machines)),
        PHASES.map((p) => {
          const counts = s.phases?.[p.key] || {};
          const all = total(counts);
          return h('td', { class: 'phase-cell', dataset: { phase: p.key } },
            stackedBar(counts, {
              label: `${s.siteCode}, ${p.label}`, focusable: false, labelMin: 14,
              href: (state) => `#/machines${query({ site: s.siteCode, phase: p.key, state })}`,
            }),
            h('span', { class: 'bar-caption' }, all ? `${num(ready(counts))} / ${num(all)} ready` : '—'));
        })))))));
  }

  return { el, load, errors, stamp, title: 'Overview' };
}
