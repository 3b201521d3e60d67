import Hummingbird

/// The dashboard page: one self-contained HTML document (inline style and script, no external assets), so it
/// works offline. Everything a user provided (ids, commands, log text, errors) reaches the document through
/// `textContent` or `setAttribute`, never as markup, and the content security policy forbids any other script.
enum Page {
    /// `GET /`.
    static func response() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: SecurityHeaders.pagePolicy,
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The document.
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>queuectl dashboard</title>
        <style>
        :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#6b7280; --line:#e3e6eb; --accent:#2f6fde;
          --pending:#6b7280; --processing:#2f6fde; --completed:#1f9d55; --failed:#d97706; --dead:#dc2626; --cancelled:#9d174d;
          --workers:#7c3aed; }
        * { box-sizing: border-box; }
        body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif; background:var(--bg); color:var(--ink); }
        header { display:flex; align-items:center; gap:16px; padding:12px 24px; background:#111827; color:#f9fafb; flex-wrap:wrap; }
        header h1 { font-size:18px; margin:0; letter-spacing:.02em; }
        header .spacer { flex:1; }
        #conn { font-size:12px; color:#cbd5e1; }
        #conn.bad { color:#fca5a5; }
        header input { width:220px; padding:5px 8px; border-radius:6px; border:1px solid #374151; background:#1f2937; color:#f9fafb; }
        main { max-width:1240px; margin:0 auto; padding:20px 24px 40px; display:grid; gap:20px; }
        .counts { display:grid; grid-template-columns:repeat(7,1fr); gap:12px; }
        .count { background:var(--card); border:1px solid var(--line); border-top:4px solid var(--c); border-radius:10px; padding:12px 14px; cursor:pointer; text-align:left; font:inherit; color:inherit; }
        .count:hover, .count.active { box-shadow:0 0 0 2px var(--c) inset; }
        .count .n { font-size:28px; font-weight:650; font-variant-numeric:tabular-nums; }
        .count .label { color:var(--muted); text-transform:uppercase; font-size:11px; letter-spacing:.08em; }
        section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px; min-width:0; }
        section h2 { font-size:15px; margin:0 0 12px; display:flex; align-items:center; gap:10px; }
        .row2 { display:grid; grid-template-columns:minmax(0,2fr) minmax(0,1fr); gap:20px; align-items:start; }
        .toolbar { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin-bottom:10px; }
        .toolbar .spacer { flex:1; }
        table { width:100%; border-collapse:collapse; table-layout:fixed; }
        th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
        th { font-size:11px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); font-weight:600; }
        tbody tr:hover { background:#f1f5ff; cursor:pointer; }
        tbody tr.selected { background:#e6eeff; }
        td.mono, .mono { font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",monospace; font-size:12.5px; }
        .badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; color:#fff; background:var(--c); }
        .empty { color:var(--muted); padding:14px 8px; text-align:center; }
        button, select, input { font:inherit; }
        button { padding:5px 12px; border-radius:6px; border:1px solid var(--line); background:#fff; cursor:pointer; }
        button:hover { border-color:var(--accent); }
        button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
        button.danger { color:var(--dead); border-color:#f3c4c4; }
        button:disabled { opacity:.45; cursor:default; }
        select, main input { padding:5px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; min-width:0; }
        form.enqueue { display:grid; grid-template-columns:repeat(6,minmax(0,1fr)); gap:8px; align-items:end; }
        form.enqueue label { display:grid; gap:3px; font-size:12px; color:var(--muted); }
        form.enqueue label.wide { grid-column:span 3; }
        form.enqueue input { width:100%; }
        dl { display:grid; grid-template-columns:110px minmax(0,1fr); gap:4px 10px; margin:0 0 12px; }
        dt { color:var(--muted); }
        dd { margin:0; overflow-wrap:anywhere; }
        pre { background:#0f172a; color:#e2e8f0; border-radius:8px; padding:10px 12px; max-height:320px; overflow:auto; white-space:pre-wrap; overflow-wrap:anywhere; margin:0; font-size:12.5px; }
        #message { min-height:20px; font-size:13px; }
        #message.error { color:var(--dead); }
        #message.ok { color:var(--completed); }
        .muted { color:var(--muted); }
        @media (max-width: 900px) { .counts { grid-template-columns:repeat(3,1fr); } .row2 { grid-template-columns:1fr; } form.enqueue { grid-template-columns:1fr 1fr; } form.enqueue label.wide { grid-column:span 2; } }
        </style>
        </head>
        <body>
        <header>
          <h1>queuectl</h1>
          <span id="conn">connecting…</span>
          <span class="spacer"></span>
          <form id="token-form" autocomplete="off"><input id="token-input" type="password" placeholder="dashboard token" aria-label="token"> <button type="submit">Use token</button></form>
        </header>
        <main>
          <div class="counts" id="counts">
            <button class="count" data-state="pending" style="--c:var(--pending)"><div class="label">pending</div><div class="n" id="count-pending">–</div></button>
            <button class="count" data-state="processing" style="--c:var(--processing)"><div class="label">processing</div><div class="n" id="count-processing">–</div></button>
            <button class="count" data-state="completed" style="--c:var(--completed)"><div class="label">completed</div><div class="n" id="count-completed">–</div></button>
            <button class="count" data-state="failed" style="--c:var(--failed)"><div class="label">failed</div><div class="n" id="count-failed">–</div></button>
            <button class="count" data-state="dead" style="--c:var(--dead)"><div class="label">dead (DLQ)</div><div class="n" id="count-dead">–</div></button>
            <button class="count" data-state="cancelled" style="--c:var(--cancelled)"><div class="label">cancelled</div><div class="n" id="count-cancelled">–</div></button>
            <button class="count" data-state="" style="--c:var(--workers)"><div class="label">workers</div><div class="n" id="count-workers">–</div></button>
          </div>
          <section>
            <h2>Enqueue a job</h2>
            <form id="enqueue-form" class="enqueue" autocomplete="off">
              <label class="wide">command<input id="enqueue-command" class="mono" required placeholder="echo hello"></label>
              <label>id (optional)<input id="enqueue-id" placeholder="generated"></label>
              <label>queue<input id="enqueue-queue" placeholder="default"></label>
              <label>priority<input id="enqueue-priority" type="number" step="1" placeholder="0"></label>
              <label>max retries<input id="enqueue-max-retries" type="number" min="0" step="1" placeholder="config"></label>
              <label>delay (s)<input id="enqueue-delay" type="number" min="0" step="any" placeholder="0"></label>
              <label>timeout (s)<input id="enqueue-timeout" type="number" min="0" step="1" placeholder="config"></label>
              <span></span><span></span>
              <button id="enqueue-submit" class="primary" type="submit">Enqueue</button>
            </form>
            <div id="message" role="status"></div>
          </section>
          <div class="row2">
            <section>
              <h2>Jobs</h2>
              <div class="toolbar">
                <select id="filter-state" aria-label="state">
                  <option value="">all states</option><option>pending</option><option>processing</option>
                  <option>completed</option><option>failed</option><option>dead</option><option>cancelled</option>
                </select>
                <input id="filter-queue" placeholder="queue" aria-label="queue" size="10">
                <span class="spacer"></span>
                <button id="retry-all-dead" class="danger" type="button">Retry all dead</button>
                <button id="purge" class="danger" type="button" title="Delete the finished jobs of the state picked on the left">Purge…</button>
                <button id="page-prev" type="button">‹ Prev</button>
                <span id="page-info" class="muted"></span>
                <button id="page-next" type="button">Next ›</button>
              </div>
              <table>
                <colgroup><col style="width:22%"><col style="width:12%"><col><col style="width:11%"><col style="width:8%"><col style="width:13%"></colgroup>
                <thead><tr><th>id</th><th>state</th><th>command</th><th>queue</th><th>tries</th><th>updated</th></tr></thead>
                <tbody id="jobs"></tbody>
              </table>
            </section>
            <section id="detail">
              <h2>Job <span id="detail-id" class="mono"></span></h2>
              <div id="detail-body" class="muted">Select a job to see its details and log.</div>
            </section>
          </div>
          <section>
            <h2>Workers <span class="spacer"></span></h2>
            <div class="toolbar"><span class="muted" id="workers-info"></span><span class="spacer"></span>
              <button id="stop-workers" class="danger" type="button">Stop all workers</button></div>
            <table>
              <colgroup><col style="width:30%"><col style="width:16%"><col style="width:9%"><col style="width:10%"><col><col style="width:14%"></colgroup>
              <thead><tr><th>id</th><th>host</th><th>pid</th><th>state</th><th>job</th><th>heartbeat</th></tr></thead>
              <tbody id="workers"></tbody>
            </table>
          </section>
          <section>
            <h2>Queues <span class="spacer"></span></h2>
            <table>
              <colgroup><col style="width:22%"><col><col><col><col><col><col><col><col><col style="width:20%"></colgroup>
              <thead><tr><th>queue</th><th>pending</th><th>processing</th><th>completed</th><th>failed</th><th>dead</th><th>cancelled</th><th>paused</th><th>limit</th><th>actions</th></tr></thead>
              <tbody id="queues"></tbody>
            </table>
          </section>
          <section>
            <h2>Schedules <span class="spacer"></span></h2>
            <table>
              <colgroup><col style="width:18%"><col style="width:18%"><col><col style="width:13%"><col style="width:13%"><col style="width:20%"></colgroup>
              <thead><tr><th>name</th><th>spec</th><th>command</th><th>next run</th><th>last run</th><th>last job</th></tr></thead>
              <tbody id="schedules"></tbody>
            </table>
          </section>
        </main>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        const STATES = ["pending", "processing", "completed", "failed", "dead", "cancelled"];
        const view = { state: "", queue: "", offset: 0, limit: 20, selected: null, lastCount: 0 };
        let token = "";

        function readToken() {
          const given = /(?:^#|&)token=([^&]*)/.exec(location.hash);
          if (given) {
            token = decodeURIComponent(given[1]);
            try { localStorage.setItem("queuectl-token", token); } catch (e) {}
            history.replaceState(null, "", location.pathname);
          } else {
            try { token = localStorage.getItem("queuectl-token") || ""; } catch (e) {}
          }
          $("token-input").value = token;
        }

        async function api(method, path, body) {
          const headers = {};
          if (token) headers["Authorization"] = "Bearer " + token;
          if (body !== undefined) headers["Content-Type"] = "application/json";
          const response = await fetch(path, { method, headers, cache: "no-store",
            body: body === undefined ? undefined : JSON.stringify(body) });
          let data = null;
          try { data = await response.json(); } catch (e) {}
          if (!response.ok) {
            const error = new Error(data && data.error ? data.error : response.status + " " + response.statusText);
            error.status = response.status;
            throw error;
          }
          return data;
        }

        function el(tag, props, ...children) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(props || {})) {
            if (key === "class") node.className = value;
            else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
            else node.setAttribute(key, String(value));
          }
          for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
          return node;
        }

        function badge(state) { return el("span", { class: "badge", style: "--c:var(--" + (STATES.includes(state) ? state : "pending") + ")" }, state); }

        function ago(iso) {
          if (!iso) return "–";
          const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
          if (seconds < -1) return "in " + human(-seconds);
          return seconds <= 1 ? "just now" : human(seconds) + " ago";
        }
        function human(s) { return s < 60 ? s + "s" : s < 3600 ? Math.floor(s / 60) + "m" : s < 86400 ? Math.floor(s / 3600) + "h" : Math.floor(s / 86400) + "d"; }

        function say(text, kind) { const m = $("message"); m.textContent = text; m.className = kind || ""; }
        function failed(error) {
          if (error.status === 401) { say("This needs the dashboard's token: paste it in the box at the top right. (" + error.message + ")", "error"); $("token-input").focus(); }
          else say(error.message, "error");
        }

        async function refreshStatus() {
          const counts = await api("GET", "/api/status");
          for (const key of STATES.concat(["workers"])) $("count-" + key).textContent = String(counts[key]);
          return counts;
        }

        async function refreshJobs(counts) {
          const params = new URLSearchParams({ limit: String(view.limit), offset: String(view.offset) });
          if (view.state) params.set("state", view.state);
          if (view.queue) params.set("queue", view.queue);
          const jobs = await api("GET", "/api/jobs?" + params);
          const body = $("jobs");
          const rows = jobs.map((job) => {
            const row = el("tr", { "data-id": job.id, onclick: () => select(job.id) },
              el("td", { class: "mono", title: job.id }, job.id),
              el("td", {}, badge(job.state)),
              el("td", { class: "mono", title: job.command }, job.command),
              el("td", { title: job.queue }, job.queue),
              el("td", {}, job.attempts + "/" + (job.max_retries + 1)),
              el("td", { title: job.updated_at }, ago(job.updated_at)));
            if (job.id === view.selected) row.classList.add("selected");
            return row;
          });
          if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 6, class: "empty" }, "No jobs" + (view.state ? " in state " + view.state : "") + ".")));
          body.replaceChildren(...rows);
          let total = null;
          if (!view.queue && counts) total = view.state ? counts[view.state] : STATES.reduce((sum, s) => sum + counts[s], 0);
          const first = jobs.length ? view.offset + 1 : 0;
          $("page-info").textContent = first + "–" + (view.offset + jobs.length) + (total !== null ? " of " + total : "");
          $("page-prev").disabled = view.offset === 0;
          $("page-next").disabled = jobs.length < view.limit || (total !== null && view.offset + jobs.length >= total);
        }

        async function refreshWorkers() {
          const workers = await api("GET", "/api/workers");
          const rows = workers.map((w) => el("tr", {},
            el("td", { class: "mono", title: w.id }, w.id), el("td", { title: w.host }, w.host), el("td", {}, w.pid),
            el("td", {}, w.state), el("td", { class: "mono", title: w.job || "" }, w.job || "–"), el("td", { title: w.heartbeat_at }, ago(w.heartbeat_at))));
          if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 6, class: "empty" }, "No workers running. Start some with: queuectl worker start")));
          $("workers").replaceChildren(...rows);
          $("workers-info").textContent = workers.length + (workers.length === 1 ? " worker" : " workers") + " registered";
        }

        async function refreshQueues() {
          const queues = await api("GET", "/api/queues");
          const rows = queues.map((q) => el("tr", { "data-queue": q.queue },
            el("td", { class: "mono", title: q.queue }, q.queue),
            ...["pending", "processing", "completed", "failed", "dead", "cancelled"].map((state) => el("td", {}, q[state])),
            el("td", {}, q.paused ? "paused" : "no"), el("td", {}, q.limit === 0 ? "–" : q.limit),
            el("td", {},
              q.paused
                ? el("button", { class: "queue-resume", type: "button", onclick: () => queueAction(q.queue, "resume", undefined, "Queue " + q.queue + " resumed.") }, "Resume")
                : el("button", { class: "queue-pause", type: "button", onclick: () => queueAction(q.queue, "pause", undefined, "Queue " + q.queue + " paused: running jobs finish, no new ones start.") }, "Pause"),
              " ",
              el("button", { class: "queue-limit", type: "button", onclick: () => limitQueue(q) }, "Limit…"))));
          if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 10, class: "empty" }, "No queues yet: a queue appears with its first job or setting.")));
          $("queues").replaceChildren(...rows);
        }

        async function queueAction(name, action, body, done) {
          try {
            await api("POST", "/api/queues/" + encodeURIComponent(name) + "/" + action, body);
            say(done, "ok");
            await refresh();
          } catch (error) { failed(error); }
        }

        function limitQueue(q) {
          const text = prompt("At most how many jobs of " + q.queue + " may run at once, over every worker? (0 = no limit)", String(q.limit));
          if (text === null) return;
          const limit = Number(text.trim());
          queueAction(q.queue, "limit", { limit: text.trim() === "" || !Number.isFinite(limit) ? text : limit },
            limit === 0 ? "Queue " + q.queue + " has no limit." : "Queue " + q.queue + " runs at most " + limit + " at once.");
        }

        async function refreshSchedules() {
          const schedules = await api("GET", "/api/schedules");
          const spec = (s) => s.cron !== null ? s.cron + (s.tz === "UTC" ? "" : " " + s.tz) : "every " + s.every + "s";
          const rows = schedules.map((s) => el("tr", {},
            el("td", { class: "mono", title: s.name }, s.name), el("td", { class: "mono", title: spec(s) }, spec(s)),
            el("td", { class: "mono", title: s.command }, s.command), el("td", { title: s.next_run_at }, ago(s.next_run_at)),
            el("td", { title: s.last_run_at || "" }, ago(s.last_run_at)), el("td", { class: "mono", title: s.last_job || "" }, s.last_job || "–")));
          if (rows.length === 0) rows.push(el("tr", {}, el("td", { colspan: 6, class: "empty" }, "No schedules. Add one with: queuectl schedule add NAME --every 5m --command CMD")));
          $("schedules").replaceChildren(...rows);
        }

        async function refreshDetail() {
          if (!view.selected) return;
          const id = view.selected;
          let job, log, dependencies;
          try {
            [job, log, dependencies] = await Promise.all([api("GET", "/api/jobs/" + encodeURIComponent(id)),
              api("GET", "/api/jobs/" + encodeURIComponent(id) + "/log"),
              api("GET", "/api/jobs/" + encodeURIComponent(id) + "/dependencies")]);
          } catch (error) {
            if (error.status === 404) { view.selected = null; $("detail-id").textContent = ""; $("detail-body").replaceChildren("That job no longer exists."); return; }
            throw error;
          }
          if (view.selected !== id) return;
          const fields = [["state", badge(job.state)], ["command", el("span", { class: "mono" }, job.command)], ["queue", job.queue],
            ["attempts", job.attempts + " of " + (job.max_retries + 1)], ["snoozes", job.snoozes],
            ["no-retry exit codes", job.no_retry_exit_codes.length ? job.no_retry_exit_codes.join(", ") : "–"],
            ["unique key", job.unique_key ?? "–"], ["runs after", dependencyList(dependencies)], ["priority", job.priority], ["exit code", job.exit_code ?? "–"],
            ["last error", job.last_error ?? "–"], ["run at", job.run_at], ["created", job.created_at], ["started", job.started_at ?? "–"],
            ["finished", job.finished_at ?? "–"], ["worker", job.worker ?? "–"], ["timeout", job.timeout ? job.timeout + " s" : "none"], ["log file", el("span", { class: "mono" }, job.log)]];
          const list = el("dl", {});
          for (const [name, value] of fields) list.append(el("dt", {}, name), el("dd", {}, value));
          const actions = el("div", { class: "toolbar" });
          if (job.state === "dead") actions.append(el("button", { id: "detail-retry", class: "primary", type: "button", onclick: () => retry(job.id) }, "Retry this dead job"));
          if (actionStates.cancel.includes(job.state)) actions.append(el("button", { id: "detail-cancel", class: "danger", type: "button", onclick: () => cancelJob(job.id) }, "Cancel this job"));
          if (actionStates.promote.includes(job.state)) actions.append(el("button", { id: "detail-promote", type: "button", onclick: () => act(job.id, "promote", "Job " + job.id + " is due now.") }, "Run now"));
          if (actionStates.restart.includes(job.state)) actions.append(el("button", { id: "detail-restart", type: "button", onclick: () => act(job.id, "restart", "Job " + job.id + " will run again.") }, "Restart"));
          if (actionStates.remove.includes(job.state)) actions.append(el("button", { id: "detail-remove", class: "danger", type: "button", onclick: () => removeJob(job.id) }, "Remove"));
          const heading = el("div", { class: "toolbar" }, el("strong", {}, "Log"), el("span", { class: "muted" },
            log.size === 0 ? "(empty)" : log.truncated ? "(last part of " + log.size + " bytes)" : "(" + log.size + " bytes)"));
          const pre = el("pre", { id: "detail-log" }, log.text || "no output yet");
          const keepBottom = $("detail-log") && $("detail-log").scrollTop + $("detail-log").clientHeight >= $("detail-log").scrollHeight - 4;
          $("detail-id").textContent = job.id;
          $("detail-body").className = "";
          $("detail-body").replaceChildren(list, actions, heading, pre);
          if (keepBottom !== false) pre.scrollTop = pre.scrollHeight;
        }

        function dependencyList(dependencies) {
          if (dependencies.length === 0) return "–";
          const list = el("span", { id: "detail-dependencies" });
          dependencies.forEach((d, index) => {
            if (index > 0) list.append(", ");
            list.append(el("span", { class: "mono" }, d.id), " ", d.state === null ? "(removed)" : badge(d.state),
              d.waiting ? el("span", { class: "muted" }, " waiting") : "");
          });
          return list;
        }

        function select(id) {
          view.selected = id;
          for (const row of $("jobs").children) row.classList.toggle("selected", row.dataset.id === id);
          refreshDetail().catch(failed);
        }

        async function retry(id) {
          try {
            await api("POST", "/api/jobs/" + encodeURIComponent(id) + "/retry");
            say("Job " + id + " is back in the queue.", "ok");
            await refresh();
          } catch (error) { failed(error); }
        }

        async function cancelJob(id) {
          try {
            const job = await api("POST", "/api/jobs/" + encodeURIComponent(id) + "/cancel");
            say(job.state === "processing" ? "Job " + id + " is being stopped by its worker." : "Job " + id + " is cancelled.", "ok");
            await refresh();
          } catch (error) { failed(error); }
        }

        const actionStates = \#(actionStates);

        async function act(id, action, done) {
          try {
            await api("POST", "/api/jobs/" + encodeURIComponent(id) + "/" + action);
            say(done, "ok");
            await refresh();
          } catch (error) { failed(error); }
        }

        async function removeJob(id) {
          if (!confirm("Remove job " + id + " and its log? This cannot be undone.")) return;
          try {
            await api("DELETE", "/api/jobs/" + encodeURIComponent(id));
            say("Removed job " + id + ".", "ok");
            if (view.selected === id) { view.selected = null; $("detail-id").textContent = ""; $("detail-body").replaceChildren("Select a job to see its details and log."); }
            await refresh();
          } catch (error) { failed(error); }
        }

        async function purge() {
          const state = view.state;
          if (!actionStates.purge.includes(state)) { say("Pick " + actionStates.purge.join(", ") + " in the state filter first: purge deletes finished jobs.", "error"); return; }
          const age = prompt("Delete the " + state + " jobs last changed more than how long ago? (0 for all; or 90, 30s, 15m, 2h, 7d)", "7d");
          if (age === null) return;
          const query = "/api/purge?state=" + encodeURIComponent(state) + "&older_than=" + encodeURIComponent(age.trim())
            + (view.queue ? "&queue=" + encodeURIComponent(view.queue) : "");
          try {
            const counted = await api("POST", query + "&dry_run=1");
            if (counted.count === 0) { say("No " + state + " job is that old.", "ok"); return; }
            if (!confirm("Delete " + counted.count + " " + state + " job(s) and their logs? This cannot be undone.")) return;
            const answer = await api("POST", query);
            say("Purged " + answer.count + " " + state + " job(s).", "ok");
            await refresh();
          } catch (error) { failed(error); }
        }

        let refreshing = null;
        async function refresh() {
          if (refreshing) return refreshing;
          refreshing = (async () => {
            try {
              const counts = await refreshStatus();
              await Promise.all([refreshJobs(counts), refreshWorkers(), refreshQueues(), refreshSchedules(), refreshDetail()]);
              $("conn").textContent = "live · updated " + new Date().toLocaleTimeString();
              $("conn").className = "";
              document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
            } catch (error) {
              $("conn").textContent = "cannot reach the dashboard: " + error.message;
              $("conn").className = "bad";
            } finally { refreshing = null; }
          })();
          return refreshing;
        }

        function number(id) { const v = $(id).value.trim(); return v === "" ? undefined : Number(v); }

        $("enqueue-form").addEventListener("submit", async (event) => {
          event.preventDefault();
          const job = { command: $("enqueue-command").value };
          const id = $("enqueue-id").value.trim(), queue = $("enqueue-queue").value.trim();
          if (id) job.id = id;
          if (queue) job.queue = queue;
          for (const [field, input] of [["priority", "enqueue-priority"], ["max_retries", "enqueue-max-retries"], ["delay", "enqueue-delay"], ["timeout", "enqueue-timeout"]]) {
            const value = number(input);
            if (value !== undefined) job[field] = value;
          }
          $("enqueue-submit").disabled = true;
          try {
            const created = await api("POST", "/api/jobs", job);
            say("Enqueued job " + created.id + ".", "ok");
            $("enqueue-form").reset();
            await refresh();
            select(created.id);
          } catch (error) { failed(error); } finally { $("enqueue-submit").disabled = false; }
        });

        $("token-form").addEventListener("submit", (event) => {
          event.preventDefault();
          token = $("token-input").value.trim();
          try { localStorage.setItem("queuectl-token", token); } catch (e) {}
          say(token ? "Token saved in this browser." : "Token cleared.", "ok");
          refresh();
        });

        $("filter-state").addEventListener("change", () => { view.state = $("filter-state").value; view.offset = 0; markCard(); refresh(); });
        $("filter-queue").addEventListener("change", () => { view.queue = $("filter-queue").value.trim(); view.offset = 0; refresh(); });
        $("page-prev").addEventListener("click", () => { view.offset = Math.max(0, view.offset - view.limit); refresh(); });
        $("page-next").addEventListener("click", () => { view.offset += view.limit; refresh(); });
        for (const card of document.querySelectorAll(".count")) {
          card.addEventListener("click", () => { view.state = card.dataset.state; $("filter-state").value = view.state; view.offset = 0; markCard(); refresh(); });
        }
        function markCard() { for (const card of document.querySelectorAll(".count")) card.classList.toggle("active", !!view.state && card.dataset.state === view.state); }

        $("retry-all-dead").addEventListener("click", async () => {
          try {
            const answer = await api("POST", "/api/dlq/retry");
            say(answer.retried.length ? "Moved " + answer.retried.length + " dead job(s) back to pending." : "The dead letter queue is empty.", "ok");
            await refresh();
          } catch (error) { failed(error); }
        });
        $("purge").addEventListener("click", () => { purge(); });
        $("stop-workers").addEventListener("click", async () => {
          try {
            const answer = await api("POST", "/api/workers/stop");
            say("Asked " + answer.workers + " worker(s) to finish their jobs and stop.", "ok");
            await refresh();
          } catch (error) { failed(error); }
        });

        readToken();
        refresh();
        (function loop() { setTimeout(() => { refresh().finally(loop); }, 2000); })();
        </script>
        </body>
        </html>
        """#
}
