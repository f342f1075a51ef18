// Batch: upload a CSV of parties (the columns of `clearance screen --input`: id, name, country,
// type, dob, identifiers) as a job, follow its progress, then the summary and the download.
import { api, get } from '../api.js';
import { add, clear, download, field, h, status } from '../dom.js';

export function build(sec) {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
  const form = h('form', { class: 'form', id: 'batch-form' },
    field('Parties (CSV with a header row: id, name, country, type, dob)', file),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Screen the file')));
  const msg = h('p', { class: 'status', role: 'status' });
  const bar = h('progress', { id: 'batch-progress', max: 1, value: 0 });
  const barLabel = h('label', { for: 'batch-progress' }, 'Progress');
  const progress = h('div', { class: 'progress', hidden: true }, barLabel, bar, h('span', { id: 'batch-count', 'aria-live': 'off' }));
  const out = h('div', { id: 'batch-results' });
  add(sec, h('h1', { id: 'batch-h' }, 'Batch screening'), form, progress, msg, out);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    clear(out);
    status(msg, `Uploading ${f.name}…`);
    progress.hidden = false;
    bar.removeAttribute('value');
    bar.dataset.seen = '';
    try {
      const { data: job } = await api('/v1/jobs?kind=screen', { method: 'POST', body: await f.text(), type: 'text/csv' });
      status(msg, `Job ${job.id} ${job.status}`);
      const done = await follow(job, bar, msg);
      const { data: text } = await api(done.result);
      summarise(text, done, out, f.name);
      status(msg, `Job ${done.id} done: ${done.progress.done} rows`);
    } catch (e) {
      status(msg, e.message, 'error');
    }
  });
}

// Polls the job until it is done (or failed), moving the bar; the values seen are kept on the
// bar (data-seen) so one can tell the progress really moved.
async function follow(job, bar, msg) {
  const seen = [];
  for (;;) {
    const { done, total } = job.progress;
    if (total) {
      bar.max = total;
      bar.value = done;
      document.getElementById('batch-count').textContent = `${done} of ${total} rows`;
      if (!seen.includes(done)) seen.push(done);
      bar.dataset.seen = seen.join(',');
    }
    if (job.status === 'done') return job;
    if (job.status === 'failed') throw new Error(`the job failed: ${job.error ? job.error.message : 'unknown reason'}`);
    status(msg, `Job ${job.id} ${job.status}…`);
    await new Promise((r) => setTimeout(r, 150));
    job = await get(`/v1/jobs/${encodeURIComponent(job.id)}`);
  }
}

function summarise(text, job, out, filename) {
  const rows = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const errors = rows.filter((r) => r.error);
  const withHits = rows.filter((r) => r.hits && r.hits.length);
  const hits = withHits.reduce((n, r) => n + r.hits.length, 0);
  const suppressed = withHits.reduce((n, r) => n + r.hits.filter((x) => x.suppressed_by !== undefined).length, 0);
  const warnings = rows.reduce((n, r) => n + (r.warnings ? r.warnings.length : 0), 0);
  add(out, 
    h('h2', {}, 'Summary'),
    h('dl', { class: 'facts summary', id: 'batch-summary' },
      h('dt', {}, 'Rows'), h('dd', { dataset: { k: 'rows' } }, rows.length),
      h('dt', {}, 'Rows with hits'), h('dd', { dataset: { k: 'rows_with_hits' } }, withHits.length),
      h('dt', {}, 'Hits'), h('dd', { dataset: { k: 'hits' } }, `${hits}${suppressed ? ` (${suppressed} suppressed)` : ''}`),
      h('dt', {}, 'Errors'), h('dd', { dataset: { k: 'errors' } }, errors.length),
      h('dt', {}, 'Warnings'), h('dd', { dataset: { k: 'warnings' } }, warnings)),
    h('div', { class: 'actions' },
      h('button', { type: 'button', on: { click: () => download(`${filename.replace(/\.csv$/i, '')}-screened.jsonl`, text, 'application/x-ndjson') } },
        'Download results (JSON lines)')));
  const top = withHits.slice().sort((a, b) => b.hits[0].score - a.hits[0].score).slice(0, 50);
  if (top.length)
    add(out, h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', {}, `Best hit of the first ${top.length} rows with hits, highest score first`),
      h('thead', {}, h('tr', {}, ['Row', 'Query', 'Score', 'Hit', 'List'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, top.map((r) => h('tr', {},
        h('td', {}, r.id), h('td', {}, r.query.name), h('td', {}, r.hits[0].score.toFixed(3)),
        h('td', {}, r.hits[0].name), h('td', {}, r.hits[0].list)))))));
  if (errors.length)
    add(out, h('h3', {}, 'Rows with errors'), h('ul', {}, errors.slice(0, 50).map((r) => h('li', {}, `${r.id}: ${r.error}`))));
}
