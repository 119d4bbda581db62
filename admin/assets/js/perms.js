// Who is logged in and what they may do: GET /admin/users/me and
// GET /admin/users/me/permissions, loaded after login and on every page load.
// The panel hides what the permissions do not allow; the API enforces it.

import { get } from './api.js';

export const me = { user: null, permissions: [] };

export async function loadMe() {
  const [u, p] = await Promise.all([get('/admin/users/me'), get('/admin/users/me/permissions')]);
  me.user = u?.data ?? null;
  me.permissions = Array.isArray(p?.data) ? p.data : [];
}

export function forget() {
  me.user = null;
  me.permissions = [];
}

/** Does the user hold `action` (on `subject`, for content-manager actions)? */
export function can(action, subject = null) {
  return me.permissions.some((p) => p.action === action && (subject === null || p.subject === subject));
}

/** Any content-manager read permission (the Content Manager entry). */
export function canReadSomeContent() {
  return me.permissions.some((p) => p.action === 'plugin::content-manager.explorer.read');
}

export function isSuperAdmin() {
  return Boolean(me.user?.roles?.some((r) => r.code === 'strapi-super-admin'));
}

export function displayName(u = me.user) {
  if (!u) return '';
  const name = [u.firstname, u.lastname].filter(Boolean).join(' ');
  return name || u.email;
}
