// First-run registration of the super admin, and login.

import { post } from '../api.js';
import { busy, field, h, mount, notice } from '../dom.js';
import { showErrors } from '../format.js';

export const PASSWORD_RULES = 'At least 8 characters, with at least one uppercase letter, one lowercase letter and one number.';

function authCard(ctx, title, intro, form) {
  const flash = ctx.flash?.message ? notice(ctx.flash.kind ?? 'info', h('p', {}, ctx.flash.message)) : null;
  if (flash) form.addEventListener('submit', () => flash.remove());
  mount(ctx.main,
    h('div', { class: 'auth-card' },
      h('p', { class: 'auth-brand' }, h('span', { class: 'brand__mark', 'aria-hidden': 'true' }), 'tollgate'),
      h('h1', {}, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      flash,
      form));
}

export async function registerPage(ctx) {
  ctx.title('Create the first administrator');
  const f = {
    firstname: field({ label: 'First name', name: 'firstname', required: true, autocomplete: 'given-name' }),
    lastname: field({ label: 'Last name', name: 'lastname', autocomplete: 'family-name' }),
    email: field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    password: field({
      label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'new-password', hint: PASSWORD_RULES,
    }),
    confirm: field({ label: 'Confirm password', name: 'confirmPassword', type: 'password', required: true, autocomplete: 'new-password' }),
  };
  const summary = h('div', { class: 'form-summary' });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary btn--block' }, "Let's start");
  const form = h('form', { class: 'form', novalidate: true },
    summary,
    h('div', { class: 'form-row' }, f.firstname.el, f.lastname.el),
    f.email.el, f.password.el, f.confirm.el, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      showErrors(null, f, summary);
      if (f.password.input.value !== f.confirm.input.value) {
        showErrors({ message: 'Passwords do not match', details: { errors: [{ path: ['confirm'], message: 'Passwords do not match.' }] } }, f, summary);
        return;
      }
      const body = {
        firstname: f.firstname.input.value.trim(),
        email: f.email.input.value.trim(),
        password: f.password.input.value,
      };
      if (f.lastname.input.value.trim()) body.lastname = f.lastname.input.value.trim();
      try {
        const res = await post('/admin/register-admin', body, { auth: false });
        await ctx.loggedIn(res.data.token);
      } catch (err) {
        showErrors(err, f, summary);
      }
    });
  });
  authCard(ctx, 'Welcome to tollgate', 'Create the first administrator of this project. This account will be a super admin, with every permission.', form);
}

const LOGIN_WORDS = {
  'Invalid credentials': 'The email or the password is wrong.',
  'Missing credentials': 'Enter your email and your password.',
  'User not active': 'This account is not active. Ask an administrator to activate it.',
};

export async function loginPage(ctx) {
  ctx.title('Log in');
  const f = {
    email: field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'username' }),
    password: field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
  };
  const summary = h('div', { class: 'form-summary' });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary btn--block' }, 'Log in');
  const form = h('form', { class: 'form', novalidate: true }, summary, f.email.el, f.password.el, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      showErrors(null, f, summary);
      try {
        const res = await post('/admin/login', { email: f.email.input.value.trim(), password: f.password.input.value }, { auth: false });
        await ctx.loggedIn(res.data.token);
      } catch (err) {
        if (LOGIN_WORDS[err.message]) err.message = LOGIN_WORDS[err.message];
        showErrors(err, f, summary);
      }
    });
  });
  authCard(ctx, 'Log in to tollgate', null, form);
}
