// Widgets shared by several pages: the content-API permission editor (custom
// API tokens, public access), the admin permission matrix (roles, admin
// tokens) and the box that shows a token's key with a copy button.

import { copyButton, h, uid } from './dom.js';

function titleCase(s) {
  return s.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

// ---- content-API actions ------------------------------------------------------------

/**
 * Checkboxes for content-API actions, one collapsible section per content
 * type (click its name to open it), with "Select all" per type.
 * catalogue: GET /admin/content-api/permissions data
 *   {"api::article": {controllers: {article: ["find", ...]}}};
 * routes: GET /admin/content-api/routes data (optional: shows each action's route);
 * selected: iterable of action UIDs ("api::article.article.find").
 * Returns {el, value() -> [uid], sections: Map name -> <details>}.
 */
export function contentApiEditor({ catalogue, routes = {}, selected = [], readOnly = false, label = 'Permissions' }) {
  const chosen = new Set(selected);
  const boxes = [];
  const routeOf = new Map();
  for (const list of Object.values(routes ?? {})) {
    for (const r of list ?? []) if (r.handler) routeOf.set(r.handler, `${r.method} ${r.path}`);
  }
  const sections = [];
  for (const [api, def] of Object.entries(catalogue ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [controller, actions] of Object.entries(def?.controllers ?? {})) {
      const name = titleCase(controller);
      const legendId = uid('perm-legend');
      const countEl = h('span', { class: 'perm-section__count' });
      const mine = [];
      const all = h('input', { type: 'checkbox', id: uid('all'), disabled: readOnly });
      const items = actions.map((action) => {
        const value = `${api}.${controller}.${action}`;
        const id = uid('perm');
        const route = routeOf.get(value);
        const hintId = route ? `${id}-route` : null;
        const box = h('input', {
          type: 'checkbox', id, value, checked: chosen.has(value), disabled: readOnly, 'aria-describedby': hintId,
        });
        mine.push(box);
        boxes.push(box);
        return h('li', { class: 'check' }, box, h('label', { for: id }, action),
          route ? h('span', { class: 'route', id: hintId }, route) : null);
      });
      const sync = () => {
        const n = mine.filter((b) => b.checked).length;
        all.checked = n === mine.length && n > 0;
        all.indeterminate = n > 0 && n < mine.length;
        countEl.textContent = n === 0 ? 'none selected' : `${n} of ${mine.length} selected`;
      };
      all.addEventListener('change', () => {
        for (const b of mine) b.checked = all.checked;
        sync();
      });
      for (const b of mine) b.addEventListener('change', sync);
      sync();
      const details = h('details', { class: 'perm-section', open: mine.some((b) => b.checked) },
        h('summary', {}, h('span', { class: 'perm-section__name' }, name), ' ', countEl),
        h('fieldset', { class: 'perm-section__body', 'aria-labelledby': legendId },
          h('legend', { id: legendId, class: 'visually-hidden' }, `${name} actions`),
          h('div', { class: 'check check--all' }, all, h('label', { for: all.id }, 'Select all')),
          h('ul', { class: 'check-list' }, items)));
      details.dataset.contentType = `${api}.${controller}`;
      sections.push([name, details]);
    }
  }
  const el = h('div', { class: 'perm-editor', role: 'group', 'aria-label': label },
    sections.length === 0 ? h('p', { class: 'muted' }, 'This project has no content types yet.') : sections.map(([, d]) => d));
  return {
    el,
    sections: new Map(sections),
    value: () => boxes.filter((b) => b.checked).map((b) => b.value),
  };
}

// ---- admin permissions ------------------------------------------------------------------

const CATEGORY_NAMES = {
  'api tokens': 'API tokens',
  'admin tokens': 'Admin tokens',
  'users and roles': 'Users and roles',
  'public access': 'Public access',
};

const key = (action, subject) => `${action}|${subject ?? ''}`;

/**
 * The admin permission matrix: content types x content-manager actions, then
 * the settings actions by category. catalogue: GET /admin/permissions
 * data.sections; selected: [{action, subject}]; allowed(action, subject):
 * whether the box may be ticked (others are disabled, with `disabledHint`).
 * Returns {el, value() -> [{action, subject}]}.
 */
export function permissionMatrix({ catalogue, selected = [], allowed = () => true, readOnly = false, disabledHint = null }) {
  const chosen = new Set(selected.map((p) => key(p.action, p.subject)));
  const boxes = [];
  const hintId = disabledHint ? uid('perm-hint') : null;
  const mk = (action, subject, labelText) => {
    const ok = allowed(action, subject);
    const box = h('input', {
      type: 'checkbox',
      id: uid('p'),
      checked: chosen.has(key(action, subject)),
      disabled: readOnly || !ok,
      'aria-label': labelText,
      'aria-describedby': !ok && hintId ? hintId : null,
    });
    box.dataset.action = action;
    if (subject) box.dataset.subject = subject;
    boxes.push(box);
    return box;
  };

  const parts = [];
  if (disabledHint) parts.push(h('p', { class: 'hint', id: hintId }, disabledHint));

  for (const [sectionKey, title] of [['collectionTypes', 'Collection types'], ['singleTypes', 'Single types']]) {
    const sec = catalogue?.[sectionKey];
    if (!sec || !sec.subjects?.length) continue;
    const actions = sec.actions ?? [];
    parts.push(h('div', { class: 'table-wrap matrix-wrap' },
      h('table', { class: 'matrix' },
        h('caption', {}, title),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Content type'), actions.map((a) => h('th', { scope: 'col' }, a.label)))),
        h('tbody', {}, sec.subjects.map((s) => h('tr', {},
          h('th', { scope: 'row' }, s.label),
          actions.map((a) => h('td', { 'data-label': a.label },
            a.subjects.includes(s.uid) ? mk(a.actionId, s.uid, `${a.label} ${s.label}`) : h('span', { class: 'muted', 'aria-label': 'not applicable' }, '—')))))))));
  }

  const groups = new Map();
  for (const a of catalogue?.settings ?? []) {
    const g = groups.get(a.category) ?? [];
    g.push(a);
    groups.set(a.category, g);
  }
  for (const [category, list] of groups) {
    const catName = CATEGORY_NAMES[category] ?? titleCase(category);
    parts.push(h('fieldset', { class: 'perm-group' },
      h('legend', {}, catName),
      h('ul', { class: 'check-list' }, list.map((a) => {
        const sub = a.subCategory && a.subCategory.toLowerCase() !== 'general' && a.subCategory.toLowerCase() !== category.toLowerCase()
          ? titleCase(a.subCategory) : null;
        const context = sub ? `${sub}: ` : '';
        const box = mk(a.action, null, null);
        return h('li', { class: 'check' }, box,
          h('label', { for: box.id }, context, a.displayName, h('span', { class: 'visually-hidden' }, ` (${catName})`)));
      }))));
  }
  return {
    el: h('div', { class: 'perm-matrix' }, parts),
    value: () => boxes.filter((b) => b.checked).map((b) => ({ action: b.dataset.action, subject: b.dataset.subject ?? null })),
  };
}

// ---- token keys -----------------------------------------------------------------------------

/**
 * The box showing a token's key with a copy button; `viewable` false adds
 * the warning that it will not be shown again.
 */
export function keyBox({ title, accessKey, viewable, usage = null }) {
  const titleId = uid('key-title');
  const keyId = uid('key');
  return h('section', { class: `keybox${viewable ? '' : ' keybox--warning'}`, 'aria-labelledby': titleId, tabindex: '-1' },
    h('h2', { id: titleId, class: 'keybox__title' }, title),
    viewable
      ? h('p', {}, 'You can view this token again later on this page.')
      : h('p', { class: 'keybox__warning' }, h('strong', {}, "Make sure to copy this token, you won't be able to see it again!")),
    h('div', { class: 'keybox__row' },
      h('code', { class: 'keybox__key', id: keyId }, accessKey),
      copyButton(() => accessKey, 'Copy', 'Copy token')),
    usage ? h('p', { class: 'hint' }, usage) : null);
}
