// Settings > Global settings > API Tokens and Settings > Administration
// Panel > Admin Tokens: the list, the create/edit view, regenerate, view
// and delete. Both kinds share this code; `cfg` says what differs.

import { del, get, post, put } from '../api.js';
import { announce, busy, button, confirmDialog, field, h, linkButton, mount, notice, table } from '../dom.js';
import { DURATIONS, durationLabel, errorText, expiry, formatDate, showErrors, time } from '../format.js';
import { can, displayName, me } from '../perms.js';
import { navigate } from '../router.js';
import { contentApiEditor, keyBox, permissionMatrix } from '../widgets.js';

export const API_TOKENS = Object.freeze({
  kind: 'api',
  base: '/admin/api-tokens',
  route: '/admin/settings/api-tokens',
  perm: 'admin::api-tokens',
  title: 'API Tokens',
  singular: 'API Token',
  intro: 'Tokens let external applications call the Content API (REST and GraphQL) without a user account.',
  createLabel: 'Create new API Token',
  emptyText: "You don't have any API tokens yet.",
  usage: 'Send it with each Content API request in the header Authorization: Bearer <token>.',
});

export const ADMIN_TOKENS = Object.freeze({
  kind: 'admin',
  base: '/admin/admin-tokens',
  route: '/admin/settings/admin-tokens',
  perm: 'admin::admin-tokens',
  title: 'Admin Tokens',
  singular: 'Admin Token',
  intro: 'Tokens let automations call the Admin API. A token acts with its own permissions, never more than its owner has.',
  createLabel: 'Create new Admin Token',
  emptyText: "You don't have any admin tokens yet.",
  usage: 'Send it with each Admin API request in the header Authorization: Bearer <token>.',
});

export const TYPES = [
  { value: 'read-only', label: 'Read-only' },
  { value: 'full-access', label: 'Full access' },
  { value: 'custom', label: 'Custom' },
];
const typeLabel = (t) => TYPES.find((x) => x.value === t)?.label ?? t;

// ---- list ------------------------------------------------------------------------

