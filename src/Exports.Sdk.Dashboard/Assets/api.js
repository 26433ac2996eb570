// The dashboard's client of its own copy of the HTTP API ({base}/_api/): JSON in and out, the anti-forgery token on
// every change, and ProblemDetails turned into ApiError so screens can show `detail` and `errors` beside the fields.
const base = document.querySelector('meta[name="exports-base"]').content;
const token = document.querySelector('meta[name="exports-antiforgery"]');

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = Array.isArray(problem?.errors) && problem.errors.length ? problem.errors : [this.message];
  }
}

export async function send(method, path, body, { ifMatch } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers[token.dataset.header] = token.content;
  if (ifMatch) headers['If-Match'] = ifMatch;
  let response;
  try {
    response = await fetch(`${base}/_api/${path}`, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, { detail: `The server could not be reached (${error.message}). Check the connection and try again.` });
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

export const get = async (path) => (await send('GET', path)).data;
export const post = (path, body, options) => send('POST', path, body, options);
export const put = (path, body, options) => send('PUT', path, body, options);
export const del = (path, options) => send('DELETE', path, undefined, options);
export const enc = encodeURIComponent;
