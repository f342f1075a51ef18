// Check a transaction: item (the catalogue searched as you type), from, to, parties, end use,
// date → the verdict per jurisdiction with every rule that fired, its citation and confidence
// mark, and the item's classification with its arithmetic (TPP, PD, ECCN).
import { get, post } from '../api.js';
import { add, clear, field, h, status, verdictLabel } from '../dom.js';

const CONFIDENCE = { V: 'verified against the source', S: 'from a secondary source', U: 'unverified or assumed' };
const mark = (c) => h('abbr', { class: `conf conf-${c}`, title: CONFIDENCE[c] || c }, `[${c}]`);

export function build(sec) {
  const item = h('input', { name: 'item', required: true, autocomplete: 'off', list: 'check-items' });
  const options = h('datalist', { id: 'check-items' });
  const found = h('p', { class: 'help', id: 'check-item-found', 'aria-live': 'polite' });
  const from = h('input', { name: 'from', size: 6, autocomplete: 'off', placeholder: 'US' });
  const to = h('input', { name: 'to', size: 6, required: true, autocomplete: 'off', placeholder: 'CN' });
  const exporter = h('input', { name: 'exporter', autocomplete: 'off' });
  const parties = h('textarea', { name: 'parties', rows: 2 });
  const endUse = h('input', { name: 'end_uses', autocomplete: 'off' });
  const asOf = h('input', { name: 'as_of', type: 'date' });
  const form = h('form', { class: 'form grid', id: 'check-form' },
    field('Item', item, 'model, name, Chinese name or HS code'), options,
    field('From', from, 'exporting country'), field('To', to, 'destination'),
    field('Exporter', exporter),
    field('Parties', parties, 'one name per line (screened)'),
    field('End use', endUse, 'comma-separated, e.g. military'),
    field('Date', asOf, 'today when empty'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Check')));
  const msg = h('p', { class: 'status', role: 'status' });
  const out = h('div', { id: 'check-results' });
  add(sec, h('h1', { id: 'check-h' }, 'Check a shipment'), form, found, msg, out);

  let timer = null, seq = 0;
  item.addEventListener('input', () => {
    clearTimeout(timer);
    const q = item.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const r = await get(`/v1/items?q=${encodeURIComponent(q)}&limit=8`);
        if (mine !== seq) return;
        add(clear(options), ...r.items.map((it) => h('option', { value: it.synonyms[0] || it.name }, `${it.name} · ${it.vendor || it.kind}`)));
        found.textContent = r.items.length ? `${r.items.length} catalogue item${r.items.length === 1 ? '' : 's'} match: ${r.items.slice(0, 4).map((i) => i.name).join('; ')}` : 'No catalogue item matches.';
      } catch (e) {
        found.textContent = e.message;
      }
    }, 200);
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const req = { items: [item.value.trim()], to: to.value.trim() };
    if (from.value.trim()) req.from = from.value.trim();
    if (exporter.value.trim()) req.exporter = exporter.value.trim();
    const ps = parties.value.split('\n').map((s) => s.trim()).filter(Boolean);
    if (ps.length) req.parties = ps;
    const eu = endUse.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (eu.length) req.end_uses = eu;
    if (asOf.value) req.as_of = asOf.value;
    status(msg, 'Checking…');
    clear(out);
    try {
      const d = await post('/v1/check', req);
      renderDetermination(d, out);
      status(msg, `Checked as of ${d.as_of} · rules ${d.rules_version}${d.record ? ` · audit record ${d.record}` : ''}`);
      for (const it of d.items) {
        if (!it.id) continue;
        const c = await post('/v1/classify', { model: it.id, as_of: d.as_of }).catch(() => null);
        if (c) add(out, renderClassification(c));
      }
    } catch (e) {
      status(msg, e.message, 'error');
    }
  });
}

