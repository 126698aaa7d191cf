import IAMCatalog
import IAMOrganization
import IAMPolicy

/// A person's review in numbers: what `review` lists per person.
public struct PersonSummary: Sendable, Hashable {
  /// Rows: (account, permission set or role, via) they reach.
  public var accesses: Int
  /// Distinct accounts.
  public var accounts: Int
  /// Rows whose session cannot be evaluated.
  public var unavailable: Int
  /// The finding codes of their grant sets, sorted.
  public var findings: [String]
  /// The most serious finding's severity.
  public var worstSeverity: Diagnostic.Severity?
}

extension AccessReview {
  /// What a person reaches, in numbers.
  public func summary(of person: Int) -> PersonSummary {
    let rows = unsortedAccesses(of: person)
    var accounts: Set<String> = []
    var lastRoute = -1
    var codes: Set<String> = []
    var worst: Diagnostic.Severity?
    var unavailable = 0
    var seenSets: Set<Int> = []
    for row in rows {
      if row.route != lastRoute {
        accounts.insert(routes[row.route].account)
        lastRoute = row.route
      }
      guard let set = row.set else {
        unavailable += 1
        continue
      }
      guard seenSets.insert(set).inserted else { continue }
      for finding in grantSets[set].findings {
        codes.insert(finding.code)
        worst = worst.map { min($0, finding.severity) } ?? finding.severity
      }
    }
    return PersonSummary(accesses: rows.count, accounts: accounts.count, unavailable: unavailable, findings: codes.sorted(),
                         worstSeverity: worst)
  }

  /// The review's totals.
  public var totals: [(String, Int)] {
    var rows = 0
    var reached = 0
    var unavailable = 0
    for person in people.indices {
      let count = unsortedAccesses(of: person)
      rows += count.count
      unavailable += count.filter { $0.set == nil }.count
      if !count.isEmpty { reached += 1 }
    }
    return [
      ("people", people.count), ("peopleWithAccess", reached), ("groups", groups.count), ("accounts", accounts.count),
      ("accountsReached", accounts.filter { $0.people > 0 }.count), ("routes", routes.count), ("grantSets", grantSets.count),
      ("accesses", rows), ("unavailable", unavailable),
    ]
  }
}

// MARK: - JSON

extension AccessReview {
  /// The format's name, the value of `kind`.
  public static let jsonKind = "iamsim-access-review"

  /// The review as JSON (documented in Documentation/AccessReview.md): `grantSets`, `routes`, `people`, `groups`,
  /// `accounts`, each referring to the others by id or name; `extra` members go after `version`.
  public func json(extra: [(String, JSONOutput)] = []) -> JSONOutput {
    var members: [(String, JSONOutput)] = [("kind", .string(Self.jsonKind)), ("version", 1)] + extra
    members.append(("summary", .object(totals.map { ($0.0, .int($0.1)) })))
    members.append(("grantSets", .array(grantSets.map(Self.json))))
    members.append(("routes", .array(routes.enumerated().map { Self.json($0.element, id: $0.offset) })))
    members.append(("people", .array(people.indices.map(personJSON))))
    members.append(("groups", .array(groups.map { group in
      .object([
        ("name", .string(group.name)), ("members", .array(group.members.map { .string(people[$0].userName) })),
        ("routes", .array(group.routes.map { .int($0) })),
      ])
    })))
    members.append(("accounts", .array(accounts.map { account in
      .object([
        ("id", .string(account.id)), ("name", .string(account.name)), ("people", .int(account.people)),
        ("routes", .array(account.routes.map { .int($0) })),
      ])
    })))
    return .object(members)
  }

  static func levelsJSON(_ levels: [AccessLevel: Int]) -> JSONOutput {
    .object(AccessLevel.allCases.compactMap { level in levels[level].map { (level.rawValue, .int($0)) } })
  }

  static func json(_ set: GrantSet) -> JSONOutput {
    var byLevel: [AccessLevel: [JSONOutput]] = [:]
    for action in set.actions { byLevel[action.accessLevel, default: []].append(.string(action.name)) }
    return .object([
      ("id", .int(set.id)), ("subject", .string(set.subject)), ("granted", .int(set.actions.count)),
      ("conditional", .int(set.conditional)), ("cut", .int(set.cut)), ("levels", levelsJSON(set.levels)),
      ("services", .array(set.services.map { service in
        .object([
          ("service", .string(service.service)), ("granted", .int(service.granted)),
          ("conditional", .int(service.conditional)), ("levels", levelsJSON(service.levels)),
        ])
      })),
      ("findings", .array(set.findings.map { finding in
        .object([("code", .string(finding.code)), ("severity", .string(finding.severity.rawValue)),
                 ("message", .string(finding.message))])
      })),
      ("actions", .object(AccessLevel.allCases.compactMap { level in byLevel[level].map { (level.rawValue, .array($0)) } })),
      ("conditionalActions", .array(set.actions.filter(\.conditional).map { .string($0.name) })),
      ("someResourcesActions", .array(set.actions.filter { !$0.allResources }.map { .string($0.name) })),
    ])
  }

