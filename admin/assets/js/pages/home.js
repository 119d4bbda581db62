// The landing page: a greeting and the sections this user may open.

import { h, mount } from '../dom.js';
import { can, canReadSomeContent, me } from '../perms.js';

export async function homePage(ctx) {
  ctx.title('Home');
  const cards = [
    canReadSomeContent() && {
      href: '/admin/content-manager', title: 'Content Manager', text: 'Create, edit and delete the entries of your content types.',
    },
    can('admin::api-tokens.access') && {
      href: '/admin/settings/api-tokens', title: 'API Tokens', text: 'Tokens that external clients use to call the Content API.',
    },
    can('admin::public-permissions.read') && {
      href: '/admin/settings/public-access', title: 'Public access', text: 'What requests without a token may do on the Content API.',
    },
    can('admin::admin-tokens.access') && {
      href: '/admin/settings/admin-tokens', title: 'Admin Tokens', text: 'Tokens for automations that call the Admin API.',
    },
    can('admin::users.read') && {
      href: '/admin/settings/users', title: 'Users', text: 'The administrators of this project.',
    },
    can('admin::roles.read') && {
      href: '/admin/settings/roles', title: 'Roles', text: 'What each kind of administrator may do.',
    },
  ].filter(Boolean);
  mount(ctx.main,
    h('h1', {}, `Welcome${me.user?.firstname ? `, ${me.user.firstname}` : ''}`),
    h('p', { class: 'muted' }, 'Manage the content and the access of this tollgate project.'),
    cards.length === 0
      ? h('p', {}, 'Your roles do not give you access to any section yet. Ask an administrator if you need one.')
      : h('ul', { class: 'cards' }, cards.map((c) => h('li', { class: 'card' },
        h('h2', { class: 'card__title' }, h('a', { href: c.href }, c.title)),
        h('p', {}, c.text)))));
}
