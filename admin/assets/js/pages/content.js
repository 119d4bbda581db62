// The Content Manager: the content types (from GET /admin/permissions), a
// filtered, sorted, paginated list per collection type, and a form per entry.
//
// Fields: the Admin API does not describe content types yet. When the server
// answers GET /content-manager/content-types (Strapi 5's route: {data:[{uid,
// attributes}]}), the form is built from the declared attributes; otherwise
// the fields are inferred from existing entries (every attribute but private
// ones comes back, null or not), and an "Other attributes (JSON)" box sends
// anything else. Validation errors are shown next to their field.

import { del, get, post, put, session } from '../api.js';
import { announce, busy, button, confirmDialog, field, h, linkButton, mount, notice, uid } from '../dom.js';
import { errorText, showErrors, time } from '../format.js';
import { can } from '../perms.js';
import { navigate } from '../router.js';

const CM = 'plugin::content-manager.explorer';
const SYSTEM = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations', 'status']);
const PAGE_SIZE = 10;

// ---- content types and their fields -----------------------------------------------------

let typesCache = null;

/** [{uid, label, kind: 'collectionType'|'singleType', draftAndPublish}] */
export function contentTypes() {
  if (typesCache && typesCache.token === session.token) return typesCache.promise;
  const promise = get('/admin/permissions').then((res) => {
    const s = res?.data?.sections ?? {};
    const publishable = new Set((s.collectionTypes?.actions ?? []).find((a) => a.actionId === `${CM}.publish`)?.subjects ?? []);
    const list = [];
    for (const [key, kind] of [['collectionTypes', 'collectionType'], ['singleTypes', 'singleType']]) {
      for (const sub of s[key]?.subjects ?? []) list.push({ uid: sub.uid, label: sub.label, kind, draftAndPublish: publishable.has(sub.uid) });
    }
    return list;
  });
  typesCache = { token: session.token, promise };
  promise.catch(() => { typesCache = null; });
  return promise;
}

let declared; // undefined: not asked yet; null: the server has no schema route; Map uid -> attributes

async function declaredAttributes(ctUid) {
  if (declared === undefined) {
    try {
      const res = await get('/content-manager/content-types');
      declared = new Map();
      for (const ct of Array.isArray(res?.data) ? res.data : []) {
        if (ct && typeof ct.uid === 'string' && ct.attributes && typeof ct.attributes === 'object') declared.set(ct.uid, ct.attributes);
      }
    } catch (err) {
      if (err.status === 401) throw err;
      declared = null;
    }
  }
  return declared ? declared.get(ctUid) ?? null : null;
}

const KIND_OF_TYPE = {
  string: 'string', email: 'email', uid: 'string', password: 'password', text: 'text', richtext: 'text', blocks: 'json',
  integer: 'number', float: 'number', decimal: 'number', biginteger: 'bigint', boolean: 'boolean', enumeration: 'enum',
  date: 'date', time: 'time', datetime: 'datetime', timestamp: 'datetime', json: 'json', relation: 'json', media: 'json',
  component: 'json', dynamiczone: 'json',
};

/**
 * The form fields of a content type: [{name, kind, required, enum}] and
 * whether they are declared by the server or inferred from `samples`.
 */
async function fieldsOf(ctUid, samples) {
  const attrs = await declaredAttributes(ctUid);
  if (attrs) {
    return {
      declared: true,
      fields: Object.entries(attrs).filter(([n]) => !SYSTEM.has(n)).map(([name, a]) => ({
        name, kind: KIND_OF_TYPE[a.type] ?? 'json', required: Boolean(a.required), enum: a.enum ?? null,
      })),
    };
  }
  const order = [];
  const kinds = new Map();
  for (const e of samples) {
    for (const [k, v] of Object.entries(e ?? {})) {
      if (SYSTEM.has(k)) continue;
      if (!kinds.has(k)) {
        order.push(k);
        kinds.set(k, 'unknown');
      }
      if (v === null || v === undefined || kinds.get(k) !== 'unknown') continue;
      if (typeof v === 'boolean') kinds.set(k, 'boolean');
      else if (typeof v === 'number') kinds.set(k, 'number');
      else if (typeof v === 'object') kinds.set(k, 'json');
      else if (typeof v === 'string') kinds.set(k, v.includes('\n') || v.length > 80 ? 'text' : 'string');
    }
  }
  return { declared: false, fields: order.map((name) => ({ name, kind: kinds.get(name), required: false, enum: null })) };
}

