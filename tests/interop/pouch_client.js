// A real PouchDB 9 client (memory adapter) against a CouchDB-protocol server, for
// tst_pouchdb_client. Reads one JSON scenario (argv[2], else stdin) and prints one JSON report
// on stdout:
//   {"scenario": "push"|"pull"|"sync", "url": "http://127.0.0.1:P", "user": "...",
//    "password": "...", "db": "name", ...scenario options}
// push: a local db with plain docs, a conflict, a deleted conflict branch, a deleted doc and
//       attachments (one named dir/file.txt) -> replicate.to, three runs (the second has
//       nothing to do, the third two new docs); reports each run and the checkpoint docs.
// pull: replicate.from a db the server holds, three runs likewise (two docs are written to the
//       server through PouchDB's HTTP adapter before the third); reads back `inspect` ids.
// sync: live sync both ways; one write on each side (the server's through plain fetch), then
//       one edit of each on the other side; waits until both sides see all, cancels.
// Every answer of the server that is not a 2xx is listed in the report's http_failures.
// PouchDB comes from NODE_PATH (the build's peers-pouchdb9/node_modules).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const PouchDB = require('pouchdb');
PouchDB.plugin(require('pouchdb-adapter-memory'));

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function errorOf(e) {
  if (!e) return null;
  return {status: e.status, name: e.name, error: e.error, reason: e.reason,
          message: e.message};
}

function summary(r) {
  return {ok: r.ok, status: r.status, docs_read: r.docs_read, docs_written: r.docs_written,
          doc_write_failures: r.doc_write_failures, last_seq: r.last_seq,
          errors: (r.errors || []).map(errorOf)};
}

async function run(fn) {
  try {
    return summary(await fn());
  } catch (e) {
    return {ok: false, error: errorOf(e), result: e.result ? summary(e.result) : undefined};
  }
}

