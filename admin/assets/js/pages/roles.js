// Settings > Administration Panel > Roles: list, create, edit (name,
// description and the permission matrix), delete.

import { del, get, post, put } from '../api.js';
import { announce, busy, button, confirmDialog, field, h, linkButton, mount, notice, table } from '../dom.js';
import { errorText, showErrors } from '../format.js';
import { can, loadMe } from '../perms.js';
import { navigate } from '../router.js';
import { permissionMatrix } from '../widgets.js';

const ROUTE = '/admin/settings/roles';
const SUPER = 'strapi-super-admin';

function back() {
  return h('p', { class: 'back' }, h('a', { href: ROUTE }, h('span', { 'aria-hidden': 'true' }, '← '), 'Back to Roles'));
}

export async function roleListPage(ctx) {
  ctx.title('Roles');
  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  const body = h('div', {});
  mount(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, 'Roles'), h('p', { class: 'muted' }, 'A role is a set of permissions given to administrators.')),
      can('admin::roles.create') ? h('div', { class: 'page-actions' }, linkButton('Create new role', `${ROUTE}/create`)) : null),
    status, body);

  const load = async () => {
    const roles = (await get('/admin/roles'))?.data ?? [];
    if (!ctx.alive()) return;
    const columns = [
      { label: 'Name', cell: (r) => h('span', { class: 'strong' }, r.name) },
      { label: 'Description', cell: (r) => r.description || '—' },
      { label: 'Users', cell: (r) => `${r.usersCount ?? 0} ${r.usersCount === 1 ? 'user' : 'users'}` },
      {
        label: 'Actions',
        hiddenLabel: true,
        className: 'cell-actions',
        cell: (r) => h('div', { class: 'row-actions' },
          linkButton(can('admin::roles.update') && r.code !== SUPER ? 'Edit' : 'View', `${ROUTE}/${r.id}`, {
            kind: 'secondary', class: 'btn btn--secondary btn--small', 'aria-label': `${can('admin::roles.update') && r.code !== SUPER ? 'Edit' : 'View'} ${r.name}`,
          }),
          can('admin::roles.delete') && r.code !== SUPER ? button('Delete', (ev) => remove(r, ev.currentTarget), {
            class: 'btn btn--danger-outline btn--small', 'aria-label': `Delete ${r.name}`,
          }) : null),
      },
    ];
    mount(body, table({ caption: 'Roles', columns, rows: roles }));
  };
  const remove = async (r, btn) => {
    const ok = await confirmDialog({
      title: 'Delete this role?',
      body: h('p', {}, `The role “${r.name}” will be deleted. A role still given to users cannot be deleted.`),
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await busy(btn, async () => {
      try {
        await del(`/admin/roles/${r.id}`);
        await load();
        mount(status, notice('success', h('p', {}, `The role “${r.name}” was deleted.`)));
        announce(`The role ${r.name} was deleted.`);
        ctx.main.querySelector('h1')?.focus();
      } catch (err) {
        const msg = err.message === 'Some roles are still assigned to some users'
          ? `The role “${r.name}” is still given to some users: change their roles first.`
          : errorText(err);
        mount(status, notice('error', h('p', {}, msg)));
      }
    });
  };
  await load();
}

export async function roleEditPage(ctx) {
  const isNew = !ctx.params.id;
  const id = ctx.params.id;
  const catalogueReq = get('/admin/permissions');
  catalogueReq.catch(() => {}); // awaited below; no unhandled rejection if we stop early
  let role = null;
  let current = [];
  try {
    if (!isNew) {
      const [r, p] = await Promise.all([
        get(`/admin/roles/${encodeURIComponent(id)}`),
        get(`/admin/roles/${encodeURIComponent(id)}/permissions`),
      ]);
      role = r.data;
      current = p.data ?? [];
    }
  } catch (err) {
    if (err.status === 404) {
      ctx.title('Role not found');
      mount(ctx.main, back(), h('h1', {}, 'Role not found'), h('p', {}, 'This role does not exist. It may have been deleted.'));
      return;
    }
    throw err;
  }
  const catalogue = (await catalogueReq)?.data?.sections ?? {};
  if (!ctx.alive()) return;

  const isSuper = role?.code === SUPER;
  const canSave = !isSuper && (isNew ? can('admin::roles.create') : can('admin::roles.update'));
  ctx.title(isNew ? 'Create role' : role.name);

  const f = {
    name: field({ label: 'Name', name: 'name', required: true, value: role?.name ?? '' }),
    description: field({ label: 'Description', name: 'description', type: 'textarea', rows: 2, value: role?.description ?? '' }),
  };
  if (!canSave) for (const x of Object.values(f)) x.input.disabled = true;
  const matrix = isSuper ? null : permissionMatrix({ catalogue, selected: current, readOnly: !canSave });

  const summary = h('div', { class: 'form-summary' });
  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  if (ctx.flash?.error) status.append(notice('error', h('p', {}, ctx.flash.error)));
  if (isSuper) status.append(notice('info', h('p', {}, 'The Super Admin role has every permission and cannot be changed.')));
  else if (!canSave) status.append(notice('info', h('p', {}, 'Your roles do not let you change this role.')));

  const save = canSave ? h('button', { type: 'submit', class: 'btn btn--primary' }, 'Save') : null;
  const form = h('form', { class: 'form', novalidate: true },
    summary,
    h('section', { class: 'panel', 'aria-labelledby': 'details-title' },
      h('h2', { id: 'details-title' }, 'Role details'),
      h('div', { class: 'form-grid' }, f.name.el, f.description.el)),
    matrix ? h('section', { class: 'panel', 'aria-labelledby': 'perm-title' },
      h('h2', { id: 'perm-title' }, 'Permissions'),
      h('p', { class: 'muted' }, 'Tick what administrators with this role may do. “Access the API tokens settings page” is the minimum to see Settings > API Tokens.'),
      matrix.el) : null,
    save ? h('div', { class: 'form-actions' }, save, linkButton('Cancel', ROUTE, { kind: 'secondary' })) : null);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      showErrors(null, f, summary);
      const name = f.name.input.value.trim();
      if (!name) {
        showErrors({ message: '', details: { errors: [{ path: ['name'], message: 'Name is required.' }] } }, f, summary);
        return;
      }
      const body = { name, description: f.description.input.value.trim() };
      let rid = id;
      try {
        if (isNew) {
          rid = (await post('/admin/roles', body)).data.id;
        } else if (name !== role.name || body.description !== (role.description ?? '')) {
          await put(`/admin/roles/${encodeURIComponent(id)}`, body);
        }
        await put(`/admin/roles/${encodeURIComponent(rid)}/permissions`, { permissions: matrix.value() });
        await loadMe().catch(() => {}); // the user's own role may have changed
        navigate(`${ROUTE}/${rid}`, { replace: true, flash: { message: isNew ? 'The role was created.' : 'Your changes were saved.' } });
      } catch (err) {
        if (isNew && rid) {
          // the role exists, its permissions were refused: continue on its edit page
          navigate(`${ROUTE}/${rid}`, { replace: true, flash: { error: `The role was created, but its permissions were not saved: ${errorText(err)}` } });
          return;
        }
        showErrors(err, f, summary);
      }
    });
  });

  mount(ctx.main, back(),
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, isNew ? 'Create role' : role.name),
        h('p', { class: 'muted' }, isNew ? 'A new set of permissions for administrators.' : `${role.usersCount ?? 0} ${role.usersCount === 1 ? 'user has' : 'users have'} this role.`))),
    status, form);
}
