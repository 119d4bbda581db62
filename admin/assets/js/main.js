// The panel's entry point: first-run registration or login, the layout
// (navigation filtered by the user's permissions), and the page routes.

import { get, post, session, setUnauthorizedHandler } from './api.js';
import { announce, button, h, mount, notice } from './dom.js';
import { errorText } from './format.js';
import { can, canReadSomeContent, displayName, forget, loadMe, me } from './perms.js';
import { match, navigate, route, start, takeFlash } from './router.js';
import { loginPage, registerPage } from './pages/auth.js';
import { homePage } from './pages/home.js';
import { tokenEditPage, tokenListPage, API_TOKENS, ADMIN_TOKENS } from './pages/tokens.js';
import { userEditPage, userListPage } from './pages/users.js';
import { roleEditPage, roleListPage } from './pages/roles.js';
import { publicAccessPage } from './pages/public.js';
import { cmEntryPage, cmIndexPage, cmListPage, cmSinglePage } from './pages/content.js';

const RETURN_KEY = 'tollgate.returnTo';
const LOGIN = '/admin/auth/login';
const REGISTER = '/admin/auth/register-admin';

const app = document.getElementById('app');
let hasAdmin = null;
let renderSeq = 0;
let redirecting = false;
let permsLoadedAt = 0;

// ---- routes ----------------------------------------------------------------------

const pub = { public: true };
route(LOGIN, loginPage, pub);
route(REGISTER, registerPage, pub);
route('/admin', homePage);
route('/admin/content-manager', cmIndexPage, { need: canReadSomeContent, section: 'content' });
route('/admin/content-manager/collection-types/:ns/:name', cmListPage, { section: 'content' });
route('/admin/content-manager/collection-types/:ns/:name/create', cmEntryPage, { section: 'content' });
route('/admin/content-manager/collection-types/:ns/:name/:documentId', cmEntryPage, { section: 'content' });
route('/admin/content-manager/single-types/:ns/:name', cmSinglePage, { section: 'content' });
route('/admin/settings', settingsIndex);

const tokenNeed = (cfg) => () => can(`${cfg.perm}.access`);
for (const cfg of [API_TOKENS, ADMIN_TOKENS]) {
  route(cfg.route, (ctx) => tokenListPage(ctx, cfg), { need: tokenNeed(cfg) });
  route(`${cfg.route}/create`, (ctx) => tokenEditPage(ctx, cfg), { need: () => can(`${cfg.perm}.access`) && can(`${cfg.perm}.create`) });
  route(`${cfg.route}/:id`, (ctx) => tokenEditPage(ctx, cfg), { need: () => can(`${cfg.perm}.access`) && can(`${cfg.perm}.read`) });
}
route('/admin/settings/users', userListPage, { need: () => can('admin::users.read') });
route('/admin/settings/users/create', userEditPage, { need: () => can('admin::users.create') });
route('/admin/settings/users/:id', userEditPage, { need: () => can('admin::users.read') });
route('/admin/settings/roles', roleListPage, { need: () => can('admin::roles.read') });
route('/admin/settings/roles/create', roleEditPage, { need: () => can('admin::roles.create') });
route('/admin/settings/roles/:id', roleEditPage, { need: () => can('admin::roles.read') });
route('/admin/settings/public-access', publicAccessPage, { need: () => can('admin::public-permissions.read') });

/** The settings pages the user may open, in menu order. */
function settingsLinks() {
  return [
    {
      heading: 'Global settings',
      links: [
        { href: API_TOKENS.route, text: 'API Tokens', show: can('admin::api-tokens.access') },
        { href: '/admin/settings/public-access', text: 'Public access', show: can('admin::public-permissions.read') },
      ],
    },
    {
      heading: 'Administration Panel',
      links: [
        { href: ADMIN_TOKENS.route, text: 'Admin Tokens', show: can('admin::admin-tokens.access') },
        { href: '/admin/settings/users', text: 'Users', show: can('admin::users.read') },
        { href: '/admin/settings/roles', text: 'Roles', show: can('admin::roles.read') },
      ],
    },
  ].map((g) => ({ ...g, links: g.links.filter((l) => l.show) })).filter((g) => g.links.length > 0);
}

