import IAMAudit
import IAMCatalog
import IAMOrganization
import IAMPolicy

/// The access review as one self-contained HTML page: inline CSS and script, the review as compact JSON in the
/// page, nothing fetched. Filters by person, account and group; every table shows one page of 50 rows, built when
/// it is shown, so 10,000 people in 1,000 accounts (millions of rows) never become millions of DOM nodes.
enum ReviewHTML {
  static func render(_ review: AccessReview, source: String, catalog: CatalogMetadata) -> String {
    let title = "iamsim review: \(source)"
    var data = data(review).rendered()
    // Inside a <script> element: no `</script>`, no `<!--`.
    data = data.replacingOccurrences(of: "<", with: "\\u003c")
    return """
      \(AuditHTML.pageStart(title: title, style: style))
      <p class="scope" id="totals"></p>
      </header>
      <nav class="filters">
      <label>Person <input id="f-person" type="search" placeholder="user name contains…" autocomplete="off"></label>
      <label>Account <input id="f-account" type="search" placeholder="account id or name…" autocomplete="off"></label>
      <label>Group <input id="f-group" type="search" placeholder="group name contains…" autocomplete="off" list="groups"></label>
      <datalist id="groups"></datalist>
      <button id="f-clear" type="button">Clear</button>
      </nav>
      <nav class="tabs" id="tabs">
      <button type="button" data-tab="people" class="on">People</button>
      <button type="button" data-tab="rows">Rows (person, account, permission set, via)</button>
      <button type="button" data-tab="accounts">Accounts</button>
      <button type="button" data-tab="groups">Groups</button>
      <button type="button" data-tab="sets">Grant sets</button>
      </nav>
      <main id="view"></main>
      <footer>\(AuditHTML.escape(AuditText.catalogLine(catalog))). Every grant set is decided by iamsim's evaluation engine \
      as `iamsim access` and `iamsim audit --org` decide them: conditions, boundaries, SCPs and Deny statements count. \
      iamsim \(Tool.version), offline: no AWS credentials, no network.</footer>
      <script type="application/json" id="review-data">\(data)</script>
      <script>
      \(script)
      </script>
      </body>
      </html>

      """
  }

