// The Archiver console: plain JavaScript over /api/v1, no library, nothing from a CDN. The token stays in sessionStorage
// (this tab) and goes only into the Authorization header; it is never written into the page.
'use strict';

const api = '/api/v1';
let token = sessionStorage.getItem('archiver-token');
let roles = [];
let refresh = null;
let stream = null;

const $ = (id) => document.getElementById(id);

function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch (e) {
    return null;
  }
}

async function call(path, options = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + token }, options.headers || {});
  const response = await fetch(api + path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    signOut('the token was refused (expired?): sign in again');
    throw new Error('401');
  }
  const body = response.headers.get('content-type') || '';
  const data = body.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error((data && (data.reason || data.detail)) || response.status);
  }
  return data;
}

function text(value) {
  return value === null || value === undefined ? '-' : String(value);
}

function cell(row, value) {
  const td = document.createElement('td');
  td.textContent = text(value);
  row.appendChild(td);
  return td;
}

function bar(percent) {
  const outer = document.createElement('div');
  outer.className = 'bar';
  const inner = document.createElement('div');
  inner.className = 'fill';
  inner.style.width = percent + '%';
  outer.appendChild(inner);
  return outer;
}

function show(section) {
  for (const id of ['sign-in', 'runs', 'run', 'policies', 'holds']) {
    $(id).hidden = id !== section;
  }
  if (refresh) {
    clearInterval(refresh);
    refresh = null;
  }
  if (stream) {
    stream.abort();
    stream = null;
  }
}

function signOut(message) {
  sessionStorage.removeItem('archiver-token');
  token = null;
  $('who').textContent = '';
  $('sign-out').hidden = true;
  show('sign-in');
  $('sign-in-error').textContent = message || '';
}

function signIn() {
  const value = $('token').value.trim();
  const c = claims(value);
  if (!c || !c.groups) {
    $('sign-in-error').textContent = 'not a token with roles';
    return;
  }
  token = value;
  $('token').value = '';
  sessionStorage.setItem('archiver-token', token);
  route();
}

async function runs() {
  show('runs');
  $('trigger').hidden = !roles.includes('operator');
  const draw = async () => {
    const page = await call('/runs?limit=50');
    const body = $('run-table').querySelector('tbody');
    body.replaceChildren();
    for (const run of page.items) {
      const row = document.createElement('tr');
      row.id = 'run-' + run.runId;
      const link = document.createElement('a');
      link.href = '#run/' + run.runId;
      link.textContent = run.runId;
      cell(row, '').replaceChildren(link);
      cell(row, run.policy);
      cell(row, run.state + (run.dryRun ? ' (dry run)' : ''));
      cell(row, run.outcome);
      const progress = cell(row, '');
      const rate = cell(row, '');
      cell(row, run.requestedBy);
      body.appendChild(row);
      call('/runs/' + encodeURIComponent(run.runId)).then((view) => {
        progress.replaceChildren(bar(view.progress.percent), document.createTextNode(' ' + view.progress.percent + '%'));
        rate.textContent = view.progress.rowsPerSecond;
      }).catch(() => {});
    }
  };
  await draw();
  refresh = setInterval(() => draw().catch(() => {}), 2000);
}

async function trigger(event) {
  event.preventDefault();
  try {
    const answer = await call('/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ policy: $('trigger-policy').value, dryRun: $('trigger-dry-run').checked }),
    });
    $('trigger-result').textContent = 'requested ' + answer.runId;
    $('trigger-result').dataset.runId = answer.runId;
    $('trigger-result').className = '';
  } catch (e) {
    $('trigger-result').textContent = 'refused: ' + e.message;
    $('trigger-result').className = 'error';
  }
}

function drawProgress(event) {
  $('run-bar').style.width = event.progress.percent + '%';
  $('run-percent').textContent = event.progress.percent + '%';
  $('run-rate').textContent = event.progress.rowsPerSecond + ' rows/s';
  $('run-summary').textContent = event.state + (event.outcome ? ' ' + event.outcome : '') + ': ' + event.rowsRemoved + ' of '
      + event.rowsFound + ' rows removed';
}

