// A small element builder: h('p', {class: 'x', on: {click: f}}, 'text', child…). No innerHTML of
// data anywhere (names from lists are text), no inline style attributes (the CSP forbids them;
// sizes are set through the CSSOM).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
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

export const clear = (el) => { el.replaceChildren(); return el; };

// el.append that also takes arrays and skips null, false and undefined.
export const add = (el, ...children) => { append(el, children); return el; };

let ids = 0;
export const uid = (p) => `${p}-${++ids}`;

// A labelled form field: label, control, optional help text.
export function field(label, control, help) {
  if (!control.id) control.id = uid('f');
  const helpEl = help ? h('span', { class: 'help', id: `${control.id}-help` }, help) : null;
  if (helpEl) control.setAttribute('aria-describedby', helpEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, helpEl);
}

// A score 0..1 as a bar with its number; the width is set through the CSSOM.
export function scoreBar(score, label) {
  const fill = h('span', { class: 'fill' });
  fill.style.width = `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
  if (score >= 0.95) fill.classList.add('high');
  else if (score >= 0.88) fill.classList.add('mid');
  return h('span', { class: 'score', role: 'img', 'aria-label': `${label || 'score'} ${score.toFixed(3)}` },
    h('span', { class: 'bar' }, fill), h('span', { class: 'num', 'aria-hidden': 'true' }, score.toFixed(3)));
}

export function status(el, text, kind) {
  el.textContent = text || '';
  el.className = `status ${kind || ''}`;
}

export const verdictLabel = (v) => ({
  no_license_required: 'No licence required', license_exception: 'Licence exception',
  undetermined: 'Undetermined', license_required: 'Licence required', prohibited: 'Prohibited',
}[v] || v);

export function pre(value) {
  return h('pre', { class: 'json', tabindex: '0' }, JSON.stringify(value, null, 2));
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
