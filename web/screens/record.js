// Record: an audit record by number — its inputs and result, replayed with today's code on the
// data it names — and the lists in force with their dates, sizes and age, warning when a list is
// older than the server's configured maximum (--max-list-age).
import { get, post } from '../api.js';
import { add, clear, field, h, pre, status } from '../dom.js';

let els;

export function build(sec, ctx) {
  const id = h('input', { name: 'id', inputmode: 'numeric', pattern: '[0-9]+', required: true, size: 8, autocomplete: 'off' });
  const form = h('form', { class: 'form grid', id: 'record-form' }, field('Audit record number', id),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  const mayRead = ['auditor', 'admin'].includes(ctx.me.role);
  els = { id, msg: h('p', { class: 'status', role: 'status' }), out: h('div', { id: 'record-out' }), lists: h('div', { id: 'lists-in-force' }) };
  add(sec, h('h1', { id: 'record-h' }, 'Records and lists'),
    mayRead ? [form, els.msg, els.out] : h('p', { class: 'note' }, `The role ${ctx.me.role} may not read audit records (auditor or admin).`),
    h('h2', {}, 'Lists in force'), els.lists);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); lookup(id.value.trim()); });
}

export async function show(sec, ctx, recordId) {
  await lists();
  if (recordId && els && ['auditor', 'admin'].includes(ctx.me.role)) {
    els.id.value = recordId;
    await lookup(String(recordId));
  }
}

async function lookup(id) {
  clear(els.out);
  status(els.msg, `Loading record ${id}…`);
  try {
    const r = await get(`/v1/audit/${encodeURIComponent(id)}`);
    status(els.msg, '');
    const replayOut = h('div', { id: 'replay-out', 'aria-live': 'polite' });
    const replay = h('button', { type: 'button', id: 'replay' }, 'Replay with today’s code');
    replay.addEventListener('click', async () => {
      add(clear(replayOut), h('p', {}, 'Replaying…'));
      try {
        const p = await post(`/v1/audit/${r.seq}/replay`);
        add(clear(replayOut), 
          h('p', { class: `verdict ${p.same ? 'v-no_license_required' : 'v-license_required'}`, id: 'replay-verdict' },
            p.same ? `Same answer: today's code gives what record ${p.record} recorded, on the data it names.` : `Different answer: ${p.differences.length} difference${p.differences.length === 1 ? '' : 's'}.`),
          p.differences.length ? h('ul', {}, p.differences.map((d) => h('li', {}, d))) : null);
      } catch (e) {
        add(clear(replayOut), h('p', { class: 'error' }, e.message));
      }
    });
    const replayable = ['screen', 'screen.batch', 'check', 'classify', 'impact'].includes(r.action);
    add(els.out, h('article', { class: 'record', dataset: { seq: r.seq } },
      h('h2', {}, `Record ${r.seq}: ${r.action}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Time'), h('dd', {}, r.time), h('dt', {}, 'Caller'), h('dd', {}, r.caller),
        h('dt', {}, 'Engine'), h('dd', {}, `${r.engine || ''}${r.threshold ? ` · threshold ${r.threshold}` : ''}`),
        h('dt', {}, 'Lists'), h('dd', {}, (r.snapshots || []).map((s) => `${s.name} ${s.id}`).join(', ') || '—'),
        h('dt', {}, 'Rule pack'), h('dd', {}, (r.rules || []).join(', ') || '—'),
        h('dt', {}, 'Chain'), h('dd', { class: 'mono' }, r.hash || '')),
      h('h3', {}, 'Inputs'), r.inputs === null || r.inputs === undefined ? h('p', { class: 'note' }, 'Redacted.') : pre(r.inputs),
      h('details', {}, h('summary', {}, 'Result'), pre(r.result)),
      replayable ? h('div', { class: 'actions' }, replay) : h('p', { class: 'help' }, `A ${r.action} record is not an answer to replay.`),
      replayOut));
  } catch (e) {
    status(els.msg, e.message, 'error');
  }
}

async function lists() {
  try {
    const r = await get('/v1/lists');
    const stale = r.lists.filter((l) => l.stale);
    add(clear(els.lists), 
      stale.length ? h('p', { class: 'warn', role: 'alert', id: 'lists-warning' },
        `${stale.length} of ${r.lists.length} list${r.lists.length === 1 ? ' is' : 's are'} older than ${r.max_age_days} days or of unknown age: update them (clearance lists update) before relying on a “no hits”.`) : null,
      r.lists_note ? h('p', { class: 'note' }, r.lists_note) : null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'lists' },
        h('caption', {}, `${r.lists.length} lists in force (maximum age ${r.max_age_days} days)`),
        h('thead', {}, h('tr', {}, ['List', 'Entries', 'Names', 'Source date', 'Imported', 'Age', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, r.lists.map((l) => h('tr', { class: l.stale ? 'stale' : '', dataset: { list: l.name } },
          h('td', {}, l.name, l.bundled_sample ? h('span', { class: 'help' }, ' (bundled sample)') : null),
          h('td', { class: 'num' }, l.entries.toLocaleString('en')), h('td', { class: 'num' }, l.names.toLocaleString('en')),
          h('td', {}, l.source_date || '—'), h('td', {}, l.imported_at || '—'),
          h('td', { class: 'num' }, l.age_days === null ? 'unknown' : `${l.age_days} d`),
          h('td', {}, l.stale ? h('span', { class: 'badge warn' }, 'stale') : h('span', { class: 'badge ok' }, 'current'))))))));
  } catch (e) {
    add(clear(els.lists), h('p', { class: 'error' }, e.message));
  }
}
