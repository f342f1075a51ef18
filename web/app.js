// The analyst page: sign in once with an API key (session storage), then six screens on hash
// routes (#screen, #batch, #review, #check, #impact, #record), each built on first visit.
import { ApiError, get, session } from './api.js';
import * as screen from './screens/screen.js';
import * as batch from './screens/batch.js';
import * as review from './screens/review.js';
import * as check from './screens/check.js';
import * as impact from './screens/impact.js';
import * as record from './screens/record.js';

const screens = { screen, batch, review, check, impact, record };
const built = new Set();
const ctx = { me: null, policy: null, go };
const $ = (id) => document.getElementById(id);

function go(name, arg) {
  ctx.arg = arg;
  if (location.hash === `#${name}`) route();
  else location.hash = name;
}

async function route() {
  if (!ctx.me) return;
  const name = location.hash.slice(1) in screens ? location.hash.slice(1) : 'screen';
  for (const s of Object.keys(screens)) $(s).hidden = s !== name;
  for (const a of document.querySelectorAll('#nav a'))
    if (a.getAttribute('href') === `#${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  const sec = $(name);
  if (!built.has(name)) {
    built.add(name);
    screens[name].build(sec, ctx);
  }
  const arg = ctx.arg;
  ctx.arg = undefined;
  if (screens[name].show) await screens[name].show(sec, ctx, arg);
}

async function signIn(key) {
  session.set(key);
  try {
    ctx.me = await get('/v1/me');
  } catch (e) {
    session.clear();
    throw e;
  }
  if (['analyst', 'approver', 'admin', 'auditor'].includes(ctx.me.role))
    ctx.policy = await get('/v1/cases/policy').catch(() => null);
  $('who-text').textContent = `${ctx.me.name} (${ctx.me.role}${ctx.me.key_id ? `, key ${ctx.me.key_id}` : ''})`;
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  document.body.dataset.role = ctx.me.role;
  await route();
}

function signOut() {
  session.clear();
  location.hash = '';
  location.reload();
}

window.addEventListener('hashchange', () => { route(); $('main').focus({ preventScroll: true }); });
$('sign-out').addEventListener('click', signOut);
$('sign-in-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const key = $('api-key').value.trim();
  $('sign-in-error').textContent = '';
  try {
    await signIn(key);
    $('api-key').value = '';
  } catch (e) {
    $('sign-in-error').textContent = e instanceof ApiError && e.status === 401
      ? 'That key is unknown or revoked.' : `Cannot sign in: ${e.message}`;
  }
});

// The form is disabled in the HTML until this handler exists (see index.html).
for (const el of $('sign-in-form').elements) el.disabled = false;

if (session.key()) signIn(session.key()).catch(() => { $('sign-in').hidden = false; });
