// Settings > Global settings > Public access: the content-API actions that
// requests without any token may call.

import { get, put } from '../api.js';
import { announce, busy, h, mount, notice } from '../dom.js';
import { errorText } from '../format.js';
import { can } from '../perms.js';
import { contentApiEditor } from '../widgets.js';

export async function publicAccessPage(ctx) {
  ctx.title('Public access');
  const [catalogue, routes, current] = await Promise.all([
    get('/admin/content-api/permissions'),
    get('/admin/content-api/routes').catch(() => null),
    get('/admin/content-api/public-permissions'),
  ]);
  if (!ctx.alive()) return;
  const canSave = can('admin::public-permissions.update');
  const editor = contentApiEditor({
    catalogue: catalogue?.data ?? {}, routes: routes?.data ?? {}, selected: current?.data?.actions ?? [], readOnly: !canSave, label: 'Public actions',
  });
  const status = h('div', { class: 'status-slot' });
  if (!canSave) status.append(notice('info', h('p', {}, 'Your roles let you see these settings but not change them.')));
  const save = canSave ? h('button', { type: 'submit', class: 'btn btn--primary' }, 'Save') : null;
  const form = h('form', { class: 'form' },
    h('section', { class: 'panel', 'aria-labelledby': 'pub-title' },
      h('h2', { id: 'pub-title' }, 'Actions open to everyone'),
      h('p', { class: 'muted' }, 'Open a content type by its name and tick the actions that need no token. Leave everything unticked to require a token for every request.'),
      editor.el),
    save ? h('div', { class: 'form-actions' }, save) : null);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      try {
        const res = await put('/admin/content-api/public-permissions', { actions: editor.value() });
        const n = res?.data?.actions?.length ?? 0;
        const msg = n === 0 ? 'Saved. Nothing is public: every request needs a token.' : `Saved. ${n} ${n === 1 ? 'action is' : 'actions are'} public.`;
        mount(status, notice('success', h('p', {}, msg)));
        announce(msg);
      } catch (err) {
        mount(status, notice('error', h('p', {}, errorText(err))));
      }
    });
  });
  mount(ctx.main,
    h('div', { class: 'page-header' },
      h('div', {}, h('h1', {}, 'Public access'),
        h('p', { class: 'muted' }, 'Requests to the Content API without an Authorization header may call only the actions chosen here.'))),
    status, form);
}