const pad = (n) => String(n).padStart(2, '0');
function isoToLocal(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A labelled control for one attribute; .read() -> {empty} | {value} | {error}. */
function attributeControl(f, value) {
  const hints = {
    json: 'A JSON value, e.g. {"key": "value"} or [1, 2].',
    bigint: 'A whole number, sent as text.',
  };
  const base = { label: f.name, name: f.name, required: f.required, hint: hints[f.kind] ?? null };
  let c;
  switch (f.kind) {
    case 'text':
      c = field({ ...base, type: 'textarea', rows: 4, value: value ?? '' });
      break;
    case 'number':
      c = field({ ...base, type: 'number', value: value ?? '', attrs: { step: 'any', inputmode: 'decimal' } });
      break;
    case 'boolean':
      c = field({
        ...base, type: 'select', value: value === true ? 'true' : value === false ? 'false' : '',
        options: [{ value: '', label: '(not set)' }, { value: 'true', label: 'true' }, { value: 'false', label: 'false' }],
      });
      break;
    case 'enum':
      c = field({ ...base, type: 'select', value: value ?? '', options: [{ value: '', label: '(not set)' }, ...(f.enum ?? []).map((v) => ({ value: v, label: v }))] });
      break;
    case 'date':
      c = field({ ...base, type: 'date', value: value ?? '' });
      break;
    case 'time':
      c = field({ ...base, type: 'time', value: value ? String(value).slice(0, 8) : '', attrs: { step: '1' } });
      break;
    case 'datetime':
      c = field({ ...base, type: 'datetime-local', value: value ? isoToLocal(value) : '', attrs: { step: '1' }, hint: 'In your local time.' });
      break;
    case 'json':
      c = field({ ...base, type: 'textarea', rows: 3, value: value === null || value === undefined ? '' : JSON.stringify(value, null, 2), attrs: { spellcheck: 'false', class: 'mono' } });
      break;
    case 'email':
      c = field({ ...base, type: 'email', value: value ?? '' });
      break;
    case 'password':
      c = field({ ...base, type: 'password', value: value ?? '', autocomplete: 'new-password' });
      break;
    default:
      c = field({ ...base, type: 'text', value: value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value) });
  }
  c.read = () => {
    const raw = c.input.value;
    if (raw === '' || (f.kind === 'json' && raw.trim() === '')) return { empty: true };
    switch (f.kind) {
      case 'number': {
        const n = Number(raw);
        return Number.isFinite(n) ? { value: n } : { error: `${f.name} must be a number.` };
      }
      case 'boolean': return { value: raw === 'true' };
      case 'time': return { value: /^\d\d:\d\d$/.test(raw) ? `${raw}:00` : raw };
      case 'datetime': {
        const d = new Date(raw);
        return Number.isNaN(d.getTime()) ? { error: `${f.name} is not a valid date and time.` } : { value: d.toISOString() };
      }
      case 'json':
        try {
          return { value: JSON.parse(raw) };
        } catch {
          return { error: `${f.name} is not valid JSON.` };
        }
      case 'unknown': {
        const t = raw.trim();
        if (t === 'true' || t === 'false') return { value: t === 'true' };
        if (/^-?\d+(\.\d+)?$/.test(t) && Number.isFinite(Number(t))) return { value: Number(t) };
        return { value: raw };
      }
      default: return { value: raw };
    }
  };
  return c;
}

// ---- paths ---------------------------------------------------------------------------

const slug = (ctUid) => ctUid.replace('.', '/'); // "api::article.article" -> "api::article/article"
export const listPath = (t) => `/admin/content-manager/${t.kind === 'singleType' ? 'single-types' : 'collection-types'}/${slug(t.uid)}`;
const apiPath = (t) => `/content-manager/${t.kind === 'singleType' ? 'single-types' : 'collection-types'}/${t.uid}`;