// The id PouchDB gives a replication's checkpoint docs (its generateReplicationId, no filter).
async function checkpointId(src, target) {
  const md5 = crypto.createHash('md5').update((await src.id()) + (await target.id()), 'binary')
    .digest('base64');
  return '_local/' + md5.replace(/\//g, '.').replace(/\+/g, '_');
}

async function getOrError(db, id, opts) {
  try {
    return await db.get(id, opts || {});
  } catch (e) {
    return {error: errorOf(e)};
  }
}

async function checkpoints(src, target) {
  const id = await checkpointId(src, target);
  return {id, source: await getOrError(src, id), target: await getOrError(target, id)};
}

// What a doc looks like in a db: winner with conflicts, attachments and history, every leaf.
async function inspect(db, id) {
  const doc = await getOrError(db, id, {conflicts: true, deleted_conflicts: true,
                                        attachments: true, revs: true});
  let leaves;
  try {
    leaves = (await db.get(id, {open_revs: 'all'})).map((l) => l.ok
      ? {rev: l.ok._rev, deleted: !!l.ok._deleted} : {missing: l.missing});
  } catch (e) {
    leaves = {error: errorOf(e)};
  }
  return {doc, leaves};
}

async function seedLocal(db, n) {
  const docs = [];
  for (let i = 0; i < n; ++i) docs.push({_id: 'doc' + String(i).padStart(4, '0'), n: i});
  await db.bulkDocs(docs);
  const branch = (id, revs, body) => Object.assign(
    {_id: id, _rev: revs.length + '-' + revs[0],
     _revisions: {start: revs.length, ids: revs}}, body);
  await db.bulkDocs([
    branch('conflicted', ['aaaa', '1111'], {side: 'a'}),
    branch('conflicted', ['bbbb', '1111'], {side: 'b'}),
    branch('deadbranch', ['cccc', 'bbbb', 'aaaa'], {alive: true}),
    branch('deadbranch', ['dddd', 'bbbb', 'aaaa'], {_deleted: true}),
  ], {new_edits: false});
  const gone = await db.put({_id: 'gone', v: 1});
  await db.remove('gone', gone.rev);
  await db.put({_id: 'deadborn', _deleted: true}); // deleted from its first revision
  await db.put({_id: 'withatt', kind: 'attachments', _attachments: {
    'dir/file.txt': {content_type: 'text/plain', data: b64('hello from a folder')},
    'plain.txt': {content_type: 'text/plain', data: b64('plain attachment')},
    'bin.dat': {content_type: 'application/octet-stream',
                data: Buffer.from([...Array(256).keys()]).toString('base64')},
  }});
  // An attachment carried over to a later revision (revpos 1 at rev 2).
  const v1 = await db.put({_id: 'attkept', v: 1, _attachments: {
    'note.txt': {content_type: 'text/plain', data: b64('kept across revisions')}}});
  const kept = await db.get('attkept');
  kept.v = 2;
  kept._rev = v1.rev;
  await db.put(kept);
}

async function push(s, local, remote) {
  await seedLocal(local, s.docs || 20);
  const runs = [await run(() => local.replicate.to(remote))];
  runs.push(await run(() => local.replicate.to(remote)));
  await local.bulkDocs([{_id: 'late0'}, {_id: 'late1'}]);
  runs.push(await run(() => local.replicate.to(remote)));
  return {runs, local_info: await local.info(), checkpoint: await checkpoints(local, remote)};
}

async function pull(s, local, remote) {
  const runs = [await run(() => local.replicate.from(remote))];
  runs.push(await run(() => local.replicate.from(remote)));
  await remote.bulkDocs([{_id: 'late0'}, {_id: 'late1'}]);
  runs.push(await run(() => local.replicate.from(remote)));
  const docs = {};
  for (const id of s.inspect || []) docs[id] = await inspect(local, id);
  const all = await local.allDocs();
  return {runs, local_info: await local.info(), ids: all.rows.map((r) => r.id), docs,
          checkpoint: await checkpoints(remote, local)};
}

// The server's side seen without PouchDB: plain HTTP with Basic auth.
function serverHttp(s) {
  const auth = 'Basic ' + Buffer.from(s.user + ':' + s.password).toString('base64');
  return async (method, path, body) => {
    const res = await fetch(s.url + '/' + encodeURIComponent(s.db) + '/' + path, {
      method, headers: {'Authorization': auth, 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body)});
    return {status: res.status, body: await res.json().catch(() => null)};
  };
}

async function sync(s, local, remote) {
  const http = serverHttp(s);
  const deadline = Date.now() + (s.timeout_ms || 20000);
  const events = {change: [], paused: 0, active: 0, denied: [], error: []};
  await local.put({_id: 'from_pouch_before'});
  await local.put({_id: 'both', side: 'pouch'}); // the server has its own 'both': a conflict
  const handler = local.sync(remote, {live: true, retry: true});
  handler.on('change', (c) => events.change.push({direction: c.direction,
    ids: c.change.docs.map((d) => d._id + '@' + d._rev)}));
  handler.on('paused', (e) => { events.paused++; if (e) events.error.push(errorOf(e)); });
  handler.on('active', () => events.active++);
  handler.on('denied', (e) => events.denied.push(errorOf(e)));
  handler.on('error', (e) => events.error.push(errorOf(e)));
  const completed = new Promise((r) => handler.on('complete', (info) => r(info)));

  const steps = [];
  const until = async (cond) => {
    while (Date.now() < deadline) {
      if (await cond()) return true;
      await sleep(50);
    }
    return false;
  };
  const localRev = async (id) => (await getOrError(local, id))._rev;
  const serverRev = async (id) => {
    const r = await http('GET', encodeURIComponent(id));
    return r.status === 200 ? r.body._rev : undefined;
  };
  const localConflicts = async (id) => (await getOrError(local, id, {conflicts: true}))._conflicts;
  const serverConflicts = async (id) => {
    const r = await http('GET', encodeURIComponent(id) + '?conflicts=true');
    return r.status === 200 ? r.body._conflicts : undefined;
  };
  const t0 = Date.now();
  const step = async (name, cond) => {
    const ok = await until(cond);
    steps.push({step: name, ok, ms: Date.now() - t0});
    return ok;
  };

  // The initial catch-up: the server's seeded doc arrives, ours leaves, 'both' is in conflict
  // on both sides, and both replications idle in their live feeds (paused).
  let ok = await step('initial', async () => events.paused > 0
    && (await localRev('from_server_before')) !== undefined
    && (await serverRev('from_pouch_before')) !== undefined
    && ((await localConflicts('both')) || []).length === 1
    && ((await serverConflicts('both')) || []).length === 1);
  // Live, one write on each side.
  const pw = await local.put({_id: 'from_pouch_live', v: 1});
  const sw = await http('PUT', 'from_server_live', {v: 1});
  steps.push({server_put: sw.status});
  ok = ok && await step('live writes', async () =>
    (await localRev('from_server_live')) === (sw.body && sw.body.rev)
    && (await serverRev('from_pouch_live')) === pw.rev);
  // Each side edits the other side's doc.
  let localEdit = null;
  let serverEdit = null;
  if (ok) {
    localEdit = await local.put({_id: 'from_server_live', _rev: sw.body.rev, v: 2});
    serverEdit = await http('PUT', 'from_pouch_live', {_rev: pw.rev, v: 2});
    steps.push({server_edit: serverEdit.status});
    ok = await step('live edits', async () =>
      (await serverRev('from_server_live')) === localEdit.rev
      && (await localRev('from_pouch_live')) === (serverEdit.body && serverEdit.body.rev));
  }
  handler.cancel();
  const info = await Promise.race([completed, sleep(5000).then(() => 'no complete event')]);
  const ids = ['from_pouch_before', 'from_server_before', 'from_pouch_live', 'from_server_live',
               'both'];
  const state = {};
  for (const id of ids) {
    state[id] = {local: await localRev(id), server: await serverRev(id),
                 local_conflicts: await localConflicts(id),
                 server_conflicts: await serverConflicts(id)};
  }
  return {ok, steps, events, state, complete: typeof info === 'string' ? info
    : {push: info.push && summary(info.push), pull: info.pull && summary(info.pull)},
          local_info: await local.info()};
}

async function main() {
  const input = process.argv[2] || fs.readFileSync(0, 'utf8');
  const s = JSON.parse(input);
  const local = new PouchDB('client-' + crypto.randomUUID(), {adapter: 'memory'});
  // Every answer of the server that is not a 2xx, for the report (a 404 for a checkpoint not
  // yet written is normal).
  const httpFailures = [];
  const recordingFetch = async (url, opts) => {
    const res = await PouchDB.fetch(url, opts);
    if (!res.ok)
      httpFailures.push({method: (opts && opts.method) || 'GET', path: String(url).slice(s.url.length),
                         status: res.status, body: (await res.clone().text()).slice(0, 300)});
    return res;
  };
  const remote = new PouchDB(s.url + '/' + encodeURIComponent(s.db),
                             {auth: {username: s.user, password: s.password}, fetch: recordingFetch});
  const scenarios = {push, pull, sync};
  if (!scenarios[s.scenario]) throw new Error('unknown scenario ' + s.scenario);
  const report = await scenarios[s.scenario](s, local, remote);
  report.http_failures = httpFailures;
  report.pouchdb_version = PouchDB.version;
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().then(() => process.exit(0), (e) => {
  process.stdout.write(JSON.stringify({fatal: errorOf(e), stack: e && e.stack}) + '\n');
  process.exit(1);
});
