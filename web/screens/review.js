// Review queue: open cases by score and age with filters, a case side by side with its list
// entry, the decision (true match / false positive, with a reason), and — when the four-eyes
// policy is on — the decisions waiting for another user's approval.
import { get, post } from '../api.js';
import { add, clear, field, h, scoreBar, status } from '../dom.js';
import { entryView } from './screen.js';

let els;
const PAGE = 50;

const age = (iso) => {
  const days = (Date.now() - Date.parse(iso)) / 86400000;
  return days < 1 / 24 ? 'just now' : days < 1 ? `${Math.round(days * 24)} h` : `${Math.round(days)} d`;
};
const canRead = (me) => ['analyst', 'approver', 'admin', 'auditor'].includes(me.role);
const canDecide = (me) => ['analyst', 'admin'].includes(me.role);
const canApprove = (me) => ['approver', 'admin'].includes(me.role);

export function build(sec, ctx) {
  add(sec, h('h1', { id: 'review-h' }, 'Review queue'));
  if (!canRead(ctx.me)) {
    add(sec, h('p', { class: 'note' }, `The role ${ctx.me.role} may not read review cases.`));
    return;
  }
  const statusSel = h('select', { name: 'status' }, [['open', 'Open'], ['pending', 'Pending approval'], ['decided', 'Decided']]
    .map(([v, t]) => h('option', { value: v }, t)));
  const list = h('input', { name: 'list', autocomplete: 'off' });
  const customer = h('input', { name: 'customer_id', autocomplete: 'off', size: 12 });
  const filters = h('form', { class: 'form grid', id: 'review-filters' },
    field('Status', statusSel), field('List', list, 'exact list name'), field('Customer id', customer),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')));
  const policy = ctx.policy;
  els = {
    filters, statusSel, list, customer,
    msg: h('p', { class: 'status', role: 'status' }),
    queue: h('div', { id: 'review-queue' }),
    pending: h('div', { id: 'review-pending' }),
    detail: h('div', { id: 'case-detail', tabindex: '-1' }),
  };
  add(sec, 
    h('p', { class: 'help' }, policy ? (policy.require_approval
      ? `Four-eyes is on: a decision waits for another user's approval. A false positive suppresses its pair for ${policy.suppression_days} days or until the entry changes.`
      : `Four-eyes is off. A false positive suppresses its pair for ${policy.suppression_days} days or until the entry changes.`) : ''),
    filters, els.msg,
    els.detail, els.pending, els.queue);
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); refresh(ctx); });
}

export async function show(sec, ctx, caseId) {
  if (!els) return;
  await refresh(ctx);
  if (caseId) await openCase(ctx, caseId);
}

async function fetchCases(status, extra = '') {
  return (await get(`/v1/cases?status=${status}&limit=1000${extra}`)).cases;
}

async function refresh(ctx) {
  const st = els.statusSel.value;
  let extra = '';
  if (els.list.value.trim()) extra += `&list=${encodeURIComponent(els.list.value.trim())}`;
  if (els.customer.value.trim()) extra += `&customer_id=${encodeURIComponent(els.customer.value.trim())}`;
  try {
    const cases = await fetchCases(st, extra);
    // Highest score first, then the oldest.
    cases.sort((a, b) => b.score - a.score || Date.parse(a.opened_at) - Date.parse(b.opened_at));
    const shown = cases.slice(0, PAGE);
    add(clear(els.queue), caseTable(ctx, shown, `${cases.length} ${st} case${cases.length === 1 ? '' : 's'}, by score and age${cases.length > PAGE ? `; the first ${PAGE} shown (filter by list or customer to narrow)` : ''}`, 'queue'));
    clear(els.pending);
    if (ctx.policy && ctx.policy.require_approval && st !== 'pending') {
      const pending = await fetchCases('pending');
      pending.sort((a, b) => Date.parse(a.decided_at) - Date.parse(b.decided_at));
      add(els.pending, h('h2', {}, 'Pending approval'),
        pending.length ? caseTable(ctx, pending.slice(0, PAGE), `${pending.length} decision${pending.length === 1 ? '' : 's'} waiting for a second user`, 'pending')
          : h('p', { class: 'empty' }, 'No decision is waiting for approval.'));
    }
    status(els.msg, '');
  } catch (e) {
    status(els.msg, e.message, 'error');
  }
}

function caseTable(ctx, cases, caption, kind) {
  if (!cases.length) return h('p', { class: 'empty' }, 'No cases.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'cases', dataset: { kind } },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ['Case', 'Party', 'List entry', 'Score', 'Age', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, cases.map((k) => h('tr', { dataset: { case: k.id } },
      h('td', {}, k.id),
      h('td', {}, k.party_name),
      h('td', {}, k.entry_name, h('br'), h('span', { class: 'help' }, k.list)),
      h('td', {}, scoreBar(k.score, `case ${k.id} score`)),
      h('td', {}, age(k.opened_at)),
      h('td', {}, h('button', { type: 'button', class: 'secondary', on: { click: () => openCase(ctx, k.id) } }, `Review case ${k.id}`)))))));
}