async function typeFromParams(ctx, kind) {
  const ctUid = `${ctx.params.ns}.${ctx.params.name}`;
  const t = (await contentTypes()).find((x) => x.uid === ctUid && x.kind === kind);
  if (!t && ctx.alive()) {
    ctx.title('Content type not found');
    mount(ctx.main, h('h1', {}, 'Content type not found'), h('p', {}, 'This project has no such content type. ', h('a', { href: '/admin/content-manager' }, 'See all content types'), '.'));
  }
  return t;
}

function noAccess(ctx, what) {
  ctx.title('No access');
  mount(ctx.main, h('h1', {}, 'No access'), h('p', {}, `Your roles do not let you ${what}.`));
}

function typeNav(types, current) {
  const readable = types.filter((t) => can(`${CM}.read`, t.uid));
  const group = (kind, title) => {
    const list = readable.filter((t) => t.kind === kind);
    if (list.length === 0) return null;
    const id = uid('ct-nav');
    return h('div', { class: 'subnav__group' },
      h('h2', { class: 'subnav__title', id }, title),
      h('ul', { 'aria-labelledby': id }, list.map((t) => h('li', {},
        h('a', { href: listPath(t), 'aria-current': current && current.uid === t.uid ? 'page' : null }, t.label)))));
  };
  return h('nav', { class: 'subnav', 'aria-label': 'Content types' }, group('collectionType', 'Collection types'), group('singleType', 'Single types'));
}

// ---- pages -------------------------------------------------------------------------------

export async function cmIndexPage(ctx) {
  const types = await contentTypes();
  if (!ctx.alive()) return;
  ctx.title('Content Manager');
  mount(ctx.main,
    h('div', { class: 'page-header' }, h('div', {}, h('h1', {}, 'Content Manager'),
      h('p', { class: 'muted' }, 'Choose a content type to see and edit its entries.'))),
    h('div', { class: 'cm-index' }, typeNav(types, null)));
}

function readQuery(q) {
  return {
    page: Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1),
    sort: q.get('sort') ?? '',
    field: q.get('field') ?? '',
    op: q.get('op') ?? '$containsi',
    value: q.get('value') ?? '',
  };
}

const OPERATORS = [
  { value: '$containsi', label: 'contains' },
  { value: '$eq', label: 'is' },
  { value: '$ne', label: 'is not' },
  { value: '$startsWith', label: 'starts with' },
  { value: '$gt', label: 'is greater than' },
  { value: '$lt', label: 'is less than' },
  { value: '$null', label: 'is empty' },
  { value: '$notNull', label: 'is not empty' },
];