function renderDetermination(d, out) {
  add(out, h('p', { class: `verdict v-${d.overall}`, id: 'check-overall' }, `Overall: ${verdictLabel(d.overall)}`));
  for (const j of d.jurisdictions) {
    add(out, h('section', { class: 'jurisdiction', dataset: { jurisdiction: j.jurisdiction }, 'aria-label': j.jurisdiction },
      h('h2', {}, `${j.jurisdiction}: `, h('span', { class: `verdict v-${j.verdict}` }, verdictLabel(j.verdict)),
        j.review_policy ? h('span', { class: 'help' }, ` · review policy ${j.review_policy.replaceAll('_', ' ')}`) : null),
      j.rules.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'rules' },
        h('caption', {}, `${j.rules.length} rule${j.rules.length === 1 ? '' : 's'} fired`),
        h('thead', {}, h('tr', {}, ['Rule', 'Outcome', 'Citation', 'Confidence'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, j.rules.map((r) => h('tr', { dataset: { rule: r.id } },
          h('td', {}, h('strong', {}, r.id), h('br'), r.title || '', r.entry ? h('div', { class: 'help' }, `party ${r.entry.party} → ${r.entry.name} (${r.entry.list}, score ${r.entry.score})`) : null),
          h('td', {}, r.outcome.replaceAll('_', ' ')),
          h('td', { class: 'citation' }, r.citation),
          h('td', {}, mark(r.confidence))))))) : h('p', { class: 'empty' }, 'No rule fired.'),
      j.exceptions && j.exceptions.length ? [h('h3', {}, 'Licence exceptions'), h('ul', {}, j.exceptions.map((x) => h('li', {}, typeof x === 'string' ? x : `${x.id || ''} ${x.title || ''} ${x.citation ? `(${x.citation})` : ''}`)))] : null,
      j.uncertain && j.uncertain.length ? [h('h3', {}, 'Uncertain facts'), h('ul', { class: 'uncertain' }, j.uncertain.map((u) => h('li', {}, mark(u.confidence), ` ${u.subject}: ${u.fact}`)))] : null));
  }
  add(out, h('p', { class: 'help legend' }, 'Confidence: ', Object.entries(CONFIDENCE).map(([k, v]) => [mark(k), ` ${v}  `])));
}

function renderClassification(c) {
  const comp = c.computation || {};
  const terms = comp.terms || [];
  return h('section', { class: 'classification', 'aria-label': `Classification of ${c.name}` },
    h('h2', {}, `Classification: ${c.name}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'ECCN'), h('dd', { id: 'class-eccn' }, c.eccn || '—'),
      h('dt', {}, 'Status'), h('dd', {}, `${(c.status || '').replaceAll('_', ' ')} — ${c.class || ''}`),
      c.tpp !== undefined ? [h('dt', {}, 'TPP'), h('dd', { id: 'class-tpp' }, c.tpp)] : null,
      c.pd !== undefined ? [h('dt', {}, 'PD'), h('dd', {}, c.pd)] : null),
    comp.formula ? h('p', { class: 'help' }, comp.formula) : null,
    terms.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'arithmetic' },
      h('caption', {}, 'TPP = dense TOPS × bit length, the largest over the precisions'),
      h('thead', {}, h('tr', {}, ['Precision', 'Dense TOPS', '× bits', '= TPP'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, terms.map((t) => h('tr', { class: t.precision === comp.winning_precision ? 'winner' : '' },
        h('td', {}, t.precision), h('td', {}, t.dense_tops),
        h('td', {}, t.bits ?? '—'), h('td', {}, t.tpp ?? (t.excluded ? `left out: ${t.excluded}` : '—'))))))) : null,
    comp.die_area_mm2 ? h('p', { class: 'arith', id: 'class-pd' },
      `PD = TPP / die area = ${comp.tpp} / ${comp.die_area_mm2} mm² = ${comp.pd}${comp.die_area_note ? ` (${comp.die_area_note})` : ''}`) : null,
    c.tests && c.tests.length ? [h('h3', {}, 'Classification tests'), h('ul', {}, c.tests.map((t) => h('li', {},
      `${t.result ? '✔' : '✘'} ${t.title || t.rule}`,
      t.tests ? h('ul', {}, t.tests.map((x) => h('li', {}, `${x.test}: ${x.value ?? ''} → ${x.result}`))) : null)))] : null);
}
