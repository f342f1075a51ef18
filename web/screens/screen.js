// Screen one name (any script) with optional country, type, date of birth and customer id: hits
// with score bars, every word bridge of the explanation, list, programmes, the entry in full with
// its source link, and the review case each hit opened (or the false positive suppressing it).
import { get, post } from '../api.js';
import { add, clear, field, h, scoreBar, status } from '../dom.js';

let out, msg;

export function build(sec, ctx) {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off'});
  const country = h('input', { name: 'country', maxlength: '40', autocomplete: 'off', size: 8 });
  const type = h('select', { name: 'type' }, ['', 'person', 'entity', 'vessel', 'aircraft'].map((t) => h('option', { value: t }, t || 'any')));
  const dob = h('input', { name: 'dob', autocomplete: 'off', placeholder: 'YYYY-MM-DD', size: 12 });
  const customer = h('input', { name: 'customer_id', autocomplete: 'off', size: 12 });
  const form = h('form', { class: 'form grid', id: 'screen-form' },
    field('Name (any script)', name),
    field('Country', country, 'ISO code or name'),
    field('Type', type),
    field('Date of birth', dob, 'YYYY, YYYY-MM or YYYY-MM-DD'),
    field('Customer id', customer, 'keys the review cases'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Screen')));
  msg = h('p', { class: 'status', role: 'status' });
  out = h('div', { id: 'screen-results', 'aria-live': 'polite' });
  add(sec, h('h1', { id: 'screen-h' }, 'Screen a party'), form, msg, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = { name: name.value.trim() };
    for (const [k, el] of [['country', country], ['type', type], ['dob', dob], ['customer_id', customer]])
      if (el.value.trim()) q[k] = el.value.trim();
    status(msg, 'Screening…');
    clear(out);
    try {
      const r = await post('/v1/screen', q);
      render(r, ctx);
    } catch (e) {
      status(msg, e.message, 'error');
    }
  });
}

// "'technolgies' ~ 'technology': spelling variant, …" and "[华为 -> huawei (translated word)]": the
// bridges between scripts and spellings are shown as "华为 → huawei (translated word)".
function explanationLine(line) {
  const parts = [];
  const re = /\[([^\]]+?) -> ([^\]]+?)\]/g;
  let last = 0;
  for (let m; (m = re.exec(line));) {
    parts.push(line.slice(last, m.index));
    parts.push(h('mark', { class: 'bridge' }, `${m[1]} → ${m[2]}`));
    last = m.index + m[0].length;
  }
  parts.push(line.slice(last));
  return h('li', {}, parts);
}

function render(r, ctx) {
  const n = r.hits.length;
  status(msg, `${n} hit${n === 1 ? '' : 's'} for “${r.query.name}”${r.record ? ` · audit record ${r.record}` : ''}`);
  if (r.lists_note) add(out, h('p', { class: 'note' }, r.lists_note));
  for (const w of r.warnings || []) add(out, h('p', { class: 'warn' }, w));
  if (!n) add(out, h('p', { class: 'empty' }, 'No hits at or above the alert threshold.'));
  const mayReview = ['analyst', 'approver', 'admin', 'auditor'].includes(ctx.me.role);
  r.hits.forEach((hit, i) => {
    const details = h('div', { class: 'entry', hidden: true });
    const suppressed = hit.suppressed_by !== undefined;
    const toggle = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, 'Entry details');
    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      details.hidden = open;
      if (!open && !details.dataset.loaded) {
        details.dataset.loaded = '1';
        add(details, h('p', {}, 'Loading…'));
        try {
          const e = await get(`/v1/entries/${encodeURIComponent(hit.entry_id)}?list=${encodeURIComponent(hit.list)}`);
          add(clear(details), entryView(e.entry));
        } catch (err) {
          add(clear(details), h('p', { class: 'error' }, err.message));
        }
      }
    });
    const caseInfo = hit.case === undefined ? null
      : suppressed ? h('span', { class: 'badge suppressed' }, `suppressed by case ${hit.suppressed_by} (false positive)`)
        : h('span', { class: 'badge' }, `case ${hit.case} · ${hit.case_status || ''}`);
    const openCase = hit.case !== undefined && mayReview
      ? h('button', { type: 'button', on: { click: () => ctx.go('review', hit.case) } }, `Open case ${hit.case}`) : null;
    add(out, h('article', { class: `hit${suppressed ? ' is-suppressed' : ''}`, dataset: { entry: hit.entry_id } },
      h('header', {},
        h('h2', {}, `${i + 1}. ${hit.name}`),
        scoreBar(hit.score, 'score'),
        caseInfo),
      h('dl', { class: 'facts' },
        h('dt', {}, 'List'), h('dd', {}, hit.list),
        h('dt', {}, 'Programme'), h('dd', {}, hit.programs.length ? hit.programs.join(', ') : '—'),
        h('dt', {}, 'Matched'), h('dd', {}, `${hit.matched_name} (${hit.matched_kind})`),
        h('dt', {}, 'Type, countries'), h('dd', {}, `${hit.type}${hit.countries.length ? `, ${hit.countries.join(' ')}` : ''}`)),
      h('h3', { class: 'small' }, 'Why it matched'),
      h('ul', { class: 'explanation' }, hit.explanation.map(explanationLine)),
      h('div', { class: 'actions' }, toggle, openCase),
      details));
  });
}

export function entryView(e) {
  const rows = [['Entry id', e.id], ['List', e.list], ['Type', e.type]];
  if (e.listed_on) rows.push(['Listed on', e.listed_on]);
  if (e.programs.length) rows.push(['Programmes', e.programs.join(', ')]);
  if (e.countries.length) rows.push(['Countries', e.countries.join(' ')]);
  if (e.birth_dates.length) rows.push(['Born', e.birth_dates.join(', ')]);
  if (e.citation) rows.push(['Notice', e.citation]);
  if (e.license_requirement) rows.push(['Licence requirement', e.license_requirement]);
  if (e.license_policy) rows.push(['Licence policy', e.license_policy]);
  if (e.remarks) rows.push(['Remarks', e.remarks]);
  return h('div', {},
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h4', { class: 'small' }, 'Names'),
    h('ul', { class: 'names' }, e.names.map((n) => h('li', {}, `${n.name} `, h('span', { class: 'kind' }, n.kind)))),
    e.addresses.length ? [h('h4', { class: 'small' }, 'Addresses'),
      h('ul', {}, e.addresses.map((a) => h('li', {}, [a.address, a.country].filter(Boolean).join(' · '))))] : null,
    e.ids.length ? [h('h4', { class: 'small' }, 'Identifiers'),
      h('ul', {}, e.ids.map((d) => h('li', {}, `${d.type}: ${d.number}${d.country ? ` (${d.country})` : ''}`)))] : null,
    e.source_url ? h('p', {}, h('a', { href: e.source_url, rel: 'noopener noreferrer', target: '_blank' }, 'Source (opens the publisher’s page)'))
      : h('p', { class: 'help' }, 'The source gives no link for this entry.'));
}