export async function cmListPage(ctx) {
  const t = await typeFromParams(ctx, 'collectionType');
  if (!t || !ctx.alive()) return;
  if (!can(`${CM}.read`, t.uid)) {
    noAccess(ctx, `read ${t.label} entries`);
    return;
  }
  ctx.title(t.label);
  const q = readQuery(ctx.query);
  const params = new URLSearchParams({ page: String(q.page), pageSize: String(PAGE_SIZE) });
  let url = `${apiPath(t)}?${params}`;
  if (q.sort) url += `&sort=${encodeURIComponent(q.sort)}`;
  if (q.field && /^[A-Za-z0-9_]+$/.test(q.field) && OPERATORS.some((o) => o.value === q.op)) {
    const v = q.op === '$null' || q.op === '$notNull' ? 'true' : q.value;
    if (v !== '') url += `&filters[${q.field}][${q.op}]=${encodeURIComponent(v)}`;
  }
  const types = await contentTypes();
  let res = null;
  let loadError = null;
  try {
    res = await get(url);
  } catch (err) {
    if (err.status === 401) return;
    loadError = err;
  }
  const { fields } = await fieldsOf(t.uid, res?.results ?? []);
  if (!ctx.alive()) return;

  const listable = fields.filter((f) => !['json', 'password', 'text'].includes(f.kind));
  const shown = [...listable.filter((f) => f.kind !== 'unknown'), ...listable.filter((f) => f.kind === 'unknown')].slice(0, 3);
  const go = (over) => {
    const next = { ...q, ...over };
    const p = new URLSearchParams();
    if (next.field) {
      p.set('field', next.field);
      p.set('op', next.op);
      if (next.value) p.set('value', next.value);
    }
    if (next.sort) p.set('sort', next.sort);
    if (next.page > 1) p.set('page', String(next.page));
    const s = p.toString();
    navigate(`${listPath(t)}${s ? `?${s}` : ''}`);
  };

  // filter bar
  const fField = field({
    label: 'Field', name: 'field', type: 'select', value: q.field,
    options: [{ value: '', label: '(no filter)' }, { value: 'documentId', label: 'documentId' }, ...fields.map((f) => ({ value: f.name, label: f.name }))],
  });
  const fOp = field({ label: 'Condition', name: 'op', type: 'select', value: q.op, options: OPERATORS });
  const fValue = field({ label: 'Value', name: 'value', value: q.value });
  const syncValue = () => { fValue.input.disabled = fOp.input.value === '$null' || fOp.input.value === '$notNull'; };
  fOp.input.addEventListener('change', syncValue);
  syncValue();
  const filterForm = h('form', { class: 'filters', role: 'search', 'aria-label': `Filter ${t.label} entries` },
    fField.el, fOp.el, fValue.el,
    h('div', { class: 'filters__actions' },
      h('button', { type: 'submit', class: 'btn btn--secondary' }, 'Apply filter'),
      q.field ? button('Clear filter', () => go({ field: '', value: '', op: '$containsi', page: 1 })) : null));
  filterForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({ field: fField.input.value, op: fOp.input.value, value: fValue.input.value, page: 1 });
  });

  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));

  const sortHeader = (name, label) => {
    const [sf, sd] = q.sort.split(':');
    const active = sf === name;
    const dir = active && sd === 'desc' ? 'descending' : active ? 'ascending' : null;
    return h('th', { scope: 'col', 'aria-sort': dir },
      h('button', { type: 'button', class: 'sort', onclick: () => go({ sort: `${name}:${active && sd !== 'desc' ? 'desc' : 'asc'}`, page: 1 }) },
        label, h('span', { 'aria-hidden': 'true', class: 'sort__arrow' }, active ? (sd === 'desc' ? ' ↓' : ' ↑') : '')));
  };

  let body;
  if (loadError) {
    body = notice('error', h('p', {}, loadError.status === 400 ? `This filter cannot be used: ${errorText(loadError)}` : errorText(loadError)));
  } else if ((res?.results ?? []).length === 0) {
    body = h('div', { class: 'empty' }, h('p', { class: 'empty__title' }, q.field ? 'No entries match this filter.' : 'There are no entries yet.'),
      !q.field && can(`${CM}.create`, t.uid) ? linkButton('Create your first entry', `${listPath(t)}/create`, { kind: 'secondary' }) : null);
  } else {
    const rows = res.results;
    const pg = res.pagination ?? {};
    body = [
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'visually-hidden' }, `${t.label} entries`),
        h('thead', {}, h('tr', {}, sortHeader('id', 'ID'), shown.map((f) => sortHeader(f.name, f.name)), sortHeader('updatedAt', 'Updated'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, rows.map((e) => {
          const title = entryTitle(e, fields);
          return h('tr', {},
            h('td', { 'data-label': 'ID' }, String(e.id)),
            shown.map((f) => h('td', { 'data-label': f.name }, cellText(e[f.name]))),
            h('td', { 'data-label': 'Updated' }, time(e.updatedAt)),
            h('td', { class: 'cell-actions', 'data-label': '' }, h('div', { class: 'row-actions' },
              linkButton(can(`${CM}.update`, t.uid) ? 'Edit' : 'View', `${listPath(t)}/${e.documentId}`, {
                kind: 'secondary', class: 'btn btn--secondary btn--small', 'aria-label': `${can(`${CM}.update`, t.uid) ? 'Edit' : 'View'} ${title}`,
              }),
              can(`${CM}.delete`, t.uid) ? button('Delete', (ev) => removeEntry(ctx, t, e, title, ev.currentTarget, status), {
                class: 'btn btn--danger-outline btn--small', 'aria-label': `Delete ${title}`,
              }) : null)));
        })))),
      (pg.pageCount ?? 1) > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pagination' },
        q.page > 1 ? button('Previous page', () => go({ page: q.page - 1 }), { class: 'btn btn--secondary btn--small' }) : null,
        h('span', {}, `Page ${pg.page} of ${pg.pageCount} (${pg.total} entries)`),
        q.page < pg.pageCount ? button('Next page', () => go({ page: q.page + 1 }), { class: 'btn btn--secondary btn--small' }) : null) : null,
    ];
  }

  mount(ctx.main,
    h('div', { class: 'cm-layout' },
      typeNav(types, t),
      h('div', { class: 'cm-main' },
        h('div', { class: 'page-header' },
          h('div', {}, h('h1', {}, t.label), h('p', { class: 'muted' }, `${res?.pagination?.total ?? 0} ${res?.pagination?.total === 1 ? 'entry' : 'entries'}`)),
          can(`${CM}.create`, t.uid) ? h('div', { class: 'page-actions' }, linkButton('Create new entry', `${listPath(t)}/create`)) : null),
        status, filterForm, body)));
}