async function run(runId) {
  show('run');
  $('run-id').textContent = runId;
  $('failure-detail').hidden = true;
  const draw = async () => {
    const view = await call('/runs/' + encodeURIComponent(runId));
    drawProgress(Object.assign({}, view, { progress: view.progress }));
    const body = $('batch-table').querySelector('tbody');
    body.replaceChildren();
    for (const b of view.batches) {
      const row = document.createElement('tr');
      row.id = 'batch-' + b.seq;
      cell(row, b.seq);
      cell(row, b.state);
      cell(row, b.firstId + '..' + b.lastId);
      cell(row, b.expectedRows);
      cell(row, b.rowsRemoved);
      cell(row, b.objectKey);
      const failure = cell(row, b.failureReason);
      if (b.failureReason) {
        failure.className = 'failed';
        failure.onclick = () => {
          $('failure-detail').textContent = b.failedStage + ' ' + b.failureReason + ': ' + text(b.failureDetail);
          $('failure-detail').hidden = false;
        };
      }
      body.appendChild(row);
    }
    return view;
  };
  const view = await draw();
  if (view.state === 'COMPLETED') {
    return;
  }
  // live progress: the server-sent events of the run, read with fetch so that the token goes in a header
  stream = new AbortController();
  try {
    const response = await fetch(api + '/runs/' + encodeURIComponent(runId) + '/progress',
        { headers: { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' }, signal: stream.signal });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, cut).trim();
        buffer = buffer.slice(cut + 1);
        if (line.startsWith('data:')) {
          drawProgress(JSON.parse(line.slice(5)));
        }
      }
    }
    await draw();
  } catch (e) {
    // the stream ended or was left: the page shows the last state drawn
  }
}

async function policies() {
  show('policies');
  const page = await call('/policies?limit=200');
  const body = $('policy-table').querySelector('tbody');
  body.replaceChildren();
  for (const p of page.items) {
    const row = document.createElement('tr');
    row.id = 'policy-' + p.name;
    cell(row, p.name);
    cell(row, p.settings.table);
    cell(row, p.settings.mode);
    cell(row, p.settings['min-age']);
    cell(row, p.enabled ? 'yes' : 'no');
    cell(row, p.version);
    cell(row, p.updatedBy);
    body.appendChild(row);
  }
}

function covers(hold) {
  switch (hold.scope) {
    case 'RUN': return 'run ' + hold.runId;
    case 'OBJECT': return 'object ' + hold.objectKey;
    case 'KEY_RANGE': return 'keys ' + hold.firstKey + '..' + hold.lastKey;
    default: return 'all of it';
  }
}

async function holds() {
  show('holds');
  const page = await call('/holds?all=true&limit=200');
  const body = $('hold-table').querySelector('tbody');
  body.replaceChildren();
  for (const h of page.items) {
    const row = document.createElement('tr');
    row.id = 'hold-' + h.id;
    cell(row, h.id);
    cell(row, h.policy);
    cell(row, covers(h));
    cell(row, h.reason);
    cell(row, h.placedBy);
    cell(row, h.placedAt);
    cell(row, h.until || 'until released');
    cell(row, h.releasedAt ? h.releasedAt + ' by ' + h.releasedBy : '');
    body.appendChild(row);
  }
}

function route() {
  if (!token) {
    show('sign-in');
    return;
  }
  const c = claims(token) || {};
  roles = c.groups || [];
  $('who').textContent = (c.upn || c.sub) + ' (' + roles[roles.length - 1] + ')';
  $('sign-out').hidden = false;
  const hash = location.hash.replace(/^#/, '');
  const go = hash.startsWith('run/') ? run(decodeURIComponent(hash.slice(4))) : hash === 'policies' ? policies()
    : hash === 'holds' ? holds() : runs();
  go.catch((e) => { $('sign-in-error').textContent = String(e.message || e); });
}

$('sign-in-button').onclick = signIn;
$('sign-out').onclick = () => signOut('');
$('trigger').onsubmit = trigger;
window.onhashchange = route;
route();
