// Launch a wave (operators): the form, a dry-run preview (targets, batches, orphan gate), then the launch.
// POST /api/v1/waves: 200 with the plan when dryRun, 201 with the wave, 409 from the orphan gate, 400 invalid.
import { api, ApiError, query } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { PHASES, ROLES, OS_VERSIONS, num } from '../model.js';
import { viewHeader, loading, problemBox, gateReport, emptyState } from '../components.js';
import { session } from '../session.js';

export function launchView(ctx) {
  if (!session.isOperator()) {
    return {
      el: h('section', { class: 'page' },
        viewHeader('Launch a wave'),
        h('div', { class: 'card' }, emptyState('Launching waves needs the operator role',
          'You are signed in as a viewer: you can follow every wave, but not start or steer one.'))),
      title: 'Launch a wave',
      poll: false,
    };
  }

  const errors = h('div', { class: 'view-errors' });
  const result = h('div', { class: 'launch-result', 'aria-live': 'polite' },
    h('div', { class: 'card result-idle' },
      h('h2', {}, 'Preview'),
      h('p', { class: 'muted' }, 'Preview asks remediation-service how many machines the wave would target, in how many batches, and whether the orphan gate lets it through. Nothing is created.')));
  let sites = [];
  let lastPlan = null;

  // --- fields
  const fieldError = (name) => h('p', { class: 'field-error', id: `err-${name}`, hidden: true });
  const field = (name, ...children) => h('div', { class: 'field', dataset: { field: name } }, children, fieldError(name));

  const nameInput = h('input', { id: 'wave-name', name: 'name', type: 'text', autocomplete: 'off', maxlength: '120', placeholder: 'e.g. NYC clients, batch 1' });
  const phaseSelect = h('select', { id: 'wave-phase', name: 'phase', onchange: phaseChanged },
    PHASES.map((p, i) => h('option', { value: p.key }, `${i + 1}. ${p.label}`)));
  const phaseHelp = h('p', { class: 'hint', id: 'wave-phase-help' }, PHASES[0].help);
  phaseSelect.setAttribute('aria-describedby', 'wave-phase-help');
  const siteBox = h('div', { class: 'checks checks-sites' }, loading('Loading sites…'));
  const roleBoxes = ROLES.map((r) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'role', value: r }), h('span', { class: 'mono small' }, r)));
  const osBoxes = OS_VERSIONS.map((o) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'os', value: o.key }), h('span', {}, o.label)));
  const modeSize = h('input', { type: 'radio', name: 'batch-mode', id: 'batch-mode-size', value: 'size', checked: true, onchange: modeChanged });
  const modePercent = h('input', { type: 'radio', name: 'batch-mode', id: 'batch-mode-percent', value: 'percent', onchange: modeChanged });
  const batchInput = h('input', { id: 'batch-value', name: 'batch', type: 'number', min: '1', step: '1', value: '100', inputmode: 'numeric' });
  const batchUnit = h('span', { class: 'unit', id: 'batch-unit' }, 'machines per batch');
  const failInput = h('input', { id: 'max-failure', name: 'maxFailureRate', type: 'number', min: '0', max: '100', step: '0.5', value: '5', inputmode: 'decimal', 'aria-describedby': 'max-failure-help' });
  const ackInput = h('input', { id: 'ack-stale', name: 'acknowledgeStale', type: 'checkbox' });
  const previewButton = h('button', { type: 'button', class: 'btn', id: 'preview', onclick: () => submit(true) }, 'Preview (dry run)');
  const launchButton = h('button', { type: 'submit', class: 'btn btn-primary', id: 'launch' }, 'Launch wave');

  const form = h('form', { class: 'card launch-form', novalidate: true, 'aria-labelledby': 'view-title', onsubmit: (e) => { e.preventDefault(); submit(false); } },
    field('name', h('label', { for: 'wave-name' }, 'Name'), nameInput),
    field('phase', h('label', { for: 'wave-phase' }, 'Phase'), phaseSelect, phaseHelp),
    field('sites', h('fieldset', {},
      h('legend', {}, 'Sites'),
      h('div', { class: 'checks-tools' },
        h('button', { type: 'button', class: 'btn-link', onclick: () => setAllSites(true) }, 'Select all'),
        h('button', { type: 'button', class: 'btn-link', onclick: () => setAllSites(false) }, 'Clear')),
      siteBox)),
    h('details', { class: 'selector' },
      h('summary', {}, 'Narrow to roles or OS versions ', h('span', { class: 'muted' }, '(optional: none ticked means every machine)')),
      field('roles', h('fieldset', {}, h('legend', {}, 'Configuration Manager roles'), h('div', { class: 'checks checks-roles' }, roleBoxes))),
      field('osVersions', h('fieldset', {}, h('legend', {}, 'OS versions'), h('div', { class: 'checks' }, osBoxes)))),
    h('div', { class: 'field-row' },
      field('batch', h('fieldset', {},
        h('legend', {}, 'Batches'),
        h('div', { class: 'radios' },
          h('label', { class: 'check', for: 'batch-mode-size' }, modeSize, h('span', {}, 'Fixed size')),
          h('label', { class: 'check', for: 'batch-mode-percent' }, modePercent, h('span', {}, 'Percent of targeted'))),
        h('div', { class: 'input-unit' }, h('label', { for: 'batch-value', class: 'sr-only' }, 'Batch size'), batchInput, batchUnit))),
      field('maxFailureRate',
        h('label', { for: 'max-failure' }, 'Maximum failure rate'),
        h('div', { class: 'input-unit' }, failInput, h('span', { class: 'unit' }, '%')),
        h('p', { class: 'hint', id: 'max-failure-help' }, 'The wave halts when more of its reported jobs fail or are rejected.'))),
    field('acknowledgeStale', h('label', { class: 'check', for: 'ack-stale' }, ackInput,
      h('span', {}, 'Acknowledge stale machines', h('span', { class: 'hint block' },
        'Disable legacy only: machines without a recent snapshot no longer block the orphan gate. Recorded on the wave.')))),
    h('div', { class: 'form-actions' }, previewButton, launchButton));

  const el = h('section', { class: 'page' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/waves' }, 'Waves'), h('span', { 'aria-hidden': 'true' }, ' / '), 'New'),
    viewHeader('Launch a wave', { subtitle: 'Phases go in order: clients, site systems, verify, and only then disable legacy, site by site.' }),
    errors,
    h('div', { class: 'launch-layout' }, form, result));

  function phaseChanged() {
    phaseHelp.textContent = PHASES.find((p) => p.key === phaseSelect.value)?.help || '';
  }

  function modeChanged() {
    const percent = modePercent.checked;
    batchUnit.textContent = percent ? '% of targeted machines per batch' : 'machines per batch';
    batchInput.max = percent ? '100' : '';
    form.querySelector('label[for="batch-value"]').textContent = percent ? 'Batch percent' : 'Batch size';
  }

  function setAllSites(on) {
    for (const box of siteBox.querySelectorAll('input[type=checkbox]')) box.checked = on;
  }

  async function load() {
    const progress = await api('/api/v1/progress');
    sites = (progress?.sites || []).slice().sort((a, b) => String(a.siteCode).localeCompare(String(b.siteCode)));
    const preselected = new Set((ctx.query.get('sites') || '').split(',').filter(Boolean));
    replaceChildren(siteBox, sites.length
      ? sites.map((s) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'site', value: s.siteCode, id: `site-${s.siteCode}`, checked: preselected.has(s.siteCode) }),
        h('span', {}, h('strong', {}, s.siteCode), h('span', { class: 'muted small' }, ` ${num(s.machines)} machines`))))
      : h('p', { class: 'muted' }, 'No site has reported machines yet.'));
  }

  function body(dryRun) {
    const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
    const b = {
      name: nameInput.value.trim(),
      phase: phaseSelect.value,
      sites: [...siteBox.querySelectorAll('input[name=site]:checked')].map((i) => i.value),
      selector: {
        roles: roleBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
        osVersions: osBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      },
      maxFailureRate: number(failInput) === null ? null : +(number(failInput) / 100).toFixed(4),
      acknowledgeStale: ackInput.checked,
      dryRun,
    };
    if (modePercent.checked) b.percent = number(batchInput);
    else b.batchSize = number(batchInput);
    return b;
  }

  function clearFieldErrors() {
    for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
    for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
    for (const f of form.querySelectorAll('.field-invalid')) f.classList.remove('field-invalid');
  }

  /** Marks the fields the problem names (errors[].field is a JSON Pointer into the request). */
  function showFieldErrors(problem) {
    let first = null;
    for (const e of problem.errors || []) {
      const name = fieldFor(e.field);
      const wrapper = name && form.querySelector(`.field[data-field="${name}"]`);
      if (!wrapper) continue;
      wrapper.classList.add('field-invalid');
      if (name === 'roles' || name === 'osVersions') wrapper.closest('details').open = true;
      const p = wrapper.querySelector(':scope > .field-error');
      p.hidden = false;
      p.textContent = p.textContent ? `${p.textContent} ${e.message}` : e.message;
      const control = wrapper.querySelector('input:not([type=radio]):not([type=checkbox]), select') || wrapper.querySelector('input');
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        const described = new Set((control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean));
        described.add(p.id);
        control.setAttribute('aria-describedby', [...described].join(' '));
        first = first || control;
      }
    }
    return first;
  }

  async function submit(dryRun) {
    clearFieldErrors();
    const request = body(dryRun);
    if (!dryRun) {
      const sameAsPreview = lastPlan && JSON.stringify({ ...lastPlan.request, dryRun: false }) === JSON.stringify(request);
      const ok = await ctx.confirm({
        title: `Launch “${request.name || 'unnamed wave'}”?`,
        text: sameAsPreview
          ? `It targets ${num(lastPlan.plan.targeted)} machines in ${num(lastPlan.plan.batches)} batches; the first batch gets its signed jobs at once.`
          : 'The first batch gets its signed jobs at once. Preview first to see how many machines it targets.',
        confirmLabel: 'Launch',
        danger: false,
      });
      if (!ok) return;
    }
    previewButton.disabled = true;
    launchButton.disabled = true;
    const busy = dryRun ? previewButton : launchButton;
    const label = busy.textContent;
    busy.textContent = dryRun ? 'Previewing…' : 'Launching…';
    try {
      const answer = await api('/api/v1/waves', { method: 'POST', body: request });
      if (dryRun) {
        lastPlan = { request, plan: answer || {} };
        showPlan(answer || {}, request);
      } else {
        ctx.notify.success(`Wave “${answer?.name ?? request.name}” launched: ${num(answer?.counts?.targeted ?? 0)} machines targeted.`);
        ctx.navigate(`#/waves${query({ highlight: answer?.id })}`);
      }
    } catch (e) {
      showError(e, dryRun, request);
    } finally {
      previewButton.disabled = false;
      launchButton.disabled = false;
      busy.textContent = label;
    }
  }

  function showPlan(plan, request) {
    const gate = plan.gate;
    const open = gate ? gate.open !== false : true;
    replaceChildren(result, h('div', { class: 'card result-plan', dataset: { result: 'dry-run' } },
      h('p', { class: 'result-kicker' }, 'Dry run · nothing was created'),
      h('div', { class: 'plan-figures' },
        h('div', { class: 'plan-figure' }, h('span', { class: 'big', id: 'plan-targeted' }, num(plan.targeted)), h('span', { class: 'muted' }, 'machines targeted')),
        h('div', { class: 'plan-figure' }, h('span', { class: 'big' }, num(plan.batches)), h('span', { class: 'muted' }, `batch${plan.batches === 1 ? '' : 'es'}`)),
        h('div', { class: 'plan-figure' }, h('span', { class: 'big' }, num(plan.batchSize)), h('span', { class: 'muted' }, 'per batch'))),
      gate
        ? h('div', { class: `gate ${open ? 'gate-open' : 'gate-closed'}`, id: 'gate-status', dataset: { open: String(open) } },
          h('p', { class: 'gate-head' },
            h('span', { class: 'gate-icon', 'aria-hidden': 'true' }, open ? '✓' : '✕'),
            h('span', {},
              h('strong', {}, open ? 'Orphan gate open' : 'Orphan gate closed'),
              open
                ? (request.phase === 'DISABLE_LEGACY' ? ': every machine of these sites is ready.' : ' (only Disable legacy waves are gated).')
                : `: ${num(gate.blocking?.total ?? 0)} machine${gate.blocking?.total === 1 ? '' : 's'} would be orphaned.`)),
          !open ? h('p', { class: 'muted' }, 'Launching this wave will be refused until every machine of the site that is not stale is compliant or not applicable in Clients, Site systems and Verify.') : null,
          !open ? gateReport(gate) : null,
          !open && !request.acknowledgeStale && Number(gate.blocking?.stale) > 0 ? staleHint(gate.blocking.stale) : null,
          !open && Number(gate.blocking?.neverReported) > 0 ? neverReportedHint(gate.blocking.neverReported, request.sites) : null)
        : h('p', { class: 'muted' }, 'The orphan gate applies to Disable legacy waves only.'),
      plan.targeted === 0 ? h('p', { class: 'warn' }, 'This wave targets no machine: every machine selected is already compliant in this phase, or none matches.') : null));
  }

  function showError(e, dryRun, request) {
    if (!(e instanceof ApiError)) {
      replaceChildren(result, problemBox({ title: 'The page failed', detail: String(e) }));
      return;
    }
    const p = e.problem;
    if (e.status === 409) {
      const gate = { open: false, blocking: p.blocking, machines: p.machines };
      replaceChildren(result, h('div', { class: 'card result-refused', dataset: { result: 'refused' }, role: 'alert' },
        h('p', { class: 'result-kicker' }, `Refused · HTTP 409${p.title ? ` · ${p.title}` : ''}`),
        h('h2', {}, 'The orphan gate refused this wave'),
        p.detail ? h('p', { class: 'refused-detail' }, p.detail) : null,
        p.blocking || p.machines ? gateReport(gate) : null,
        !request.acknowledgeStale && Number(p.blocking?.stale) > 0 ? staleHint(p.blocking.stale) : null,
        Number(p.blocking?.neverReported) > 0 ? neverReportedHint(p.blocking.neverReported, request.sites) : null,
        (p.errors || []).length ? problemBox({ title: 'Also', errors: p.errors }) : null));
      return;
    }
    const first = e.status === 400 ? showFieldErrors(p) : null;
    replaceChildren(result, problemBox(p, { heading: dryRun ? 'The preview was refused' : 'The wave was not launched' }));
    if (first) first.focus();
  }

  function staleHint(stale) {
    const one = Number(stale) === 1;
    return h('p', { class: 'hint-box' }, `${num(stale)} of them ${one ? 'is' : 'are'} stale: ${one ? 'it has' : 'they have'} not sent a snapshot within the staleness window. If ${one ? 'it is' : 'they are'} gone or will be rebuilt, tick “Acknowledge stale machines”.`);
  }

  /** Never-reported machines block whatever the wave acknowledges (rules.md): say so, and where to find them. */
  function neverReportedHint(count, waveSites) {
    const one = Number(count) === 1;
    const site = (waveSites || []).length === 1 ? waveSites[0] : '';
    return h('p', { class: 'hint-box', id: 'never-reported-hint' },
      `${num(count)} of them ${one ? 'has' : 'have'} never reported: known from inventory, ${one ? 'it has' : 'they have'} sent no snapshot. `
      + `${one ? 'It blocks' : 'They block'} until ${one ? 'it reports' : 'they report'} or an operator retires ${one ? 'it' : 'them'}; acknowledging stale machines does not lift that. `,
      h('a', { href: `#/machines${query({ site, neverReported: 'true' })}` }, `Show the never-reported machines${site ? ` of ${site}` : ''}`));
  }

  return { el, load, errors, title: 'Launch a wave', poll: false };
}

/** The form field a JSON Pointer into the request names. */
function fieldFor(pointer) {
  const p = String(pointer ?? '').replace(/^#/, '');
  const [, first, second] = p.split('/');
  switch (first) {
    case 'name': return 'name';
    case 'phase': return 'phase';
    case 'sites': return 'sites';
    case 'selector': return second === 'osVersions' ? 'osVersions' : 'roles';
    case 'batchSize':
    case 'percent': return 'batch';
    case 'maxFailureRate': return 'maxFailureRate';
    case 'acknowledgeStale': return 'acknowledgeStale';
    default: return null;
  }
}