async function settingsIndex(ctx) {
  const first = settingsLinks()[0]?.links[0];
  if (first) {
    navigate(first.href, { replace: true });
    return;
  }
  ctx.title('Settings');
  mount(ctx.main, h('h1', { tabindex: '-1' }, 'Settings'),
    h('p', {}, 'Your roles do not give you access to any settings page.'));
}

// ---- layout ------------------------------------------------------------------------

function navLink(href, text, path) {
  const current = path === href || (href !== '/admin' && path.startsWith(`${href}/`));
  return h('li', {}, h('a', { href, class: 'nav-link', 'aria-current': current ? 'page' : null }, text));
}

function buildNav(path) {
  const nav = h('nav', { id: 'sidebar', class: 'sidebar', 'aria-label': 'Main' });
  const top = [navLink('/admin', 'Home', path)];
  if (canReadSomeContent()) top.push(navLink('/admin/content-manager', 'Content Manager', path));
  const groups = settingsLinks();
  mount(nav,
    h('ul', { class: 'nav-list' }, top),
    groups.length > 0 ? h('h2', { class: 'nav-heading' }, 'Settings') : null,
    groups.map((g) => {
      const id = `nav-${g.heading.toLowerCase().replace(/\W+/g, '-')}`;
      return h('div', { class: 'nav-group' },
        h('h3', { class: 'nav-subheading', id }, g.heading),
        h('ul', { class: 'nav-list', 'aria-labelledby': id }, g.links.map((l) => navLink(l.href, l.text, path))));
    }),
    h('div', { class: 'nav-user' },
      h('p', { class: 'nav-user__name' }, h('span', { class: 'visually-hidden' }, 'Signed in as '), displayName()),
      h('p', { class: 'nav-user__role' }, (me.user?.roles ?? []).map((r) => r.name).join(', ')),
      button('Log out', logout, { class: 'btn btn--secondary btn--small' })));
  nav.addEventListener('keydown', (ev) => {
    const toggle = document.querySelector('.menu-toggle');
    if (ev.key === 'Escape' && toggle?.getAttribute('aria-expanded') === 'true') {
      toggle.setAttribute('aria-expanded', 'false');
      nav.classList.remove('sidebar--open');
      toggle.focus();
    }
  });
  return nav;
}

function layoutApp(path) {
  const nav = buildNav(path);
  const toggle = h('button', {
    type: 'button', class: 'menu-toggle', 'aria-expanded': 'false', 'aria-controls': 'sidebar',
  }, 'Menu');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    document.getElementById('sidebar')?.classList.toggle('sidebar--open', open);
  });
  const header = h('header', { class: 'topbar' },
    h('a', { href: '/admin', class: 'brand' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }), 'tollgate'),
    toggle);
  const main = h('main', { id: 'main', class: 'content', tabindex: '-1' });
  app.className = 'app app--shell';
  mount(app, header, nav, main);
  return main;
}

/**
 * Roles can change while the panel is open: re-read the user's permissions
 * (at most every 15 s, after a page is shown) and redraw the menu if they
 * changed. A lost session shows up here as a 401, too.
 */
async function refreshPermissions(path, seq) {
  if (Date.now() - permsLoadedAt < 15_000) return;
  const before = JSON.stringify(me.permissions);
  try {
    await loadMe();
    permsLoadedAt = Date.now();
  } catch {
    return;
  }
  if (seq !== renderSeq || JSON.stringify(me.permissions) === before) return;
  document.getElementById('sidebar')?.replaceWith(buildNav(path));
}

function layoutAuth() {
  const main = h('main', { id: 'main', class: 'auth', tabindex: '-1' });
  app.className = 'app app--auth';
  mount(app, main);
  return main;
}

// ---- session -------------------------------------------------------------------------

async function logout() {
  try {
    await post('/admin/logout', {});
  } catch {
    // the session may already be gone; logging out locally is what matters
  }
  session.clear();
  forget();
  sessionStorage.removeItem(RETURN_KEY);
  navigate(LOGIN, { replace: true, flash: { message: 'You have been logged out.' } });
  announce('You have been logged out.');
}

