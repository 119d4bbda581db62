// Settings > Administration Panel > Users: list, create, edit, delete.

import { del, get, post, put } from '../api.js';
import { announce, busy, button, confirmDialog, field, h, linkButton, mount, notice, table, uid } from '../dom.js';
import { errorText, showErrors, time } from '../format.js';
import { can, displayName, me } from '../perms.js';
import { navigate } from '../router.js';
import { PASSWORD_RULES } from './auth.js';

const ROUTE = '/admin/settings/users';
const PAGE_SIZE = 10;

function back() {
  return h('p', { class: 'back' }, h('a', { href: ROUTE }, h('span', { 'aria-hidden': 'true' }, '← '), 'Back to Users'));
}

export async function userListPage(ctx) {
  ctx.title('Users');
  const page = Math.max(1, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1);
  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  const body = h('div', {});
  mount(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, 'Users'), h('p', { class: 'muted' }, 'The administrators who can log in to this panel.')),
      can('admin::users.create') ? h('div', { class: 'page-actions' }, linkButton('Create new user', `${ROUTE}/create`)) : null),
    status, body);

  const load = async () => {
    const res = await get(`/admin/users?page=${page}&pageSize=${PAGE_SIZE}`);
    if (!ctx.alive()) return;
    const { results = [], pagination = {} } = res?.data ?? {};
    const columns = [
      { label: 'Name', cell: (u) => h('span', { class: 'strong' }, displayName(u)) },
      { label: 'Email', cell: (u) => u.email },
      { label: 'Roles', cell: (u) => (u.roles ?? []).map((r) => r.name).join(', ') || '—' },
      {
        label: 'Status',
        cell: (u) => h('span', { class: `badge ${u.isActive ? 'badge--success' : 'badge--neutral'}` }, u.isActive ? 'Active' : 'Inactive'),
      },
      { label: 'Created', cell: (u) => time(u.createdAt) },
      {
        label: 'Actions',
        hiddenLabel: true,
        className: 'cell-actions',
        cell: (u) => h('div', { class: 'row-actions' },
          linkButton('Edit', `${ROUTE}/${u.id}`, { kind: 'secondary', class: 'btn btn--secondary btn--small', 'aria-label': `Edit ${displayName(u)}` }),
          can('admin::users.delete') && u.id !== me.user?.id ? button('Delete', (ev) => remove(u, ev.currentTarget), {
            class: 'btn btn--danger-outline btn--small', 'aria-label': `Delete ${displayName(u)}`,
          }) : null),
      },
    ];
    const pageCount = pagination.pageCount ?? 1;
    mount(body,
      results.length === 0 ? h('div', { class: 'empty' }, h('p', {}, 'No users on this page.')) : table({ caption: 'Users', columns, rows: results }),
      pageCount > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pagination' },
        page > 1 ? h('a', { href: `${ROUTE}?page=${page - 1}`, class: 'btn btn--secondary btn--small' }, 'Previous page') : null,
        h('span', {}, `Page ${page} of ${pageCount}`),
        page < pageCount ? h('a', { href: `${ROUTE}?page=${page + 1}`, class: 'btn btn--secondary btn--small' }, 'Next page') : null) : null);
  };
  const remove = async (u, btn) => {
    const ok = await confirmDialog({
      title: 'Delete this user?',
      body: h('p', {}, `${displayName(u)} (${u.email}) will be logged out and can no longer log in. Their admin tokens are deleted too.`),
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await busy(btn, async () => {
      try {
        await del(`/admin/users/${u.id}`);
        await load();
        mount(status, notice('success', h('p', {}, `The user ${u.email} was deleted.`)));
        announce(`The user ${u.email} was deleted.`);
        ctx.main.querySelector('h1')?.focus();
      } catch (err) {
        mount(status, notice('error', h('p', {}, errorText(err))));
      }
    });
  };
  await load();
}

/** A fieldset of role checkboxes acting as one form field (errors on path "roles"). */
function rolesField(roles, selected, disabled) {
  const errId = uid('roles-error');
  const legendId = uid('roles-legend');
  const boxes = roles.map((r) => {
    const id = uid('role');
    const box = h('input', {
      type: 'checkbox', id, value: String(r.id), checked: selected.has(r.id), disabled, 'aria-describedby': errId,
    });
    return { box, li: h('li', { class: 'check' }, box, h('label', { for: id }, r.name, r.description ? h('span', { class: 'hint hint--inline' }, ` — ${r.description}`) : null)) };
  });
  const error = h('p', { class: 'field-error', id: errId, hidden: true });
  const el = h('fieldset', { class: 'field field--group', 'aria-labelledby': legendId },
    h('legend', { id: legendId, class: 'visually-hidden' }, 'Roles'),
    h('p', { class: 'hint hint--top' }, 'Choose at least one role. A user may do what any of their roles allows.'),
    boxes.length === 0 ? h('p', { class: 'muted' }, 'You cannot list the roles (the roles "Read" permission is missing).') : h('ul', { class: 'check-list' }, boxes.map((b) => b.li)),
    error);
  return {
    el,
    input: boxes[0]?.box ?? null,
    labelText: 'Roles',
    value: () => boxes.filter((b) => b.box.checked).map((b) => Number(b.box.value)),
    setError(msg) {
      error.hidden = !msg;
      error.textContent = msg ?? '';
      if (msg) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    },
  };
}

export async function userEditPage(ctx) {
  const isNew = !ctx.params.id;
  const id = ctx.params.id;
  const rolesReq = can('admin::roles.read') ? get('/admin/roles').catch(() => null) : Promise.resolve(null);
  let user = null;
  try {
    user = isNew ? null : (await get(`/admin/users/${encodeURIComponent(id)}`)).data;
  } catch (err) {
    if (err.status === 404) {
      ctx.title('User not found');
      mount(ctx.main, back(), h('h1', {}, 'User not found'), h('p', {}, 'This user does not exist. They may have been deleted.'));
      return;
    }
    throw err;
  }
  const roles = (await rolesReq)?.data ?? user?.roles ?? [];
  if (!ctx.alive()) return;

  const canSave = isNew ? can('admin::users.create') : can('admin::users.update');
  ctx.title(isNew ? 'Create user' : displayName(user));
  const f = {
    firstname: field({ label: 'First name', name: 'firstname', required: true, value: user?.firstname ?? '', autocomplete: 'off' }),
    lastname: field({ label: 'Last name', name: 'lastname', value: user?.lastname ?? '', autocomplete: 'off' }),
    email: field({ label: 'Email', name: 'email', type: 'email', required: true, value: user?.email ?? '', autocomplete: 'off' }),
    password: field({
      label: isNew ? 'Password' : 'New password',
      name: 'password',
      type: 'password',
      autocomplete: 'new-password',
      hint: isNew
        ? `Optional. Without a password the user stays inactive until one is set. ${PASSWORD_RULES}`
        : `Leave empty to keep the current password. ${PASSWORD_RULES}`,
    }),
  };
  f.roles = rolesField(roles, new Set((user?.roles ?? []).map((r) => r.id)), !canSave);
  if (!isNew) {
    f.isActive = field({ label: 'Active', name: 'isActive', type: 'checkbox', value: user.isActive, hint: 'Inactive users cannot log in.' });
  }
  if (!canSave) {
    for (const x of Object.values(f)) if (x.input && x.input.tagName !== 'FIELDSET') x.input.disabled = true;
  }

  const summary = h('div', { class: 'form-summary' });
  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  if (!canSave) status.append(notice('info', h('p', {}, 'Your roles do not let you change this user.')));
  const save = canSave ? h('button', { type: 'submit', class: 'btn btn--primary' }, 'Save') : null;
  const form = h('form', { class: 'form', novalidate: true },
    summary,
    h('section', { class: 'panel', 'aria-labelledby': 'details-title' },
      h('h2', { id: 'details-title' }, 'Details'),
      h('div', { class: 'form-grid' }, f.firstname.el, f.lastname.el, f.email.el, f.password.el),
      f.isActive ? f.isActive.el : null),
    h('section', { class: 'panel', 'aria-labelledby': 'roles-title' },
      h('h2', { id: 'roles-title', class: 'is-required' }, 'Roles'),
      f.roles.el),
    save ? h('div', { class: 'form-actions' }, save, linkButton('Cancel', ROUTE, { kind: 'secondary' })) : null);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      showErrors(null, f, summary);
      const body = {
        firstname: f.firstname.input.value.trim(),
        lastname: f.lastname.input.value.trim(),
        email: f.email.input.value.trim(),
        roles: f.roles.value(),
      };
      if (!body.lastname && isNew) delete body.lastname;
      if (f.password.input.value) body.password = f.password.input.value;
      if (f.isActive) body.isActive = f.isActive.input.checked;
      const local = [];
      if (!body.firstname) local.push({ path: ['firstname'], message: 'First name is required.' });
      if (!body.email) local.push({ path: ['email'], message: 'Email is required.' });
      if (body.roles.length === 0) local.push({ path: ['roles'], message: 'Choose at least one role.' });
      if (local.length) {
        showErrors({ message: 'Please correct the highlighted fields.', details: { errors: local } }, f, summary);
        return;
      }
      try {
        if (isNew) {
          const res = await post('/admin/users', body);
          const msg = res.data.isActive ? 'The user was created.' : 'The user was created. They stay inactive until a password is set.';
          navigate(`${ROUTE}/${res.data.id}`, { replace: true, flash: { message: msg } });
        } else {
          await put(`/admin/users/${encodeURIComponent(id)}`, body);
          navigate(ctx.path, { replace: true, flash: { message: 'Your changes were saved.' } });
        }
      } catch (err) {
        showErrors(err, f, summary);
      }
    });
  });

  mount(ctx.main, back(),
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, isNew ? 'Create user' : displayName(user)),
        user ? h('p', { class: 'muted' }, user.email) : h('p', { class: 'muted' }, 'A new administrator of this panel.'))),
    status, form);
}