  static func json(_ route: Route, id: Int) -> JSONOutput {
    var members: [(String, JSONOutput)] = [
      ("id", .int(id)),
      ("principal", .object([("type", .string(route.principalType == .user ? "user" : "group")), ("name", .string(route.principal))])),
      ("account", .string(route.account)), (route.target.kind, .string(route.target.name)), ("people", .int(route.people)),
    ]
    switch route.grant {
    case .set(let set): members.append(("grant", .int(set)))
    case .byTags(let keys, let choices):
      members.append(("grant", .null))
      members.append(("grantByTags", .object([
        ("keys", .array(keys.map(JSONOutput.string))),
        ("choices", .array(choices.map { choice in
          .object([("values", .array(choice.values.map(JSONOutput.optional))), ("grant", .int(choice.set))])
        })),
      ])))
    case .perPerson:
      members.append(("grant", .null))
      members.append(("grantPerPerson", true))
    case .nobody:
      members.append(("grant", .null))
    case .unavailable(let code, let message):
      members.append(("grant", .null))
      members.append(("unavailable", .object([("code", .string(code)), ("message", .string(message))])))
    }
    return .object(members)
  }

  func personJSON(_ index: Int) -> JSONOutput {
    let person = people[index]
    let summary = summary(of: index)
    return .object([
      ("userName", .string(person.userName)), ("displayName", .optional(person.displayName)),
      ("tags", .object(person.tags.map { ($0.key, .string($0.value)) })),
      ("groups", .array(person.groups.map { .string(groups[$0].name) })),
      ("direct", .array(person.direct.map { .int($0) })),
      ("ownGrants", .array(person.ownGrants.map { own in
        .object([("route", .int(own.route)), ("grant", own.set < 0 ? .null : .int(own.set))])
      })),
      ("accesses", .int(summary.accesses)), ("accounts", .int(summary.accounts)), ("unavailable", .int(summary.unavailable)),
      ("findings", .array(summary.findings.map(JSONOutput.string))),
      ("worstSeverity", .optional(summary.worstSeverity?.rawValue)),
    ])
  }

  /// Reads a review written by ``json(extra:)``, such as last quarter's snapshot.
  ///
  /// - Throws: ``InputError`` naming the file, the JSON path and the line:column of what is malformed.
  public static func read(_ json: JSONValue, file: String) throws(InputError) -> AccessReview {
    var reader = SnapshotReader(file: file)
    return try reader.review(json)
  }
}

/// Reads a review's JSON, failing on the first malformed member with its path and position.
struct SnapshotReader {
  let file: String

  func fail(_ message: String, _ path: JSONPath, _ value: JSONValue?) -> InputError {
    InputError("review.malformed-snapshot", message, file: file, path: path, position: value?.position)
  }

  func member(_ object: JSONValue, _ key: String, _ path: JSONPath) throws(InputError) -> JSONValue {
    guard object.members != nil else { throw fail("expected an object", path, object) }
    guard let value = object[key] else { throw fail("missing member `\(key)`", path, object) }
    return value
  }

  func string(_ object: JSONValue, _ key: String, _ path: JSONPath) throws(InputError) -> String {
    let value = try member(object, key, path)
    guard let text = value.stringValue else { throw fail("`\(key)` must be a string, not \(value.typeName)", path.appending(key), value) }
    return text
  }

  func optionalString(_ value: JSONValue, _ path: JSONPath) throws(InputError) -> String? {
    if case .null = value.kind { return nil }
    guard let text = value.stringValue else { throw fail("expected a string or null, not \(value.typeName)", path, value) }
    return text
  }

  func int(_ value: JSONValue, _ path: JSONPath, below limit: Int? = nil) throws(InputError) -> Int {
    guard case .number(let text) = value.kind, let number = Int(text), number >= 0 else {
      throw fail("expected a non-negative integer, not \(value.typeName)", path, value)
    }
    if let limit, number >= limit { throw fail("\(number) refers to nothing (there are \(limit))", path, value) }
    return number
  }

  func array(_ object: JSONValue, _ key: String, _ path: JSONPath) throws(InputError) -> [JSONValue] {
    let value = try member(object, key, path)
    guard let elements = value.elements else { throw fail("`\(key)` must be an array, not \(value.typeName)", path.appending(key), value) }
    return elements
  }