function cellText(v) {
  if (v === null || v === undefined || v === '') return h('span', { class: 'muted' }, '—');
  if (typeof v === 'object') return JSON.stringify(v).slice(0, 60);
  const s = String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function entryTitle(e, fields) {
  const f = fields.find((x) => ['string', 'unknown', 'email'].includes(x.kind) && typeof e[x.name] === 'string' && e[x.name]);
  return f ? String(e[f.name]) : `entry ${e.id}`;
}

async function removeEntry(ctx, t, e, title, btn, status) {
  const ok = await confirmDialog({
    title: 'Delete this entry?', body: h('p', {}, `“${title}” will be deleted. This cannot be undone.`), confirm: 'Delete', danger: true,
  });
  if (!ok) return;
  await busy(btn, async () => {
    try {
      await del(`${apiPath(t)}/${encodeURIComponent(e.documentId)}`);
      announce('The entry was deleted.');
      navigate(location.pathname + location.search, { replace: true, flash: { message: `The entry “${title}” was deleted.` } });
    } catch (err) {
      mount(status, notice('error', h('p', {}, errorText(err))));
    }
  });
}

/** The entry form (collection entry or single type). */
function entryForm({ t, entry, fields, declaredFields, canSave, onSubmit, extraOpen }) {
  const summary = h('div', { class: 'form-summary' });
  const controls = {};
  for (const f of fields) controls[f.name] = attributeControl(f, entry ? entry[f.name] : undefined);
  if (!canSave) for (const c of Object.values(controls)) c.input.disabled = true;
  const other = field({
    label: 'Attributes as a JSON object', name: 'other', type: 'textarea', rows: 3,
    hint: 'Optional. A JSON object of attributes sent as they are, e.g. {"rating": 5}. It wins over the fields above.',
    attrs: { spellcheck: 'false', class: 'mono' },
  });
  if (!canSave) other.input.disabled = true;
  const errFields = { ...controls, other };
  const save = canSave ? h('button', { type: 'submit', class: 'btn btn--primary' }, 'Save') : null;
  const form = h('form', { class: 'form', novalidate: true },
    summary,
    declaredFields ? null : notice('info', h('p', {}, fields.length
      ? 'This server does not describe its content types yet, so the fields are taken from the existing entries.'
      : 'This server does not describe its content types yet and there is no entry to learn the fields from: write the attributes as a JSON object below.'),
    fields.some((f) => f.kind === 'unknown')
      ? h('p', {}, 'Where no entry has a value yet, the type of a field is not known: a number or true/false typed there is sent as such, anything else as text.')
      : null),
    fields.length ? h('section', { class: 'panel', 'aria-labelledby': 'fields-title' },
      h('h2', { id: 'fields-title' }, 'Fields'),
      h('div', { class: 'form-grid' }, Object.values(controls).map((c) => c.el))) : null,
    h('details', { class: 'panel panel--details', open: extraOpen || fields.length === 0 },
      h('summary', {}, 'Other attributes'),
      other.el),
    save ? h('div', { class: 'form-actions' }, save, t.kind === 'collectionType' ? linkButton('Cancel', listPath(t), { kind: 'secondary' }) : null) : null);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      showErrors(null, errFields, summary);
      const body = {};
      const local = [];
      for (const f of fields) {
        const r = controls[f.name].read();
        if (r.error) {
          local.push({ path: [f.name], message: r.error });
          continue;
        }
        const before = entry ? entry[f.name] ?? null : null;
        const value = r.empty ? null : r.value;
        if (!entry) {
          if (!r.empty) body[f.name] = value;
        } else if (JSON.stringify(value) !== JSON.stringify(before)) {
          body[f.name] = value;
        }
      }
      const raw = other.input.value.trim();
      if (raw) {
        try {
          const extra = JSON.parse(raw);
          if (!extra || typeof extra !== 'object' || Array.isArray(extra)) throw new Error('not an object');
          Object.assign(body, extra);
        } catch {
          local.push({ path: ['other'], message: 'This must be a JSON object, like {"title": "Hello"}.' });
        }
      }
      if (local.length) {
        showErrors({ message: '', details: { errors: local } }, errFields, summary);
        return;
      }
      try {
        await onSubmit(body);
      } catch (err) {
        showErrors(err, errFields, summary);
      }
    });
  });
  return form;
}

