// Sign in: a bearer token, checked with GET /api/v1/session, kept in sessionStorage.
import { api, ApiError } from '../api.js';
import { session } from '../session.js';
import { h, replaceChildren } from '../dom.js';
import { problemBox } from '../components.js';

export function signInView(ctx) {
  const errors = h('div', { class: 'signin-errors' });
  const earlier = session.takeMessage();
  if (earlier) errors.append(problemBox(earlier));

  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'token-help',
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Sign in');
  const form = h('form', { class: 'signin-form', novalidate: true, onsubmit: submit },
    h('label', { for: 'token' }, 'Access token'),
    input,
    h('p', { class: 'hint', id: 'token-help' },
      'The operator or viewer token that ', h('code', {}, './tlsrollout up'), ' prints (',
      h('code', {}, 'TLSROLLOUT_OPERATOR_TOKEN'), ' or ', h('code', {}, 'TLSROLLOUT_VIEWER_TOKEN'),
      '). It is kept only in this browser tab.'),
    button);

  async function submit(event) {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replaceChildren(errors, problemBox({ title: 'Enter a token', detail: 'The access token field is empty.' }));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const answer = await api('/api/v1/session', { token, handle401: false });
      session.signIn(token, answer?.roles);
      ctx.navigate('#/overview');
    } catch (e) {
      const problem = e instanceof ApiError ? e.problem : { title: String(e) };
      replaceChildren(errors, problemBox(problem, {
        heading: e instanceof ApiError && e.status === 401 ? 'This token was refused' : 'Sign-in failed',
      }));
      input.setAttribute('aria-invalid', 'true');
      input.select();
      input.focus();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  }

  const el = h('section', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'signin-brand' },
        h('img', { src: 'favicon.svg', alt: '', width: '40', height: '40' }),
        h('div', {},
          h('h1', {}, 'tlsrollout'),
          h('p', { class: 'muted' }, 'Takes a Configuration Manager estate to TLS 1.2: clients, site systems, verification, then legacy protocols off.'))),
      errors,
      form));
  setTimeout(() => input.focus(), 0);
  return { el, title: 'Sign in', poll: false };
}