  mutating func review(_ json: JSONValue) throws(InputError) -> AccessReview {
    let root = JSONPath.root
    guard try string(json, "kind", root) == AccessReview.jsonKind else {
      throw fail("not an access review: `kind` must be `\(AccessReview.jsonKind)` (write one with `iamsim review --org DIR --format json`)",
                 root.appending("kind"), json["kind"])
    }
    let version = try member(json, "version", root)
    guard try int(version, root.appending("version")) == 1 else {
      throw fail("this iamsim reads access reviews of version 1", root.appending("version"), version)
    }
    // Grant sets.
    var sets: [AccessReview.GrantSet] = []
    let setsPath = root.appending("grantSets")
    for (offset, element) in try array(json, "grantSets", root).enumerated() {
      let path = setsPath.appending(offset)
      guard try int(member(element, "id", path), path.appending("id")) == offset else {
        throw fail("grant set ids must be their positions (\(offset))", path.appending("id"), element["id"])
      }
      let conditional = Set(try array(element, "conditionalActions", path).enumerated().map { (index, value) throws(InputError) in
        try optionalString(value, path.appending("conditionalActions").appending(index)) ?? ""
      })
      let some = Set(try array(element, "someResourcesActions", path).enumerated().map { (index, value) throws(InputError) in
        try optionalString(value, path.appending("someResourcesActions").appending(index)) ?? ""
      })
      let actionsValue = try member(element, "actions", path)
      guard let byLevel = actionsValue.members else {
        throw fail("`actions` must be an object of access levels", path.appending("actions"), actionsValue)
      }
      var actions: [AccessReview.Action] = []
      for level in byLevel {
        let levelPath = path.appending("actions").appending(level.key)
        guard let accessLevel = AccessLevel(rawValue: level.key) else {
          throw fail("`\(level.key)` is not an access level (\(AccessLevel.allCases.map(\.rawValue).joined(separator: ", ")))", levelPath, level.value)
        }
        guard let names = level.value.elements else { throw fail("expected an array of actions", levelPath, level.value) }
        for (index, name) in names.enumerated() {
          guard let text = name.stringValue, let colon = text.firstIndex(of: ":") else {
            throw fail("expected an action `service:Action`", levelPath.appending(index), name)
          }
          actions.append(AccessReview.Action(name: text, service: String(text[..<colon]), accessLevel: accessLevel,
                                             conditional: conditional.contains(text), allResources: !some.contains(text)))
        }
      }
      // Listed by level in the file: back to one list by service and name.
      actions.sort { ($0.service, $0.name.lowercased()) < ($1.service, $1.name.lowercased()) }
      var findings: [AccessReview.Finding] = []
      for (index, finding) in try array(element, "findings", path).enumerated() {
        let at = path.appending("findings").appending(index)
        let severityText = try string(finding, "severity", at)
        guard let severity = Diagnostic.Severity(rawValue: severityText) else {
          throw fail("`\(severityText)` is not a severity", at.appending("severity"), finding["severity"])
        }
        findings.append(AccessReview.Finding(code: try string(finding, "code", at), severity: severity,
                                             message: try string(finding, "message", at)))
      }
      let cut = try int(member(element, "cut", path), path.appending("cut"))
      sets.append(AccessReview.GrantSet(id: offset, subject: try string(element, "subject", path), actions: actions, cut: cut,
                                        findings: findings))
    }
    // Routes.
    var routes: [AccessReview.Route] = []
    let routesPath = root.appending("routes")
    for (offset, element) in try array(json, "routes", root).enumerated() {
      let path = routesPath.appending(offset)
      guard try int(member(element, "id", path), path.appending("id")) == offset else {
        throw fail("route ids must be their positions (\(offset))", path.appending("id"), element["id"])
      }
      let principal = try member(element, "principal", path)
      let type: PrincipalType
      switch try string(principal, "type", path.appending("principal")) {
      case "user": type = .user
      case "group": type = .group
      default: throw fail("`type` must be `user` or `group`", path.appending("principal").appending("type"), principal["type"])
      }
      let target: AccessReview.Target
      if element["permissionSet"] != nil {
        target = .permissionSet(try string(element, "permissionSet", path))
      } else if element["role"] != nil {
        target = .role(try string(element, "role", path))
      } else {
        throw fail("a route names a `permissionSet` or a `role`", path, element)
      }
      let grant: AccessReview.Grant
      let grantValue = try member(element, "grant", path)
      if case .null = grantValue.kind {
        if let tags = element["grantByTags"] {
          let at = path.appending("grantByTags")
          let keys = try array(tags, "keys", at).enumerated().map { (index, value) throws(InputError) in
            try optionalString(value, at.appending("keys").appending(index)) ?? ""
          }
          var choices: [AccessReview.TagChoice] = []
          for (index, choice) in try array(tags, "choices", at).enumerated() {
            let choicePath = at.appending("choices").appending(index)
            let values = try array(choice, "values", choicePath).enumerated().map { (position, value) throws(InputError) in
              try optionalString(value, choicePath.appending("values").appending(position))
            }
            guard values.count == keys.count else { throw fail("one value per key", choicePath.appending("values"), choice["values"]) }
            choices.append(AccessReview.TagChoice(
              values: values, set: try int(member(choice, "grant", choicePath), choicePath.appending("grant"), below: sets.count)))
          }
          grant = .byTags(keys: keys, choices: choices)
        } else if element["grantPerPerson"] != nil {
          grant = .perPerson
        } else if let unavailable = element["unavailable"] {
          grant = .unavailable(code: try string(unavailable, "code", path.appending("unavailable")),
                               message: try string(unavailable, "message", path.appending("unavailable")))
        } else {
          grant = .nobody
        }
      } else {
        grant = .set(try int(grantValue, path.appending("grant"), below: sets.count))
      }
      routes.append(AccessReview.Route(
        principalType: type, principal: try string(principal, "name", path.appending("principal")),
        account: try string(element, "account", path), target: target, grant: grant,
        people: try int(member(element, "people", path), path.appending("people"))))
    }
    // Groups, then people (who refer to groups by name).
    var groups: [AccessReview.Group] = []
    var groupByName: [String: Int] = [:]
    var memberNames: [[(String, JSONPath, JSONValue)]] = []
    let groupsPath = root.appending("groups")
    for (offset, element) in try array(json, "groups", root).enumerated() {
      let path = groupsPath.appending(offset)
      let name = try string(element, "name", path)
      let groupRoutes = try array(element, "routes", path).enumerated().map { (index, value) throws(InputError) in
        try int(value, path.appending("routes").appending(index), below: routes.count)
      }
      memberNames.append(try array(element, "members", path).enumerated().map { (index, value) throws(InputError) in
        (try optionalString(value, path.appending("members").appending(index)) ?? "", path.appending("members").appending(index), value)
      })
      groupByName[name] = groupByName[name] ?? offset
      groups.append(AccessReview.Group(name: name, members: [], routes: groupRoutes))
    }
    var people: [AccessReview.Person] = []
    var personByName: [String: Int] = [:]
    let peoplePath = root.appending("people")
    for (offset, element) in try array(json, "people", root).enumerated() {
      let path = peoplePath.appending(offset)
      var person = AccessReview.Person(userName: try string(element, "userName", path))
      person.displayName = try optionalString(try member(element, "displayName", path), path.appending("displayName"))
      let tags = try member(element, "tags", path)
      guard let tagMembers = tags.members else { throw fail("`tags` must be an object", path.appending("tags"), tags) }
      for tag in tagMembers {
        guard let value = tag.value.stringValue else { throw fail("a tag value is a string", path.appending("tags").appending(tag.key), tag.value) }
        person.tags.append((tag.key, value))
      }
      for (index, value) in try array(element, "groups", path).enumerated() {
        let at = path.appending("groups").appending(index)
        guard let name = value.stringValue, let group = groupByName[name] else {
          throw fail("not a group of `groups`", at, value)
        }
        person.groups.append(group)
      }
      person.direct = try array(element, "direct", path).enumerated().map { (index, value) throws(InputError) in
        try int(value, path.appending("direct").appending(index), below: routes.count)
      }
      for (index, own) in try array(element, "ownGrants", path).enumerated() {
        let at = path.appending("ownGrants").appending(index)
        let route = try int(member(own, "route", at), at.appending("route"), below: routes.count)
        let grantValue = try member(own, "grant", at)
        let set: Int
        if case .null = grantValue.kind { set = -1 } else { set = try int(grantValue, at.appending("grant"), below: sets.count) }
        person.ownGrants.append((route, set))
      }
      personByName[person.userName] = personByName[person.userName] ?? offset
      people.append(person)
    }
    for (group, names) in memberNames.enumerated() {
      for (name, path, value) in names {
        guard let person = personByName[name] else { throw fail("`\(name)` is not one of `people`", path, value) }
        groups[group].members.append(person)
      }
    }
    var accounts: [AccessReview.Account] = []
    let accountsPath = root.appending("accounts")
    for (offset, element) in try array(json, "accounts", root).enumerated() {
      let path = accountsPath.appending(offset)
      accounts.append(AccessReview.Account(
        id: try string(element, "id", path), name: try string(element, "name", path),
        routes: try array(element, "routes", path).enumerated().map { (index, value) throws(InputError) in
          try int(value, path.appending("routes").appending(index), below: routes.count)
        },
        people: try int(member(element, "people", path), path.appending("people"))))
    }
    return AccessReview(people: people, groups: groups, accounts: accounts, routes: routes, grantSets: sets)
  }
}