export async function tokenListPage(ctx, cfg) {
  ctx.title(cfg.title);
  const status = h('div', { class: 'status-slot' });
  if (ctx.flash?.message) status.append(notice('success', h('p', {}, ctx.flash.message)));
  const header = h('div', { class: 'page-header' },
    h('div', {}, h('h1', {}, cfg.title), h('p', { class: 'muted' }, cfg.intro)),
    can(`${cfg.perm}.create`) ? h('div', { class: 'page-actions' }, linkButton(cfg.createLabel, `${cfg.route}/create`)) : null);
  const body = h('div', {});
  mount(ctx.main, header, status, body);

  if (!can(`${cfg.perm}.read`)) {
    mount(body, notice('info', h('p', {}, 'Your roles let you open this page but not see the tokens (the "Read" permission is missing).')));
    return;
  }
  const load = async () => {
    const list = (await get(cfg.base))?.data ?? [];
    if (!ctx.alive()) return;
    if (list.length === 0) {
      mount(body, h('div', { class: 'empty' },
        h('p', { class: 'empty__title' }, cfg.emptyText),
        can(`${cfg.perm}.create`) ? linkButton(`Add your first ${cfg.singular}`, `${cfg.route}/create`, { kind: 'secondary' }) : null));
      return;
    }
    const columns = [
      { label: 'Name', cell: (t) => h('span', { class: 'strong' }, t.name) },
      { label: 'Description', cell: (t) => t.description || h('span', { class: 'muted' }, '—') },
      cfg.kind === 'api'
        ? { label: 'Token type', cell: (t) => typeLabel(t.type) }
        : { label: 'Owner', cell: (t) => (t.adminUserOwner ? displayName(t.adminUserOwner) : '—') },
      { label: 'Created', cell: (t) => time(t.createdAt) },
      { label: 'Last used', cell: (t) => (t.lastUsedAt ? time(t.lastUsedAt) : 'Never') },
      { label: 'Expires', cell: (t) => expiry(t.expiresAt) },
      {
        label: 'Actions',
        hiddenLabel: true,
        className: 'cell-actions',
        cell: (t) => h('div', { class: 'row-actions' },
          linkButton('Edit', `${cfg.route}/${t.id}`, { kind: 'secondary', class: 'btn btn--secondary btn--small', 'aria-label': `Edit ${t.name}` }),
          can(`${cfg.perm}.delete`) ? button('Delete', (ev) => remove(t, ev.currentTarget), {
            kind: 'danger-outline', class: 'btn btn--danger-outline btn--small', 'aria-label': `Delete ${t.name}`,
          }) : null),
      },
    ];
    mount(body, table({ caption: cfg.title, columns, rows: list, rowKey: (t) => t.id }));
  };
  const remove = async (t, btn) => {
    const ok = await confirmDialog({
      title: 'Delete this token?',
      body: h('p', {}, `“${t.name}” will stop working at once. This cannot be undone.`),
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await busy(btn, async () => {
      try {
        await del(`${cfg.base}/${t.id}`);
        await load();
        mount(status, notice('success', h('p', {}, `The token “${t.name}” was deleted.`)));
        announce(`The token ${t.name} was deleted.`);
        ctx.main.querySelector('h1')?.focus();
      } catch (err) {
        mount(status, notice('error', h('p', {}, errorText(err))));
      }
    });
  };
  await load();
}

// ---- create / edit ---------------------------------------------------------------------

export async function tokenEditPage(ctx, cfg) {
  const isNew = !ctx.params.id;
  const id = ctx.params.id;
  const flash = ctx.flash ?? {};

  // What the view needs, fetched together.
  const wants = {
    token: isNew ? null : get(`${cfg.base}/${encodeURIComponent(id)}`),
    catalogue: cfg.kind === 'api' ? get('/admin/content-api/permissions') : get('/admin/permissions'),
    routes: cfg.kind === 'api' ? get('/admin/content-api/routes').catch(() => null) : null,
    ceiling: cfg.kind === 'admin' && !isNew
      ? get(`${cfg.base}/${encodeURIComponent(id)}/owner-permissions`).catch(() => null) : null,
  };
  for (const w of Object.values(wants)) w?.catch(() => {}); // awaited below; no unhandled rejection if we stop early
  let token = null;
  try {
    token = wants.token ? (await wants.token).data : null;
  } catch (err) {
    if (err.status === 404) {
      ctx.title('Token not found');
      mount(ctx.main, backLink(cfg), h('h1', {}, 'Token not found'),
        h('p', {}, 'This token does not exist. It may have been deleted.'));
      return;
    }
    throw err;
  }
  const catalogue = (await wants.catalogue)?.data ?? {};
  const routes = (await wants.routes)?.data ?? {};
  const ceilingList = (await wants.ceiling)?.data ?? me.permissions;
  if (!ctx.alive()) return;

  ctx.title(isNew ? `Create ${cfg.singular}` : token.name);
  const canSave = isNew ? can(`${cfg.perm}.create`) : can(`${cfg.perm}.update`);
  const isOwner = cfg.kind !== 'admin' || isNew || token?.adminUserOwner?.id === me.user?.id;
  const canRegenerate = !isNew && can(`${cfg.perm}.regenerate`) && isOwner;
  const viewable = Boolean(token && typeof token.accessKey === 'string');

  // ---- the key at the top: after create / regenerate, or on "View token"
  const keySlot = h('div', { class: 'key-slot', id: 'token-key' });
  let viewBtn = null;
  const showKey = (title, accessKey, canView) => {
    mount(keySlot, keyBox({ title, accessKey, viewable: canView, usage: cfg.usage }));
    if (viewBtn) viewBtn.hidden = true;
  };
  if (flash.accessKey && !isNew) {
    showKey(flash.event === 'regenerated' ? 'Token regenerated' : 'Token created', flash.accessKey, viewable);
    ctx.focus = keySlot.firstChild;
  }

  // ---- fields
  const summary = h('div', { class: 'form-summary' });
  const f = {
    name: field({ label: 'Name', name: 'name', required: true, value: token?.name ?? '' }),
    description: field({
      label: 'Description', name: 'description', type: 'textarea', value: token?.description ?? '', hint: 'Optional.', rows: 2,
    }),
  };
  const durationOptions = isNew
    ? DURATIONS
    : [{ value: 'keep', label: `Keep the current duration (${durationLabel(token.lifespan)})` }, ...DURATIONS];
  f.lifespan = field({
    label: 'Token duration',
    name: 'lifespan',
    type: 'select',
    options: durationOptions,
    value: isNew ? DURATIONS[1].value : 'keep',
    hint: isNew ? null : 'Choosing a duration renews the token: it then expires that long after you save.',
  });
  let expiryLine = null;
  if (!isNew) {
    const expired = token.expiresAt && Date.parse(token.expiresAt) < Date.now();
    expiryLine = h('p', { class: `expiry${expired ? ' expiry--past' : ''}` },
      h('span', { class: 'strong' }, expired ? 'Expired on: ' : 'Expiration date: '),
      token.expiresAt ? formatDate(token.expiresAt) : 'none (unlimited)');
  }
  if (cfg.kind === 'api') {
    f.type = field({ label: 'Token type', name: 'type', type: 'select', options: TYPES, value: token?.type ?? 'read-only' });
  }

  // ---- permissions
  let perms;
  let permsWrap;
  let typeNote = null;
  if (cfg.kind === 'api') {
    perms = contentApiEditor({
      catalogue, routes, selected: token?.type === 'custom' ? token.permissions : [], readOnly: !canSave, label: 'Permissions',
    });
    typeNote = h('p', { class: 'muted' });
    permsWrap = h('section', { class: 'panel', 'aria-labelledby': 'perm-title' },
      h('h2', { id: 'perm-title' }, 'Permissions'),
      typeNote,
      h('div', { class: 'perm-custom' },
        h('p', { class: 'muted' }, 'Open a content type by its name and tick the actions this token may call.'),
        perms.el));
    const syncType = () => {
      const t = f.type.input.value;
      permsWrap.querySelector('.perm-custom').hidden = t !== 'custom';
      typeNote.textContent = t === 'read-only'
        ? 'A read-only token can call find and findOne on every content type.'
        : t === 'full-access'
          ? 'A full-access token can call every action of every content type.'
          : 'A custom token can call only the actions ticked below.';
    };
    f.type.input.addEventListener('change', syncType);
    syncType();
  } else {
    const held = new Set(ceilingList.map((p) => `${p.action}|${p.subject ?? ''}`));
    perms = permissionMatrix({
      catalogue: catalogue.sections ?? {},
      selected: token?.adminPermissions ?? [],
      allowed: (action, subject) => held.has(`${action}|${subject ?? ''}`),
      readOnly: !canSave,
      disabledHint: isNew || isOwner
        ? 'Only permissions that you hold can be given to a token; the others are shown disabled.'
        : 'Only permissions that the token\'s owner holds can be given to it; the others are shown disabled.',
    });
    permsWrap = h('section', { class: 'panel', 'aria-labelledby': 'perm-title' },
      h('h2', { id: 'perm-title' }, 'Permissions'), perms.el);
  }
  if (!canSave) {
    for (const x of Object.values(f)) x.input.disabled = true;
  }

  // ---- header: title, view / regenerate
  const headerActions = h('div', { class: 'page-actions' });
  if (!isNew && viewable && !flash.accessKey) {
    viewBtn = button('View token', () => {
      const open = viewBtn.getAttribute('aria-expanded') === 'true';
      if (open) {
        mount(keySlot);
        viewBtn.setAttribute('aria-expanded', 'false');
        viewBtn.textContent = 'View token';
      } else {
        mount(keySlot, keyBox({ title: 'Token', accessKey: token.accessKey, viewable: true, usage: cfg.usage }));
        viewBtn.setAttribute('aria-expanded', 'true');
        viewBtn.textContent = 'Hide token';
        keySlot.firstChild.focus();
      }
    }, { 'aria-expanded': 'false', 'aria-controls': 'token-key' });
    headerActions.append(viewBtn);
  }
  if (canRegenerate) {
    const regen = button('Regenerate', async () => {
      const ok = await confirmDialog({
        title: 'Regenerate token',
        body: h('p', {}, 'The current key of this token stops working at once; applications using it will need the new key.'),
        confirm: 'Regenerate',
      });
      if (!ok) return;
      await busy(regen, async () => {
        try {
          const res = await post(`${cfg.base}/${encodeURIComponent(id)}/regenerate`, {});
          let canView = false;
          try {
            canView = typeof (await get(`${cfg.base}/${encodeURIComponent(id)}`))?.data?.accessKey === 'string';
          } catch {
            canView = false;
          }
          showKey('Token regenerated', res.data.accessKey, canView);
          announce('The token was regenerated. The new key is shown at the top of the page.');
          keySlot.firstChild.focus();
        } catch (err) {
          mount(keySlot, notice('error', h('p', {}, errorText(err))));
        }
      });
    });
    headerActions.append(regen);
  }

  const status = h('div', { class: 'status-slot' });
  if (flash.message) status.append(notice('success', h('p', {}, flash.message)));
  if (!isNew && !viewable && !flash.accessKey) {
    status.append(notice('info', h('p', {}, cfg.kind === 'admin' && !isOwner
      ? 'Only the owner of this token can see its key.'
      : 'The key of this token cannot be shown again. If it is lost, regenerate the token to get a new key.')));
  }
  if (!isNew && !canSave) status.append(notice('info', h('p', {}, 'You can view this token but your roles do not let you change it.')));

  const save = canSave ? h('button', { type: 'submit', class: 'btn btn--primary' }, 'Save') : null;
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'page-title' },
    summary,
    h('section', { class: 'panel', 'aria-labelledby': 'details-title' },
      h('h2', { id: 'details-title' }, 'Details'),
      h('div', { class: 'form-grid' },
        f.name.el,
        f.description.el,
        h('div', {}, f.lifespan.el, expiryLine),
        f.type ? f.type.el : null),
      !isNew ? h('dl', { class: 'meta' },
        h('dt', {}, 'Created'), h('dd', {}, time(token.createdAt)),
        h('dt', {}, 'Last used'), h('dd', {}, token.lastUsedAt ? time(token.lastUsedAt) : 'Never'),
        cfg.kind === 'admin' && token.adminUserOwner
          ? [h('dt', {}, 'Owner'), h('dd', {}, `${displayName(token.adminUserOwner)} (${token.adminUserOwner.email})`)]
          : null) : null),
    permsWrap,
    save ? h('div', { class: 'form-actions' }, save, linkButton('Cancel', cfg.route, { kind: 'secondary' })) : null);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!save) return;
    busy(save, async () => {
      showErrors(null, f, summary);
      const name = f.name.input.value.trim();
      if (!name) {
        showErrors({ message: 'Name is required', details: { errors: [{ path: ['name'], message: 'Name is required.' }] } }, f, summary);
        return;
      }
      const body = { name, description: f.description.input.value.trim() };
      const life = f.lifespan.input.value;
      if (life !== 'keep') body.lifespan = life === '' ? null : Number(life);
      if (cfg.kind === 'api') {
        body.type = f.type.input.value;
        if (body.type === 'custom') body.permissions = perms.value();
      } else {
        body.adminPermissions = perms.value();
      }
      try {
        if (isNew) {
          const res = await post(cfg.base, body);
          navigate(`${cfg.route}/${res.data.id}`, { replace: true, flash: { accessKey: res.data.accessKey, event: 'created' } });
        } else {
          await put(`${cfg.base}/${encodeURIComponent(id)}`, body);
          announce('Saved');
          const keep = flash.accessKey && keySlot.firstChild ? { accessKey: flash.accessKey, event: flash.event } : {};
          navigate(ctx.path, { replace: true, flash: { ...keep, message: 'Your changes were saved.' } });
        }
      } catch (err) {
        showErrors(err, f, summary);
      }
    });
  });

  mount(ctx.main,
    backLink(cfg),
    h('div', { class: 'page-header' },
      h('div', {},
        h('h1', { id: 'page-title' }, isNew ? `Create ${cfg.singular}` : token.name),
        isNew ? h('p', { class: 'muted' }, cfg.intro) : h('p', { class: 'muted' }, cfg.singular)),
      headerActions.childNodes.length ? headerActions : null),
    keySlot,
    status,
    form);
}

function backLink(cfg) {
  return h('p', { class: 'back' }, h('a', { href: cfg.route }, h('span', { 'aria-hidden': 'true' }, '← '), `Back to ${cfg.title}`));
}