export async function cmEntryPage(ctx) {
  const t = await typeFromParams(ctx, 'collectionType');
  if (!t || !ctx.alive()) return;
  const isNew = !ctx.params.documentId;
  if (isNew ? !can(`${CM}.create`, t.uid) : !can(`${CM}.read`, t.uid)) {
    noAccess(ctx, isNew ? `create ${t.label} entries` : `read ${t.label} entries`);
    return;
  }
  let entry = null;
  let samples = [];
  try {
    if (isNew) {
      if (can(`${CM}.read`, t.uid)) samples = (await get(`${apiPath(t)}?pageSize=25`))?.results ?? [];
    } else {
      entry = (await get(`${apiPath(t)}/${encodeURIComponent(ctx.params.documentId)}`))?.data ?? null;
      samples = [entry];
      if (await declaredAttributes(t.uid) === null) {
        // more samples, to learn the kind of the fields this entry leaves empty
        samples = samples.concat((await get(`${apiPath(t)}?pageSize=25`).catch(() => null))?.results ?? []);
      }
    }
  } catch (err) {
    if (err.status === 404) {
      ctx.title('Entry not found');
      mount(ctx.main, backTo(t), h('h1', {}, 'Entry not found'), h('p', {}, 'This entry does not exist. It may have been deleted.'));
      return;
    }
    throw err;
  }
  const { fields, declared: isDeclared } = await fieldsOf(t.uid, samples);
  if (!ctx.alive()) return;
  const canSave = isNew ? can(`${CM}.create`, t.uid) : can(`${CM}.update`, t.uid);
  const title = entry ? entryTitle(entry, fields) : `New ${t.label} entry`;
  ctx.title(title);

  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  if (!isNew && !canSave) status.append(notice('info', h('p', {}, 'Your roles let you read this entry but not change it.')));

  const form = entryForm({
    t, entry, fields, declaredFields: isDeclared, canSave,
    onSubmit: async (body) => {
      if (isNew) {
        const res = await post(apiPath(t), body);
        navigate(`${listPath(t)}/${res.data.documentId}`, { replace: true, flash: { message: 'The entry was created.' } });
      } else {
        await put(`${apiPath(t)}/${encodeURIComponent(entry.documentId)}`, body);
        navigate(ctx.path, { replace: true, flash: { message: 'Your changes were saved.' } });
      }
    },
  });

  const actions = h('div', { class: 'page-actions' });
  if (!isNew && t.draftAndPublish && can(`${CM}.publish`, t.uid)) {
    const pub = button('Publish', () => busy(pub, async () => {
      try {
        await post(`${apiPath(t)}/${encodeURIComponent(entry.documentId)}/actions/publish`, {});
        mount(status, notice('success', h('p', {}, 'The entry was published.')));
        announce('The entry was published.');
      } catch (err) {
        mount(status, notice('error', h('p', {}, errorText(err))));
      }
    }));
    actions.append(pub);
  }
  if (!isNew && can(`${CM}.delete`, t.uid)) {
    const delBtn = button('Delete', async () => {
      const ok = await confirmDialog({ title: 'Delete this entry?', body: h('p', {}, `“${title}” will be deleted. This cannot be undone.`), confirm: 'Delete', danger: true });
      if (!ok) return;
      await busy(delBtn, async () => {
        try {
          await del(`${apiPath(t)}/${encodeURIComponent(entry.documentId)}`);
          navigate(listPath(t), { replace: true, flash: { message: `The entry “${title}” was deleted.` } });
        } catch (err) {
          mount(status, notice('error', h('p', {}, errorText(err))));
        }
      });
    }, { class: 'btn btn--danger-outline' });
    actions.append(delBtn);
  }

  mount(ctx.main,
    backTo(t),
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, isNew ? `Create an entry` : title), h('p', { class: 'muted' }, t.label)),
      actions.childNodes.length ? actions : null),
    status,
    entry ? entryMeta(entry, t) : null,
    form);
}

