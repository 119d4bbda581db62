// Small DOM helpers: an element builder, labelled form fields with inline
// errors, a modal confirmation dialog, a live region and a copy button. No
// inline styles anywhere (the panel's CSP is style-src 'self'): classes and
// the `hidden` attribute only.

let idCounter = 0;
/** A document-unique id with a readable prefix. */
export function uid(prefix = 'el') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * h('button', {class: 'btn', onclick: fn, 'aria-label': 'x'}, 'text', child...)
 * Attributes: `class`, `text`, `html` is not supported on purpose; `on<event>`
 * functions become listeners; `true` sets a boolean attribute, `false`/null
 * leaves it out; `for` and everything else are plain attributes. Children are
 * nodes, strings, or (nested) arrays of them; null/false/undefined are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'text') {
      el.textContent = String(v);
    } else if (k === 'value' && 'value' in el) {
      el.value = v;
    } else if (k === 'checked' || k === 'indeterminate') {
      el[k] = Boolean(v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replace every child of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---- announcements -------------------------------------------------------

/** Say `msg` to screen readers (polite live region). */
export function announce(msg) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes repeated messages heard again.
  setTimeout(() => { region.textContent = msg; }, 30);
}

/**
 * A notice box: kind 'success' | 'error' | 'info' | 'warning'. Errors use
 * role=alert, the others role=status.
 */
export function notice(kind, ...content) {
  return h('div', { class: `notice notice--${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

// ---- form fields -----------------------------------------------------------

/**
 * A labelled control with an optional hint and an inline error slot.
 * opts: label, name, type ('text', 'email', 'password', 'textarea', 'select',
 * 'checkbox', 'number', ...), value, required, hint, options ([{value, label}]
 * for selects), autocomplete, attrs (extra attributes of the control).
 * Returns {el, input, setError(msg|null), label}.
 */
export function field(opts) {
  const id = uid(opts.name ?? 'field');
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const type = opts.type ?? 'text';
  const describedBy = [opts.hint ? hintId : null, errId].filter(Boolean).join(' ');
  const common = {
    id,
    name: opts.name,
    required: opts.required ? true : null,
    'aria-describedby': describedBy,
    ...(opts.attrs ?? {}),
  };
  let input;
  if (type === 'textarea') {
    input = h('textarea', { ...common, rows: opts.rows ?? 3 });
    input.value = opts.value ?? '';
  } else if (type === 'select') {
    input = h('select', common, (opts.options ?? []).map((o) => h('option', { value: o.value, disabled: o.disabled }, o.label)));
    if (opts.value !== undefined) input.value = opts.value;
  } else if (type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: Boolean(opts.value) });
  } else {
    input = h('input', { ...common, type, autocomplete: opts.autocomplete ?? null });
    input.value = opts.value ?? '';
  }
  const label = h('label', { for: id, class: opts.required ? 'is-required' : null }, opts.label);
  const hint = opts.hint ? h('p', { class: 'hint', id: hintId }, opts.hint) : null;
  const error = h('p', { class: 'field-error', id: errId, hidden: true });
  const el = type === 'checkbox'
    ? h('div', { class: 'field field--checkbox' }, input, label, hint, error)
    : h('div', { class: 'field' }, label, input, hint, error);
  const setError = (msg) => {
    if (msg) {
      error.textContent = msg;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    } else {
      error.textContent = '';
      error.hidden = true;
      input.removeAttribute('aria-invalid');
    }
  };
  return { el, input, setError, label, id, labelText: opts.label };
}

// ---- buttons -----------------------------------------------------------------

export function button(text, onclick, { kind = 'secondary', type = 'button', ...attrs } = {}) {
  return h('button', { type, class: `btn btn--${kind}`, onclick, ...attrs }, text);
}

/** A link styled as a button (navigation is done by the router's click handler). */
export function linkButton(text, href, { kind = 'primary', ...attrs } = {}) {
  return h('a', { href, class: `btn btn--${kind}`, ...attrs }, text);
}

/** Disable a button while `fn` runs; re-enable afterwards. */
export async function busy(btn, fn) {
  const was = btn.disabled;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    btn.disabled = was;
    btn.removeAttribute('aria-busy');
  }
}

// ---- dialogs -------------------------------------------------------------------

/**
 * A modal confirmation (native <dialog>: focus is kept inside, Escape
 * cancels). Resolves true when the confirm button is pressed.
 * opts: title, body (string or nodes), confirm (button text), danger.
 */
export function confirmDialog({ title, body, confirm = 'Confirm', cancel = 'Cancel', danger = false }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg-title');
    const bodyId = uid('dlg-body');
    let result = false;
    const cancelBtn = button(cancel, () => dlg.close());
    const okBtn = button(confirm, () => { result = true; dlg.close(); }, { kind: danger ? 'danger' : 'primary' });
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId },
      h('h2', { id: titleId, class: 'dialog__title' }, title),
      h('div', { id: bodyId, class: 'dialog__body' }, body),
      h('div', { class: 'dialog__actions' }, cancelBtn, okBtn));
    const opener = document.activeElement;
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
    cancelBtn.focus();
  });
}

// ---- copy ------------------------------------------------------------------------

/** Copy `text` to the clipboard; falls back to a selection copy outside secure contexts. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the selection copy
    }
  }
  const ta = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** A "Copy" button for `getText()`, announcing the result. */
export function copyButton(getText, label = 'Copy', accessibleName = null) {
  const btn = button(label, async () => {
    const ok = await copyText(getText());
    btn.textContent = ok ? 'Copied' : 'Copy failed';
    announce(ok ? 'Copied to the clipboard' : 'Could not copy: select the text and copy it by hand');
    setTimeout(() => { btn.textContent = label; }, 2000);
  }, { 'aria-label': accessibleName });
  return btn;
}

// ---- tables ------------------------------------------------------------------------

/**
 * A data table that turns into labelled cards on narrow screens (CSS reads
 * data-label). columns: [{label, cell(row) -> node|string, className,
 * hiddenLabel}]. caption is visually hidden.
 */
export function table({ caption, columns, rows, rowKey }) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className },
        c.hiddenLabel ? h('span', { class: 'visually-hidden' }, c.label) : (c.header ?? c.label))))),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-key': rowKey ? rowKey(r) : null },
        columns.map((c) => h('td', { 'data-label': c.hiddenLabel ? '' : c.label, class: c.className }, c.cell(r))))))));
}
