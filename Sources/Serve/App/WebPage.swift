/// The self-contained page served at `/`: submit a task, watch events live, cancel, answer approvals.
/// No external scripts, fonts or CDNs; the token comes from the URL fragment (`/#token=…`), which
/// browsers never send to the server, and travels as a `Sec-WebSocket-Protocol` entry.
enum WebPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>raaid</title>
<style>
  :root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --muted: #6e7781; }
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; padding: 1rem 1.5rem; max-width: 1100px; }
  h1 { font-size: 1.2rem; margin: 0 0 .5rem; }
  #status { color: var(--muted); margin-bottom: .75rem; }
  #status.ok { color: var(--ok); } #status.bad { color: var(--bad); }
  textarea { width: 100%; min-height: 6rem; font: inherit; box-sizing: border-box; }
  .row { display: flex; gap: .75rem; align-items: center; margin: .5rem 0 1rem; flex-wrap: wrap; }
  button { font: inherit; padding: .3rem .8rem; cursor: pointer; }
  #runs { margin: .5rem 0; }
  .run { border: 1px solid #8884; border-radius: 6px; padding: .5rem .75rem; margin-bottom: .75rem; }
  .run header { display: flex; gap: .75rem; align-items: center; }
  .run .state { font-weight: 600; }
  .state.success { color: var(--ok); } .state.failed, .state.cancelled, .state.limit_reached { color: var(--bad); }
  ol.events { font: 12px/1.4 ui-monospace, monospace; max-height: 22rem; overflow: auto; padding-left: 3.2rem; }
  ol.events li { white-space: pre-wrap; word-break: break-word; }
  .note { white-space: pre-wrap; background: #8881; padding: .5rem; border-radius: 4px; }
  .approval { border-left: 3px solid orange; padding-left: .5rem; margin: .5rem 0; }
</style>
</head>
<body>
<h1>raaid</h1>
<div id="status">connecting…</div>
<label for="task">Task</label>
<textarea id="task" placeholder="Describe the task, e.g. “Where does the server check the Origin header?”"></textarea>
<div class="row">
  <label><input type="checkbox" id="researchOnly" checked> research only</label>
  <button id="start" disabled>Start run</button>
</div>
<div id="runs"></div>
<script>
"use strict";
const params = new URLSearchParams(location.hash.slice(1));
const token = params.get("token") || "";
let sessionToken = sessionStorage.getItem("raaid.session_token");
let socket = null, nextId = 1, retryDelay = 500;
const runs = new Map();  // run id -> {el, lastSeq, done}
const $ = (id) => document.getElementById(id);

function setStatus(text, cls) { const s = $("status"); s.textContent = text; s.className = cls || ""; }
function send(message) {
  // While reconnecting the socket is CONNECTING (send would throw) or CLOSED (send would drop the message).
  if (!socket || socket.readyState !== WebSocket.OPEN) { setStatus("not connected: " + message.type + " not sent", "bad"); return null; }
  message.id = String(nextId++); socket.send(JSON.stringify(message)); return message.id;
}

function connect() {
  if (!token) { setStatus("no token: open the URL that raaid serve printed (it ends with #token=…)", "bad"); return; }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const protocols = ["raaid.v1", "raaid.token." + token];
  if (sessionToken) protocols.push("raaid.session." + sessionToken);
  socket = new WebSocket(scheme + "//" + location.host + "/ws", protocols);
  socket.onopen = () => { retryDelay = 500; };
  socket.onmessage = (frame) => handle(JSON.parse(frame.data));
  socket.onclose = (event) => {
    $("start").disabled = true;
    setStatus("disconnected (" + event.code + (event.reason ? ": " + event.reason : "") + "), reconnecting…", "bad");
    setTimeout(connect, retryDelay); retryDelay = Math.min(retryDelay * 2, 10000);
  };
}

function handle(m) {
  if (m.type === "hello") {
    sessionToken = m.session_token; sessionStorage.setItem("raaid.session_token", sessionToken);
    setStatus("connected: session " + m.session + (m.resumed ? " (resumed)" : ""), "ok");
    $("start").disabled = false;
    // Finished runs have nothing more to send: resubscribing to them would only spend the rate limit.
    for (const [run, state] of runs) if (!state.done) send({ type: "subscribe", run, since_seq: state.lastSeq });
    return;
  }
  if (m.type === "ack") { if (m.for === "run.start") ensureRun(m.run); return; }
  if (m.type === "error" && m.seq === undefined) { setStatus("error " + m.code + ": " + m.message, "bad"); return; }
  if (m.run && m.seq !== undefined) event(m);
}

function ensureRun(run) {
  if (runs.has(run)) return runs.get(run);
  const el = document.createElement("section");
  el.className = "run";
  el.innerHTML = '<header><code></code><span class="state">starting</span><button>Cancel</button></header>' +
    '<div class="approvals"></div><div class="note" hidden></div><ol class="events"></ol>';
  el.querySelector("code").textContent = run;
  el.querySelector("button").onclick = () => send({ type: "run.cancel", run });
  $("runs").prepend(el);
  const state = { el, lastSeq: 0, done: false };
  runs.set(run, state);
  return state;
}

function event(e) {
  const state = ensureRun(e.run);
  if (e.seq <= state.lastSeq) return;
  state.lastSeq = e.seq;
  const li = document.createElement("li");
  li.value = e.seq;
  li.dataset.type = e.type;
  li.textContent = summary(e);
  state.el.querySelector("ol").append(li);
  li.scrollIntoView({ block: "nearest" });
  const badge = state.el.querySelector(".state");
  if (e.type === "run.queued") badge.textContent = "queued #" + e.position;
  if (e.type === "run.started") badge.textContent = "running";
  if (e.type === "item.completed" && e.item.kind === "message") {
    const note = state.el.querySelector(".note"); note.hidden = false; note.textContent = e.item.text;
  }
  if (e.type === "item.completed" && e.item.kind === "question") approval(state, e);
  if (e.type === "run.completed") {
    state.done = true;
    badge.textContent = e.status + " (" + e.reason + ")"; badge.className = "state " + e.status;
    state.el.querySelector("header button").disabled = true;
  }
}

function approval(state, e) {
  const box = document.createElement("div");
  box.className = "approval";
  box.textContent = e.item.text + " ";
  for (const decision of ["allow", "deny"]) {
    const b = document.createElement("button");
    b.textContent = decision;
    b.onclick = () => { send({ type: "permission.respond", run: e.run, request: e.item.id, decision }); box.remove(); };
    box.append(b);
  }
  state.el.querySelector(".approvals").append(box);
}

function summary(e) {
  switch (e.type) {
    case "memory.written": return e.kind + ": " + (e.record.path ? e.record.path + (e.record.start_line ? ":" + e.record.start_line : "") + (e.record.why ? " (" + e.record.why + ")" : "") : (e.record.text || "").split("\n")[0]);
    case "progress": return "progress " + e.stage + " " + e.done + (e.total != null ? "/" + e.total : "") + " " + e.unit;
    case "error": return "error " + e.code + ": " + e.message;
    case "run.completed": return "run.completed " + e.status + " (" + e.reason + ", exit " + e.exit_code + ") in " + e.duration_ms + " ms";
    default: return e.type + (e.phase ? " [" + e.phase + "]" : "");
  }
}

$("start").onclick = () => {
  const task = $("task").value.trim();
  if (!task) { setStatus("write a task first", "bad"); return; }
  send({ type: "run.start", task, options: { research_only: $("researchOnly").checked } });
};
connect();
</script>
</body>
</html>
"""#
}
