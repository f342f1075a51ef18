// Impact: upload an order book, pick two dates → the HTML impact report, shown inline. The
// report is a self-contained page with its own <style>; under this page's CSP (no inline styles)
// it is placed in a shadow root with its stylesheet adopted through the CSSOM, and its few style
// attributes re-applied through the CSSOM, so it looks as it does on its own and nothing leaks.
import { api, get } from '../api.js';
import { add, clear, field, h, status } from '../dom.js';

export function build(sec, ctx) {
  add(sec, h('h1', { id: 'impact-h' }, 'Impact of rule changes on an order book'));
  if (!['analyst', 'approver', 'admin'].includes(ctx.me.role)) {
    add(sec, h('p', { class: 'note' }, `The role ${ctx.me.role} may not run impact reports.`));
    return;
  }
  const file = h('input', { type: 'file', name: 'orders', accept: '.csv,text/csv', required: true });
  const from = h('input', { type: 'date', name: 'from', required: true });
  const to = h('input', { type: 'date', name: 'to', required: true });
  const rules = h('p', { class: 'help', id: 'impact-rules' });
  const form = h('form', { class: 'form grid', id: 'impact-form' },
    field('Order book (CSV: id, date, exporter, customer, destination, item, quantity, unit_value, currency)', file),
    field('From date', from), field('To date', to),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Compare')));
  const msg = h('p', { class: 'status', role: 'status' });
  const host = h('div', { id: 'impact-report', class: 'report-host', hidden: true });
  add(sec, form, rules, msg, host);
  get('/v1/rules').then((r) => {
    rules.textContent = `Both dates are answered with the rule pack in force (version ${r.version}), each rule as it stood on that date. Comparing two rule-pack versions is done with clearance impact on the command line.`;
  }).catch(() => {});

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    status(msg, 'Running the order book on both dates…');
    clear(host);
    try {
      const { data: html, headers } = await api(`/v1/impact?from=${from.value}&to=${to.value}`,
        { method: 'POST', body: await f.text(), type: 'text/csv', accept: 'text/html' });
      showReport(host, html);
      const rec = headers.get('X-Clearance-Audit-Id');
      add(clear(msg), `Report for ${f.name}: ${from.value} → ${to.value}`);
      if (rec) add(msg, ' · ', h('a', { href: '#record', on: { click: (e) => { e.preventDefault(); ctx.go('record', rec); } } }, `audit record ${rec}`));
      msg.className = 'status ok';
    } catch (e) {
      status(msg, e.message, 'error');
    }
  });
}

export function showReport(host, html) {
  // A document parsed here is under this page's CSP too: the report's <style> blocks and style
  // attributes are taken out of the text before it is parsed (the generator escapes quotes in
  // text, so a raw `style="` only occurs inside a tag).
  const css = [];
  html = html.replace(/<style>([\s\S]*?)<\/style>/g, (_, c) => { css.push(c); return ''; })
    .replace(/ style="([^"]*)"/g, ' data-styled="$1"');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const s of doc.querySelectorAll('script, meta, link')) s.remove();
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css.join('\n')
    .replace(/:root/g, ':host')
    .replace(/(^|[}\s])body\{/g, '$1.report-body{')
    .replace(/(^|[}\s])main\{/g, '$1.report-main{'));
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [sheet];
  const wrap = document.createElement('div');
  wrap.className = 'report-body';
  for (const n of [...doc.body.childNodes]) {
    const node = document.importNode(n, true);
    // One main landmark per page: the report's becomes a region.
    if (node.nodeName === 'MAIN') {
      const div = document.createElement('div');
      div.className = 'report-main';
      div.setAttribute('role', 'region');
      div.setAttribute('aria-label', 'Impact report');
      div.append(...node.childNodes);
      wrap.append(div);
    } else if (node.nodeName === 'HEADER') {
      const div = document.createElement('div');
      div.className = 'report-header';
      div.append(...node.childNodes);
      wrap.append(div);
    } else {
      wrap.append(node);
    }
  }
  for (const el of wrap.querySelectorAll('[data-styled]')) {
    el.style.cssText = el.getAttribute('data-styled');  // through the CSSOM, which the CSP allows
    el.removeAttribute('data-styled');
  }
  // The report's h1 is the page's second: it becomes an h2 under the screen's heading.
  for (const h1 of wrap.querySelectorAll('h1')) {
    const h2 = document.createElement('h2');
    h2.className = 'report-title';
    h2.append(...h1.childNodes);
    h1.replaceWith(h2);
  }
  root.replaceChildren(wrap);
  host.hidden = false;
}