function entryMeta(e, t) {
  return h('dl', { class: 'meta meta--inline' },
    h('dt', {}, 'ID'), h('dd', {}, String(e.id)),
    h('dt', {}, 'Document ID'), h('dd', { class: 'mono' }, e.documentId),
    h('dt', {}, 'Updated'), h('dd', {}, time(e.updatedAt)),
    t.draftAndPublish ? [h('dt', {}, 'Published'), h('dd', {}, e.publishedAt ? time(e.publishedAt) : 'Draft')] : null);
}

function backTo(t) {
  return h('p', { class: 'back' }, h('a', { href: listPath(t) }, h('span', { 'aria-hidden': 'true' }, '← '), `Back to ${t.label}`));
}

export async function cmSinglePage(ctx) {
  const t = await typeFromParams(ctx, 'singleType');
  if (!t || !ctx.alive()) return;
  if (!can(`${CM}.read`, t.uid)) {
    noAccess(ctx, `read ${t.label}`);
    return;
  }
  let entry = null;
  try {
    entry = (await get(apiPath(t)))?.data ?? null;
  } catch (err) {
    if (err.status !== 404) throw err;
  }
  const { fields, declared: isDeclared } = await fieldsOf(t.uid, entry ? [entry] : []);
  const types = await contentTypes();
  if (!ctx.alive()) return;
  ctx.title(t.label);
  const canSave = can(`${CM}.update`, t.uid);
  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  if (!entry) status.append(notice('info', h('p', {}, `${t.label} has no content yet.${canSave ? ' Save the form to create it.' : ''}`)));
  const form = entryForm({
    t, entry, fields, declaredFields: isDeclared, canSave,
    onSubmit: async (body) => {
      await put(apiPath(t), body);
      navigate(ctx.path, { replace: true, flash: { message: 'Your changes were saved.' } });
    },
  });
  const actions = h('div', { class: 'page-actions' });
  if (entry && can(`${CM}.delete`, t.uid)) {
    const delBtn = button('Delete', async () => {
      const ok = await confirmDialog({ title: `Delete ${t.label}?`, body: h('p', {}, `The content of ${t.label} will be deleted. This cannot be undone.`), confirm: 'Delete', danger: true });
      if (!ok) return;
      await busy(delBtn, async () => {
        try {
          await del(apiPath(t));
          navigate(ctx.path, { replace: true, flash: { message: `${t.label} was deleted.` } });
        } catch (err) {
          mount(status, notice('error', h('p', {}, errorText(err))));
        }
      });
    }, { class: 'btn btn--danger-outline' });
    actions.append(delBtn);
  }
  mount(ctx.main,
    h('div', { class: 'cm-layout' },
      typeNav(types, t),
      h('div', { class: 'cm-main' },
        h('div', { class: 'page-header' },
          h('div', {}, h('h1', {}, t.label), h('p', { class: 'muted' }, 'Single type')),
          actions.childNodes.length ? actions : null),
        status,
        entry ? entryMeta(entry, t) : null,
        form)));
}