async function openCase(ctx, id) {
  add(clear(els.detail), h('p', {}, `Loading case ${id}…`));
  let k, entry = null;
  try {
    k = await get(`/v1/cases/${id}`);
    entry = await get(`/v1/entries/${encodeURIComponent(k.entry_id)}?list=${encodeURIComponent(k.list)}`).catch(() => null);
  } catch (e) {
    add(clear(els.detail), h('p', { class: 'error' }, e.message));
    return;
  }
  const facts = [['Status', k.status + (k.decision ? ` · ${k.decision.replace('_', ' ')}` : '')], ['Opened', `${k.opened_at} by ${k.opened_by}`]];
  if (k.decided_by) facts.push(['Decided', `${k.decided_at} by ${k.decided_by}: ${k.reason || ''}`]);
  if (k.approved_by) facts.push(['Approved', `${k.approved_at} by ${k.approved_by}`]);
  if (k.expires_at) facts.push(['Expires', k.expires_at]);
  if (k.closed_note) facts.push(['Note', k.closed_note]);
  if (k.status === 'decided' && k.decision === 'false_positive')
    facts.push(['Suppression', `later hits of this party on this entry come back marked “suppressed by case ${k.id}”`]);
  const msg = h('p', { class: 'status', role: 'status' });
  const body = h('div', { class: 'case', dataset: { case: k.id, status: k.status } },
    h('h2', {}, `Case ${k.id}`), scoreBar(k.score, `case ${k.id} score`),
    h('dl', { class: 'facts' }, facts.map(([a, b]) => [h('dt', {}, a), h('dd', {}, b)])),
    h('div', { class: 'side-by-side' },
      h('section', { 'aria-label': 'The screened party' }, h('h3', {}, 'Screened party'),
        h('dl', { class: 'facts' }, h('dt', {}, 'Name'), h('dd', {}, k.party_name), h('dt', {}, 'Party key'), h('dd', {}, k.party_key))),
      h('section', { 'aria-label': 'The list entry' }, h('h3', {}, 'List entry'),
        entry ? entryView(entry.entry) : h('dl', { class: 'facts' }, h('dt', {}, 'Name'), h('dd', {}, k.entry_name), h('dt', {}, 'List'), h('dd', {}, k.list),
          h('dd', { class: 'warn' }, 'This entry is no longer in the lists in force.')))),
    decideForm(ctx, k, msg), approveForm(ctx, k, msg), msg);
  add(clear(els.detail), body);
  els.detail.focus();
}

function decideForm(ctx, k, msg) {
  if (!canDecide(ctx.me) || !['open', 'pending', 'decided'].includes(k.status)) return null;
  const name = `decision-${k.id}`;
  const radio = (value, label) => {
    const r = h('input', { type: 'radio', name, value, id: `${name}-${value}`, required: true });
    return h('div', { class: 'radio' }, r, h('label', { for: r.id }, label));
  };
  const reason = h('textarea', { name: 'reason', rows: 3, required: true });
  const form = h('form', { class: 'form', id: `decide-${k.id}` },
    h('fieldset', {}, h('legend', {}, k.status === 'open' ? 'Decide' : 'Decide again'),
      radio('true_match', 'True match'), radio('false_positive', 'False positive')),
    field('Reason', reason),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Record decision')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const decision = form.querySelector(`input[name="${name}"]:checked`);
    try {
      const r = await post(`/v1/cases/${k.id}/decide`, { decision: decision.value, reason: reason.value });
      await refresh(ctx);
      await openCase(ctx, k.id);  // re-rendered: the message goes to the new case view
      status(els.detail.querySelector('.status'), r.status === 'pending'
        ? `Recorded (audit record ${r.record}); waiting for another user's approval.` : `Decided (audit record ${r.record}).`, 'ok');
    } catch (e) {
      status(msg, e.message, 'error');
    }
  });
  return form;
}

function approveForm(ctx, k, msg) {
  if (k.status !== 'pending' || !canApprove(ctx.me)) return null;
  if (k.decided_by === ctx.me.key_id)
    return h('p', { class: 'note' }, 'You decided this case: another user must approve it (four-eyes).');
  const btn = h('button', { type: 'button', id: `approve-${k.id}` }, `Approve: ${k.decision.replace('_', ' ')}`);
  btn.addEventListener('click', async () => {
    try {
      const r = await post(`/v1/cases/${k.id}/approve`);
      await refresh(ctx);
      await openCase(ctx, k.id);
      status(els.detail.querySelector('.status'), `Approved (audit record ${r.record}).`, 'ok');
    } catch (e) {
      status(msg, e.message, 'error');
    }
  });
  return h('div', { class: 'actions' }, btn);
}
