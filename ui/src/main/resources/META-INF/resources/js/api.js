// Every call to remediation-service (through the ui's proxy, same origin). Errors become ApiError holding the
// RFC 9457 problem details, so every view can show title, detail and each invalid field.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let unauthorizedHandler = () => {};

/** Called with the problem when an API call answers 401 (the token is wrong or was revoked). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/**
 * Calls the API. options: method, body (sent as JSON), token (instead of the session's), handle401 (default
 * true: a 401 signs the user out and goes back to sign-in).
 */
export async function api(path, { method = 'GET', body, token, handle401 = true } = {}) {
  const response = await send(path, { method, body, token, handle401, accept: 'application/json, application/problem+json' });
  return readBody(response);
}

/**
 * GETs a list the API pages as an array with the number of matches in X-Total-Count (GET /api/v1/waves,
 * /api/v1/audit): {items, total}; total is null when the header is missing.
 */
export async function apiPage(path) {
  const response = await send(path, { method: 'GET', accept: 'application/json, application/problem+json' });
  const body = await readBody(response);
  const header = response.headers.get('X-Total-Count');
  const total = header === null || header === '' || Number.isNaN(Number(header)) ? null : Number(header);
  return { items: Array.isArray(body) ? body : [], total };
}

/** GETs a file the API answers in another type (e.g. text/csv) as a Blob; errors as for api(). */
export async function apiBlob(path, accept) {
  const response = await send(path, { method: 'GET', accept: `${accept}, application/problem+json` });
  return response.blob();
}

async function send(path, { method, body, token, handle401 = true, accept }) {
  const headers = { Accept: accept };
  const bearer = token ?? session.token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, {
      title: 'The ui server cannot be reached',
      detail: `${method} ${path} failed before any answer came back (${e.message}). Is the ui still running?`,
    });
  }
  if (!response.ok) {
    const problem = asProblem(response, await readBody(response), method, path);
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && handle401) unauthorizedHandler(problem);
    throw error;
  }
  return response;
}

/** Builds query strings, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return { __unparsable: text };
    }
  }
  return { __text: text };
}

function asProblem(response, data, method, path) {
  if (data && typeof data === 'object' && !data.__text && !data.__unparsable && (data.title || data.detail || data.type)) {
    return { status: response.status, ...data };
  }
  const raw = data ? data.__text || data.__unparsable || JSON.stringify(data) : '';
  return {
    status: response.status,
    title: `${method} ${path} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    detail: raw ? raw.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400) : 'The answer had no body.',
  };
}
