// A History API router for the panel's pages under /admin. Links are plain
// <a href="/admin/..."> elements: a document-level click handler turns
// same-origin clicks into pushState navigation. A page can hand data to the
// next one (a freshly created token's key) with navigate(path, {flash}).

const routes = [];
let renderFn = () => {};
let flash = null;

/** route('/admin/settings/api-tokens/:id', handler) */
export function route(pattern, handler, meta = {}) {
  routes.push({ parts: pattern.split('/').filter(Boolean), handler, meta, pattern });
}

/** The route matching `path`: {handler, meta, params} or null. */
export function match(path) {
  const segs = path.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const r of routes) {
    if (r.parts.length !== segs.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < segs.length && ok; i += 1) {
      const p = r.parts[i];
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(segs[i]);
        } catch {
          ok = false;
        }
      } else if (p !== segs[i]) {
        ok = false;
      }
    }
    if (ok) return { handler: r.handler, meta: r.meta, params, pattern: r.pattern };
  }
  return null;
}

export function navigate(path, { replace = false, flash: f = null } = {}) {
  flash = f;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  renderFn();
}

/** Take (once) the data handed over by the previous navigate(). */
export function takeFlash() {
  const f = flash;
  flash = null;
  return f;
}

export function start(render) {
  renderFn = render;
  window.addEventListener('popstate', () => {
    flash = null;
    renderFn();
  });
  document.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target instanceof Element ? ev.target.closest('a[href]') : null;
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !/^\/admin(\/|$)/.test(url.pathname)) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // in-page anchor
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
  renderFn();
}
