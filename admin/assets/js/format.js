// Formatting of dates and durations, and turning API errors into words
// next to the fields they are about.

import { h, mount, notice } from './dom.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

/** A <time> element for an ISO date, or `empty` text when there is none. */
export function time(iso, empty = '—', { long = false } = {}) {
  if (!iso) return empty;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return h('time', { datetime: iso }, (long ? dateOnly : dateTime).format(d));
}

export function formatDate(iso, { long = false } = {}) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : (long ? dateOnly : dateTime).format(d);
}

export const DAY = 24 * 60 * 60 * 1000;
export const DURATIONS = [
  { value: String(7 * DAY), label: '7 days' },
  { value: String(30 * DAY), label: '30 days' },
  { value: String(90 * DAY), label: '90 days' },
  { value: '', label: 'Unlimited' },
];

export function durationLabel(lifespan) {
  const found = DURATIONS.find((d) => d.value === (lifespan === null || lifespan === undefined ? '' : String(lifespan)));
  return found ? found.label : `${Math.round(Number(lifespan) / DAY)} days`;
}

/** Expiry in words for a table cell: Never / the date / Expired (date). */
export function expiry(iso) {
  if (!iso) return 'Never';
  const past = Date.parse(iso) < Date.now();
  const t = time(iso);
  return past ? h('span', { class: 'badge badge--danger' }, 'Expired ', t) : t;
}

function capitalize(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** "name must be ..." -> "Name must be ..." (the field's label replaces its key). */
function humanize(message, key, label) {
  if (key && label && message.startsWith(`${key} `)) return `${label}${message.slice(key.length)}`;
  if (key && label && message.startsWith(`${key}[`)) return `${label}${message.slice(message.indexOf(']') + 1)}`;
  return capitalize(message);
}

/**
 * The problems of an ApiError as [{key, message}] (key: the first element of
 * the path, or null). Understands details.errors (yup) and {field: [msgs]}.
 */
export function problems(err) {
  const out = [];
  const d = err?.details;
  if (d && Array.isArray(d.errors)) {
    for (const e of d.errors) {
      const key = Array.isArray(e.path) && e.path.length > 0 ? String(e.path[0]) : null;
      out.push({ key, message: String(e.message ?? '') });
    }
  } else if (d && typeof d === 'object') {
    for (const [k, v] of Object.entries(d)) {
      if (Array.isArray(v) && v.every((m) => typeof m === 'string')) {
        for (const m of v) out.push({ key: k, message: m });
      }
    }
  }
  return out;
}

/**
 * Show an API error on a form: each problem next to its field (fields: map
 * key -> {setError, input, labelText}); the rest, or the error's message, in
 * `summary` (an element that receives a notice). Focuses the first invalid
 * field, or the summary. Call with err = null to clear.
 */
export function showErrors(err, fields, summary) {
  for (const f of Object.values(fields)) f.setError(null);
  mount(summary);
  if (!err) return;
  const list = problems(err);
  const perField = new Map();
  const rest = [];
  for (const p of list) {
    const f = p.key !== null ? fields[p.key] : null;
    if (f) {
      const msgs = perField.get(p.key) ?? [];
      msgs.push(humanize(p.message, p.key, f.labelText));
      perField.set(p.key, msgs);
    } else {
      rest.push(p.key ? humanize(p.message, p.key, p.key) : capitalize(p.message));
    }
  }
  for (const [key, msgs] of perField) fields[key].setError([...new Set(msgs)].join(' '));
  let text;
  if (perField.size > 0) {
    text = perField.size + rest.length === 1 && rest.length === 0
      ? 'Please correct the highlighted field.'
      : 'Please correct the highlighted fields.';
  } else if (list.length > 1) {
    text = 'Please correct the following:';
  } else {
    text = rest.length === 1 ? rest[0] : err.message;
  }
  const showList = rest.length > 0 && !(perField.size === 0 && list.length === 1);
  const box = notice('error', h('p', {}, text), showList ? h('ul', {}, rest.map((m) => h('li', {}, m))) : null);
  box.tabIndex = -1;
  mount(summary, box);
  const first = [...perField.keys()].map((k) => fields[k].input).find(Boolean);
  if (first) first.focus();
  else box.focus();
}

/** The plain-words message of any error (for places without fields). */
export function errorText(err) {
  const list = problems(err);
  if (list.length > 1) return `${err.message}: ${list.map((p) => p.message).join('; ')}`;
  if (list.length === 1) return capitalize(list[0].message);
  return err?.message ?? 'Something went wrong.';
}