setUnauthorizedHandler(() => {
  const m = match(location.pathname);
  if (redirecting || m?.meta.public) return;
  redirecting = true;
  forget();
  sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
  navigate(LOGIN, { replace: true, flash: { message: 'Your session has expired. Please log in again.', kind: 'warning' } });
});

/** Called by the login and registration pages (ctx.loggedIn) with a new session JWT. */
async function loggedIn(token) {
  session.set(token);
  hasAdmin = true;
  await loadMe();
  permsLoadedAt = Date.now();
  const back = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  const target = back && back.startsWith('/admin') && !back.startsWith('/admin/auth') ? back : '/admin';
  navigate(target, { replace: true });
}

// ---- rendering ------------------------------------------------------------------------

async function render() {
  renderSeq += 1;
  const seq = renderSeq;
  redirecting = false;
  const path = location.pathname.replace(/\/+$/, '') || '/admin';
  const flash = takeFlash();

  if (hasAdmin === null) {
    try {
      hasAdmin = Boolean((await get('/admin/init', { auth: false }))?.data?.hasAdmin);
    } catch (err) {
      mount(layoutAuth(), notice('error', h('p', {}, errorText(err))), button('Try again', () => render()));
      return;
    }
    if (seq !== renderSeq) return;
  }
  if (!hasAdmin && path !== REGISTER) {
    navigate(REGISTER, { replace: true });
    return;
  }
  if (hasAdmin && path === REGISTER) {
    navigate(LOGIN, { replace: true });
    return;
  }

  const m = match(path);
  if (m && !m.meta.public) {
    if (!session.token) {
      sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
      navigate(LOGIN, { replace: true });
      return;
    }
    if (!me.user) {
      try {
        await loadMe();
        permsLoadedAt = Date.now();
      } catch (err) {
        if (err.status === 401 || seq !== renderSeq) return;
        mount(layoutAuth(), notice('error', h('p', {}, errorText(err))), button('Try again', () => render()));
        return;
      }
      if (seq !== renderSeq) return;
    }
  } else if (m?.meta.public && session.token && path === LOGIN && !flash) {
    navigate('/admin', { replace: true });
    return;
  }

  const main = m?.meta.public ? layoutAuth() : (session.token ? layoutApp(path) : layoutAuth());
  const ctx = {
    params: m?.params ?? {},
    query: new URLSearchParams(location.search),
    flash,
    main,
    path,
    alive: () => seq === renderSeq,
    title: (t) => { document.title = `${t} · tollgate admin`; },
    focus: null,
    loggedIn,
  };
  mount(main, h('p', { class: 'loading', role: 'status' }, 'Loading…'));

  try {
    if (!m) {
      ctx.title('Page not found');
      mount(main, h('h1', { tabindex: '-1' }, 'Page not found'),
        h('p', {}, 'There is no page at this address. ', h('a', { href: '/admin' }, 'Go to the home page'), '.'));
    } else if (m.meta.need && !m.meta.need()) {
      ctx.title('No access');
      mount(main, h('h1', { tabindex: '-1' }, 'No access'),
        h('p', {}, 'Your roles do not give you access to this page. Ask an administrator if you need it.'),
        h('p', {}, h('a', { href: '/admin' }, 'Go to the home page')));
    } else {
      await m.handler(ctx);
    }
  } catch (err) {
    if (!ctx.alive() || err?.status === 401) return;
    if (err?.status === 403) permsLoadedAt = 0; // the roles changed: re-read them below
    ctx.title('Error');
    mount(main, h('h1', { tabindex: '-1' }, 'Something went wrong'), notice('error', h('p', {}, errorText(err))));
    if (err?.status === undefined) console.error(err); // a bug in the panel, not an API answer
  }
  if (!ctx.alive()) return;
  const target = ctx.focus ?? main.querySelector('h1');
  if (target && !(document.activeElement && main.contains(document.activeElement) && document.activeElement !== main)) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
  if (m && !m.meta.public) refreshPermissions(path, seq);
}

start(render);