  /// The review in arrays (see `script` for the layout).
  static func data(_ review: AccessReview) -> JSONOutput {
    let accountIndex = Dictionary(review.accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let levels = { (levels: [AccessLevel: Int]) -> JSONOutput in .array(AccessLevel.allCases.map { .int(levels[$0] ?? 0) }) }
    let sets: [JSONOutput] = review.grantSets.map { set in
      .array([
        .string(set.subject), .int(set.actions.count), .int(set.conditional), .int(set.cut), levels(set.levels),
        .optional(set.worstSeverity?.rawValue),
        .array(set.findings.map { .array([.string($0.severity.rawValue), .string($0.code), .string($0.message)]) }),
        .array(set.services.map { service in
          .array([.string(service.service), .int(service.granted), .int(service.conditional)]
            + AccessLevel.allCases.map { .int(service.levels[$0] ?? 0) })
        }),
      ])
    }
    let routes: [JSONOutput] = review.routes.map { route in
      let grant: JSONOutput
      switch route.grant {
      case .set(let set): grant = .int(set)
      case .byTags(let keys, let choices):
        grant = .object([
          ("k", .array(keys.map(JSONOutput.string))),
          ("c", .array(choices.map { .array([.array($0.values.map(JSONOutput.optional)), .int($0.set)]) })),
        ])
      case .perPerson: grant = "person"
      case .nobody: grant = .null
      case .unavailable(_, let message): grant = .object([("u", .string(message))])
      }
      return .array([
        .int(route.principalType == .group ? 1 : 0), .string(route.principal), .int(accountIndex[route.account] ?? -1),
        .int(route.target.kind == "role" ? 1 : 0), .string(route.target.name), grant, .int(route.people),
      ])
    }
    let people: [JSONOutput] = review.people.indices.map { index in
      let person = review.people[index]
      let summary = review.summary(of: index)
      return .array([
        .string(person.userName), .optional(person.displayName), .array(person.groups.map { .int($0) }),
        .array(person.direct.map { .int($0) }),
        .array(person.ownGrants.map { .array([.int($0.route), .int($0.set)]) }),
        .object(person.tags.map { ($0.key.lowercased(), .string($0.value)) }),
        .int(summary.accesses), .int(summary.accounts), .optional(summary.worstSeverity?.rawValue),
        .array(summary.findings.map(JSONOutput.string)),
      ])
    }
    let groups: [JSONOutput] = review.groups.map { group in
      .array([.string(group.name), .array(group.routes.map { .int($0) }), .array(group.members.map { .int($0) })])
    }
    let accounts: [JSONOutput] = review.accounts.map { account in
      .array([.string(account.id), .string(account.name), .int(account.people), .array(account.routes.map { .int($0) })])
    }
    return .object([
      ("levels", .array(AccessLevel.allCases.map { .string($0.rawValue) })),
      ("totals", .object(review.totals.map { ($0.0, .int($0.1)) })),
      ("sets", .array(sets)), ("routes", .array(routes)), ("people", .array(people)), ("groups", .array(groups)),
      ("accounts", .array(accounts)),
    ])
  }

  static let style = """
    :root { --border: #d0d4da; --muted: #5b6470; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 24px 40px; color: #1d2329; background: #fff; }
    h1 { font-size: 20px; margin: 14px 0 2px; } .scope { margin: 0 0 8px; color: var(--muted); }
    footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
    nav.filters { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
    nav.filters input { font: inherit; padding: 3px 6px; width: 220px; border: 1px solid var(--border); border-radius: 4px; }
    nav.tabs { margin: 10px 0 8px; border-bottom: 1px solid var(--border); }
    nav.tabs button { font: inherit; border: 1px solid var(--border); border-bottom: none; background: #f3f5f7; padding: 4px 12px;
      margin-right: 4px; border-radius: 4px 4px 0 0; cursor: pointer; }
    nav.tabs button.on { background: #fff; font-weight: 600; position: relative; top: 1px; }
    button { cursor: pointer; }
    table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--border); padding: 3px 6px; vertical-align: top; }
    th { background: #f3f5f7; text-align: left; font-weight: 600; white-space: nowrap; }
    td.nw { white-space: nowrap; } td.fd { font-size: 12px; color: #39424d; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    tr.open > td { background: #f7f9fc; } tr.detail > td { background: #fbfcfe; padding: 8px 12px; }
    tr.row { cursor: pointer; } tr.row:hover > td { background: #eef3fb; }
    .sev { font-weight: 700; white-space: nowrap; } .sev-error { color: #b00020; } .sev-security-warning { color: #c2410c; }
    .sev-warning { color: #a16207; } .sev-suggestion { color: #2563eb; }
    .pager { margin: 8px 0; display: flex; gap: 10px; align-items: center; color: var(--muted); }
    .pager button { font: inherit; padding: 2px 10px; }
    code, .code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .muted { color: var(--muted); } .bad { color: #b00020; }
    .lv { display: inline-block; min-width: 2.6em; text-align: right; font-variant-numeric: tabular-nums; }
    table.inner { width: auto; margin: 4px 0; } table.inner td, table.inner th { font-size: 13px; }
    """

  /// The page's script. Data layout: `sets[i] = [subject, granted, conditional, cut, [levels…], worst, [[sev, code,
  /// message]…], [[service, granted, conditional, levels…]…]]`; `routes[i] = [isGroup, principal, account index,
  /// isRole, target, grant (set id | {k, c} by tags | "person" | null nobody | {u} not evaluated), people]`;
  /// `people[i] = [userName, displayName, [group…], [direct route…], [[route, set]…], {tag: value}, rows,
  /// accounts, worst, [code…]]`; `groups[i] = [name, [route…], [member…]]`; `accounts[i] = [id, name, people,
  /// [route…]]`.
  static let script = #"""
    "use strict";
    const D = JSON.parse(document.getElementById("review-data").textContent);
    const PAGE = 50;
    const state = { tab: "people", page: 0, open: -1, person: "", account: "", group: "" };
    const $ = (id) => document.getElementById(id);
    const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
    const SEV = ["error", "security-warning", "warning", "suggestion"];
    const sevRank = (s) => (s == null ? 9 : SEV.indexOf(s));
    const sevHTML = (s) => (s == null ? '<span class="muted">-</span>' : `<span class="sev sev-${esc(s)}">${esc(s)}</span>`);
    const LV = D.levels.map((l) => l.split(" ").map((w) => w[0].toUpperCase()).join(""));
    const levelCells = (lv) => lv.map((n) => `<td class="num">${n}</td>`).join("");
    const levelHeads = () => D.levels.map((l, i) => `<th class="num" title="${esc(l)}">${LV[i]}</th>`).join("");
    const accountLabel = (a) => (a < 0 ? "?" : D.accounts[a][0] + (D.accounts[a][1] ? " " + D.accounts[a][1] : ""));

    function setOf(route, p) {
      const g = D.routes[route][5];
      if (typeof g === "number") return g;
      if (g === "person") { const own = D.people[p][4].find((x) => x[0] === route); return own && own[1] >= 0 ? own[1] : -1; }
      if (g && g.k) {
        const tags = D.people[p][5];
        const values = g.k.map((k) => (k in tags ? tags[k] : null));
        const c = g.c.find((x) => x[0].every((v, i) => v === values[i]));
        return c ? c[1] : -1;
      }
      return -1;
    }
    function rowsOf(p) {
      const out = [];
      for (const r of D.people[p][3]) out.push([p, r, -1]);
      for (const g of D.people[p][2]) for (const r of D.groups[g][1]) out.push([p, r, g]);
      return out;
    }
    const lower = (s) => String(s || "").toLowerCase();
    const collator = new Intl.Collator(undefined, { numeric: true });
    const byName = (a, b) => collator.compare(a, b);
    function matchPerson(p) {
      if (!state.person) return true;
      const q = lower(state.person);
      return lower(D.people[p][0]).includes(q) || lower(D.people[p][1]).includes(q);
    }
    function matchAccount(a) {
      if (!state.account) return true;
      const q = lower(state.account);
      return a >= 0 && (D.accounts[a][0].includes(q) || lower(D.accounts[a][1]).includes(q));
    }
    function matchGroup(g) { return !state.group || (g >= 0 && lower(D.groups[g][0]).includes(lower(state.group))); }
    function matchRow(row) {
      return matchAccount(D.routes[row[1]][2]) && (!state.group || matchGroup(row[2]));
    }
    function grantText(set, route) {
      if (set < 0) {
        const g = D.routes[route][5];
        return g && g.u ? `<span class="bad">not evaluated: ${esc(g.u)}</span>` : '<span class="muted">not evaluated</span>';
      }
      const s = D.sets[set];
      return `<a href="#" data-set="${set}">#${set}</a> ${s[1]} actions`;
    }
    function pager(total) {
      const pages = Math.max(1, Math.ceil(total / PAGE));
      if (state.page >= pages) state.page = pages - 1;
      const from = total ? state.page * PAGE + 1 : 0, to = Math.min(total, (state.page + 1) * PAGE);
      return `<div class="pager"><button type="button" data-page="-1" ${state.page ? "" : "disabled"}>◀ Prev</button>` +
        `<span>${from.toLocaleString()}–${to.toLocaleString()} of ${total.toLocaleString()} · page ${state.page + 1} of ${pages.toLocaleString()}</span>` +
        `<button type="button" data-page="1" ${state.page + 1 < pages ? "" : "disabled"}>Next ▶</button></div>`;
    }
    function findingsList(codes) { return codes.length ? codes.map(esc).join(", ") : '<span class="muted">-</span>'; }
    function setDetail(set) {
      const s = D.sets[set];
      let h = `<div><b>Grant set #${set}</b> <span class="muted">first audited as ${esc(s[0])}</span>: ${s[1]} actions, ` +
        `${s[2]} conditional, ${s[3]} cut.</div>`;
      if (s[6].length) h += '<table class="inner"><tr><th>severity</th><th>finding</th><th>what</th></tr>' +
        s[6].map((f) => `<tr><td>${sevHTML(f[0])}</td><td><code>${esc(f[1])}</code></td><td>${esc(f[2])}</td></tr>`).join("") + "</table>";
      h += `<table class="inner"><tr><th>service</th><th class="num">granted</th><th class="num">cond.</th>${levelHeads()}</tr>` +
        s[7].map((v) => `<tr><td><code>${esc(v[0])}</code></td><td class="num">${v[1]}</td><td class="num">${v[2]}</td>${levelCells(v.slice(3))}</tr>`).join("") +
        "</table>";
      return h;
    }
    function personDetail(p) {
      const rows = rowsOf(p).filter(matchRow);
      let h = `<table class="inner"><tr><th>account</th><th>permission set or role</th><th>via</th><th>grant set</th>${levelHeads()}<th>findings</th></tr>`;
      for (const [, r, g] of rows.slice(0, 500)) {
        const route = D.routes[r], set = setOf(r, p), s = set >= 0 ? D.sets[set] : null;
        h += `<tr><td class="nw">${esc(accountLabel(route[2]))}</td><td>${route[3] ? "role " : ""}${esc(route[4])}</td>` +
          `<td class="nw">${g >= 0 ? "group " + esc(D.groups[g][0]) : "direct"}</td><td class="nw">${grantText(set, r)}</td>` +
          (s ? levelCells(s[4]) : D.levels.map(() => "<td></td>").join("")) +
          `<td class="fd">${s ? findingsList([...new Set(s[6].map((f) => f[1]))]) : ""}</td></tr>`;
      }
      h += "</table>";
      if (rows.length > 500) h += `<div class="muted">${rows.length - 500} more rows: filter by account or group, or see the Rows tab.</div>`;
      return h;
    }
    function table(head, items, rowHTML, detailHTML, cols) {
      let h = pager(items.length) + `<table><thead><tr>${head}</tr></thead><tbody>`;
      for (const item of items.slice(state.page * PAGE, (state.page + 1) * PAGE)) {
        const open = state.open === item;
        h += `<tr class="row${open ? " open" : ""}" data-open="${item}">${rowHTML(item)}</tr>`;
        if (open && detailHTML) h += `<tr class="detail"><td colspan="${cols}">${detailHTML(item)}</td></tr>`;
      }
      return h + "</tbody></table>" + (items.length > PAGE ? pager(items.length) : "");
    }
    function peopleView() {
      const items = [];
      for (let p = 0; p < D.people.length; p++) {
        if (!matchPerson(p)) continue;
        if ((state.account || state.group) && !rowsOf(p).some(matchRow)) continue;
        if (!state.person && !state.account && !state.group && D.people[p][6] === 0) continue;
        items.push(p);
      }
      items.sort((a, b) => sevRank(D.people[a][8]) - sevRank(D.people[b][8]) || D.people[b][7] - D.people[a][7] || byName(D.people[a][0], D.people[b][0]));
      return `<p class="muted">People with access, riskiest first. Click a person for every account, permission set and group.</p>` +
        table("<th>user</th><th>name</th><th>groups</th><th class=num>accounts</th><th class=num>rows</th><th>worst</th><th>findings</th>", items, (p) => {
          const x = D.people[p];
          return `<td class="nw">${esc(x[0])}</td><td class="nw">${esc(x[1])}</td><td>${x[2].map((g) => esc(D.groups[g][0])).join(", ")}</td>` +
            `<td class="num">${x[7]}</td><td class="num">${x[6]}</td><td>${sevHTML(x[8])}</td><td class="fd">${findingsList(x[9])}</td>`;
        }, personDetail, 7);
    }
    function rowsView() {
      // Counted over every person, built only for the page shown.
      let total = 0;
      const start = state.page * PAGE, page = [];
      for (let p = 0; p < D.people.length; p++) {
        if (!matchPerson(p)) continue;
        for (const row of rowsOf(p)) {
          if (!matchRow(row)) continue;
          if (total >= start && page.length < PAGE) page.push(row);
          total++;
        }
      }
      let h = pager(total) + `<table><thead><tr><th>user</th><th>account</th><th>permission set or role</th><th>via</th><th>grant set</th>${levelHeads()}<th>findings</th></tr></thead><tbody>`;
      for (const [p, r, g] of page) {
        const route = D.routes[r], set = setOf(r, p), s = set >= 0 ? D.sets[set] : null;
        h += `<tr><td class="nw">${esc(D.people[p][0])}</td><td class="nw">${esc(accountLabel(route[2]))}</td><td>${route[3] ? "role " : ""}${esc(route[4])}</td>` +
          `<td class="nw">${g >= 0 ? "group " + esc(D.groups[g][0]) : "direct"}</td><td class="nw">${grantText(set, r)}</td>` +
          (s ? levelCells(s[4]) : D.levels.map(() => "<td></td>").join("")) +
          `<td class="fd">${s ? findingsList([...new Set(s[6].map((f) => f[1]))]) : ""}</td></tr>`;
      }
      return h + "</tbody></table>";
    }
    function accountsView() {
      const items = [];
      for (let a = 0; a < D.accounts.length; a++) {
        if (!matchAccount(a)) continue;
        if (state.group && !D.accounts[a][3].some((r) => D.routes[r][0] === 1 && lower(D.routes[r][1]).includes(lower(state.group)))) continue;
        if (state.person && !D.accounts[a][3].some((r) => routeReachesPerson(r))) continue;
        items.push(a);
      }
      items.sort((a, b) => D.accounts[b][2] - D.accounts[a][2] || byName(D.accounts[a][0], D.accounts[b][0]));
      return `<p class="muted">Who can reach each account. Click an account for its assignments and grants.</p>` +
        table("<th>account</th><th>name</th><th class=num>people</th><th class=num>assignments</th><th>worst finding</th>", items, (a) => {
          const x = D.accounts[a];
          let worst = null;
          for (const r of x[3]) { const g = D.routes[r][5]; if (typeof g === "number" && sevRank(D.sets[g][5]) < sevRank(worst)) worst = D.sets[g][5]; }
          return `<td>${esc(x[0])}</td><td>${esc(x[1])}</td><td class="num">${x[2]}</td><td class="num">${x[3].length}</td><td>${sevHTML(worst)}</td>`;
        }, (a) => routesTable(D.accounts[a][3], false), 5);
    }
    function routeReachesPerson(r) {
      const route = D.routes[r];
      const q = lower(state.person);
      if (route[0] === 0) return lower(route[1]).includes(q);
      const g = D.groups.findIndex((x) => x[0] === route[1]);
      return g >= 0 && D.groups[g][2].some((p) => matchPerson(p));
    }
    function routesTable(routes, showAccount) {
      let h = `<table class="inner"><tr>${showAccount ? "<th>account</th>" : ""}<th>to</th><th>permission set or role</th><th class="num">people</th><th>grant set</th>${levelHeads()}<th>findings</th></tr>`;
      for (const r of routes.slice(0, 500)) {
        const x = D.routes[r], g = x[5];
        let grant, s = null;
        if (typeof g === "number") { grant = `<a href="#" data-set="${g}">#${g}</a> ${D.sets[g][1]} actions`; s = D.sets[g]; }
        else if (g === "person") grant = "one per person";
        else if (g && g.k) grant = "by " + g.k.map(esc).join(", ") + ": " + g.c.map((c) => `<a href="#" data-set="${c[1]}">#${c[1]}</a>`).join(" ");
        else if (g && g.u) grant = `<span class="bad">not evaluated: ${esc(g.u)}</span>`;
        else grant = '<span class="muted">reaches nobody</span>';
        h += `<tr>${showAccount ? `<td>${esc(accountLabel(x[2]))}</td>` : ""}<td>${x[0] ? "group " : "user "}${esc(x[1])}</td>` +
          `<td>${x[3] ? "role " : ""}${esc(x[4])}</td><td class="num">${x[6]}</td><td class="nw">${grant}</td>` +
          (s ? levelCells(s[4]) : D.levels.map(() => "<td></td>").join("")) + `<td class="fd">${s ? findingsList([...new Set(s[6].map((f) => f[1]))]) : ""}</td></tr>`;
      }
      h += "</table>";
      if (routes.length > 500) h += `<div class="muted">${routes.length - 500} more.</div>`;
      return h;
    }
    function groupsView() {
      const items = [];
      for (let g = 0; g < D.groups.length; g++) {
        if (!matchGroup(g)) continue;
        if (state.account && !D.groups[g][1].some((r) => matchAccount(D.routes[r][2]))) continue;
        if (state.person && !D.groups[g][2].some((p) => matchPerson(p))) continue;
        items.push(g);
      }
      return `<p class="muted">Every group of the identity store. Click a group for its members and where it reaches.</p>` + table("<th>group</th><th class=num>members</th><th class=num>assignments</th><th class=num>accounts</th>", items, (g) => {
        const x = D.groups[g];
        return `<td>${esc(x[0])}</td><td class="num">${x[2].length}</td><td class="num">${x[1].length}</td><td class="num">${new Set(x[1].map((r) => D.routes[r][2])).size}</td>`;
      }, (g) => `<div class="muted">Members: ${D.groups[g][2].slice(0, 60).map((p) => esc(D.people[p][0])).join(", ")}${D.groups[g][2].length > 60 ? ", …" : ""}</div>` +
        routesTable(D.groups[g][1].filter((r) => matchAccount(D.routes[r][2])), true), 4);
    }
    function setsView() {
      const items = D.sets.map((_, i) => i).sort((a, b) => sevRank(D.sets[a][5]) - sevRank(D.sets[b][5]) || D.sets[b][1] - D.sets[a][1]);
      return `<p class="muted">Each distinct set of granted actions and findings, audited once; rows refer to them by id.</p>` +
        table(`<th>id</th><th>first audited as</th><th class=num>granted</th><th class=num>cond.</th>${levelHeads()}<th>worst</th><th>findings</th>`, items, (i) => {
          const s = D.sets[i];
          return `<td>#${i}</td><td>${esc(s[0])}</td><td class="num">${s[1]}</td><td class="num">${s[2]}</td>${levelCells(s[4])}<td>${sevHTML(s[5])}</td><td>${findingsList([...new Set(s[6].map((f) => f[1]))])}</td>`;
        }, setDetail, 6 + D.levels.length);
    }
    const views = { people: peopleView, rows: rowsView, accounts: accountsView, groups: groupsView, sets: setsView };
    function draw() {
      $("view").innerHTML = views[state.tab]();
      for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("on", b.dataset.tab === state.tab);
    }
    const t = D.totals;
    $("totals").textContent = `${t.people.toLocaleString()} people (${t.peopleWithAccess.toLocaleString()} with access), ${t.groups} groups, ` +
      `${t.accounts.toLocaleString()} accounts (${t.accountsReached.toLocaleString()} reached), ${t.routes.toLocaleString()} assignments and grants, ` +
      `${t.grantSets} distinct grant sets, ${t.accesses.toLocaleString()} rows` + (t.unavailable ? `, ${t.unavailable.toLocaleString()} not evaluated` : "") +
      `. Levels: ${D.levels.map((l, i) => LV[i] + " " + l).join(", ")}.`;
    $("groups").innerHTML = D.groups.map((g) => `<option value="${esc(g[0])}">`).join("");
    let timer = 0;
    for (const f of ["person", "account", "group"]) {
      $("f-" + f).addEventListener("input", (e) => {
        clearTimeout(timer);
        timer = setTimeout(() => { state[f] = e.target.value.trim(); state.page = 0; state.open = -1; draw(); }, 150);
      });
    }
    $("f-clear").addEventListener("click", () => {
      for (const f of ["person", "account", "group"]) { $("f-" + f).value = ""; state[f] = ""; }
      state.page = 0; state.open = -1; draw();
    });
    $("tabs").addEventListener("click", (e) => {
      const b = e.target.closest("button");
      if (b) { state.tab = b.dataset.tab; state.page = 0; state.open = -1; draw(); }
    });
    $("view").addEventListener("click", (e) => {
      const link = e.target.closest("[data-set]");
      if (link) { e.preventDefault(); state.tab = "sets"; state.open = Number(link.dataset.set); state.page = 0;
        const order = D.sets.map((_, i) => i).sort((a, b) => sevRank(D.sets[a][5]) - sevRank(D.sets[b][5]) || D.sets[b][1] - D.sets[a][1]);
        state.page = Math.floor(order.indexOf(state.open) / PAGE); draw(); return; }
      const page = e.target.closest("[data-page]");
      if (page) { state.page += Number(page.dataset.page); state.open = -1; draw(); window.scrollTo(0, 0); return; }
      const row = e.target.closest("tr[data-open]");
      if (row) { const n = Number(row.dataset.open); state.open = state.open === n ? -1 : n; draw(); }
    });
    // A link may carry the view: #tab=rows&person=alice&account=1111&group=dba&open=0
    for (const part of decodeURIComponent(location.hash.slice(1)).split("&")) {
      const [k, v] = part.split("=");
      if (k === "tab" && views[v]) state.tab = v;
      else if (k === "open") state.open = Number(v);
      else if (["person", "account", "group"].includes(k) && v) { state[k] = v; $("f-" + k).value = v; }
    }
    draw();
    """#
}
