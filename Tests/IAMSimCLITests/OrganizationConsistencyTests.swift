import Foundation
import IAMOrganization
import IAMSimCLI
import IAMTestSupport
import Testing

/// `eval --org`, `who-can` and `audit --org` assemble sessions one way (`Organization.session(for:)`), so they
/// must agree on every caller and request.
@Suite struct OrganizationConsistencyTests {
  static let organizations = [
    repositoryRoot + "/cases/example-org", repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/broken/_valid-base",
  ]
  static let actions = [
    "rds:CreateDBInstance", "s3:DeleteBucket", "s3:GetObject", "ec2:StopInstances", "iam:CreateUser", "support:CreateCase",
    "dynamodb:DeleteTable",
  ]
  static let context = ["--context", "aws:RequestedRegion=eu-west-1", "--context", "aws:ResourceTag/Department=Engineering"]

  static func flags(_ caller: Caller) -> [String] {
    switch caller {
    case .identityCenter(let user, let permissionSet, let account):
      ["--user", user, "--permission-set", permissionSet, "--account", account]
    case .accountAccess(let user, let account, let role): ["--user", user, "--role", role, "--account", account]
    case .role(let account, let name): ["--role", name, "--account", account]
    case .iamUser(let account, let name): ["--iam-user", name, "--account", account]
    }
  }

  static func key(_ row: [String: Any]) -> String {
    ["kind", "user", "permissionSet", "role", "iamUser", "account"].map { row[$0] as? String ?? "" }.joined(separator: "|")
  }

  static func key(_ caller: Caller) -> String {
    switch caller {
    case .identityCenter(let user, let permissionSet, let account): ["identityCenter", user, permissionSet, "", "", account].joined(separator: "|")
    case .accountAccess(let user, let account, let role): ["accountAccess", user, "", role, "", account].joined(separator: "|")
    case .role(let account, let name): ["role", "", "", name, "", account].joined(separator: "|")
    case .iamUser(let account, let name): ["iamUser", "", "", "", name, account].joined(separator: "|")
    }
  }

  @Test(arguments: organizations)
  func evalAndWhoCanAgreeOnEveryCaller(_ directory: String) throws {
    let organization = try OrganizationDirectory.load(directory)
    #expect(!organization.callers.isEmpty)
    for action in Self.actions {
      let whoCan = iamsim(all: ["who-can", action, "--org", directory, "--format", "json"] + Self.context)
      let json = try JSONSerialization.jsonObject(with: Data(whoCan.out.utf8)) as? [String: Any]
      let rows = (json?["allowed"] as? [[String: Any]]) ?? []
      // Callers allowed outright, and those allowed under a condition ("allowed if …"), with its sentence.
      let allowed = Set(rows.filter { $0["allowedIf"] == nil }.map(Self.key))
      var conditions: [String: String] = [:]
      for row in rows {
        if let condition = row["allowedIf"] as? [String: Any] { conditions[Self.key(row)] = condition["sentence"] as? String }
      }
      for caller in organization.callers {
        let eval = iamsim(all: ["eval", "--org", directory, "--action", action, "--format", "json"] + Self.flags(caller) + Self.context)
        guard eval.status == .success else {
          #expect(!allowed.contains(Self.key(caller)) && conditions[Self.key(caller)] == nil,
                  "\(caller) has no session but who-can lists it: \(eval.err)")
          continue
        }
        let result = try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Any]
        let first = (result?["results"] as? [[String: Any]])?.first
        let decision = first?["decision"] as? String
        #expect((decision == "allowed") == allowed.contains(Self.key(caller)), "\(caller) \(action): eval says \(decision ?? "-")")
        // eval says under which context the decision would change; who-can lists the caller with that condition.
        let changesIf = first?["changesIf"] as? [String: Any]
        let evalCondition = decision != "allowed" && changesIf?["allowed"] as? Bool == true ? changesIf?["sentence"] as? String : nil
        #expect(evalCondition == conditions[Self.key(caller)], "\(caller) \(action)")
      }
    }
  }

  /// What `audit --org` lists as granted without conditions, `eval --org` allows for the session it audited.
  @Test(arguments: organizations)
  func auditAndEvalAgree(_ directory: String) throws {
    let audit = iamsim("audit", "--org", directory, "--format", "json")
    let json = try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [String: Any]
    let subjects = (json?["subjects"] as? [[String: Any]]) ?? []
    let granted = (json?["granted"] as? [[String: Any]]) ?? []
    #expect(!subjects.isEmpty)
    var checked = 0
    for subject in subjects {
      let name = subject["name"] as? String ?? ""
      let principal = subject["principal"] as? String ?? ""
      let user = String(principal.split(separator: "/").last ?? "")
      let actions = granted.filter {
        ($0["subjects"] as? [String] ?? []).contains(name) && $0["conditional"] as? Bool == false
          && $0["resources"] as? [String] == ["*"]
      }.compactMap { $0["action"] as? String }.filter { Self.actions.contains($0) }
      for action in actions {
        let eval = iamsim(all: ["eval", "--org", directory, "--user", user, "--permission-set", subject["permissionSet"] as? String ?? "",
                                "--account", subject["account"] as? String ?? "", "--action", action] + Self.context)
        #expect(eval.out.contains("\(action) on *: allowed"), "\(name) \(action): \(eval.out)\(eval.err)")
        checked += 1
      }
    }
    #expect(checked >= 2)
  }

  /// Issue 17: `access` decides through the engine as `audit --org` does. For each audited subject, the access of the
  /// user whose session it is grants, per service, the same number of actions, conditional ones and access levels.
  @Test(arguments: organizations)
  func accessAgreesWithTheAuditOnEverySubject(directory: String) throws {
    let audit = iamsim(all: ["audit", "--org", directory, "--format", "json"])
    let subjects = try #require(
      (try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [String: Any])?["subjects"] as? [[String: Any]])
    #expect(!subjects.isEmpty)
    var compared = 0
    for subject in subjects {
      let principal = subject["principal"] as? String ?? ""
      let user = String(principal.split(separator: "/").last ?? "")
      let access = iamsim(all: ["access", "--org", directory, "--user", user, "--format", "json"])
      let entries = try #require(
        (try JSONSerialization.jsonObject(with: Data(access.out.utf8)) as? [String: Any])?["access"] as? [[String: Any]])
      let entry = try #require(entries.first {
        $0["principal"] as? String == principal && $0["permissionSet"] as? String == subject["permissionSet"] as? String
      }, "\(user) has no access entry for \(subject["name"] ?? "")")
      var byService: [String: (count: Int, conditional: Int, levels: [String: Int])] = [:]
      for action in entry["granted"] as? [[String: Any]] ?? [] {
        let service = String((action["action"] as? String ?? "").split(separator: ":").first ?? "")
        var counts = byService[service] ?? (0, 0, [:])
        counts.count += 1
        if action["conditional"] as? Bool == true { counts.conditional += 1 }
        counts.levels[action["accessLevel"] as? String ?? "", default: 0] += 1
        byService[service] = counts
      }
      let services = subject["services"] as? [[String: Any]] ?? []
      #expect(Set(byService.keys) == Set(services.compactMap { $0["service"] as? String }), "\(subject["name"] ?? "")")
      for service in services {
        let name = service["service"] as? String ?? ""
        let counts = byService[name]
        #expect(counts?.count == service["granted"] as? Int, "\(subject["name"] ?? "") \(name)")
        #expect(counts?.conditional == service["conditional"] as? Int, "\(subject["name"] ?? "") \(name)")
        #expect(counts?.levels == service["levels"] as? [String: Int], "\(subject["name"] ?? "") \(name)")
      }
      compared += 1
    }
    #expect(compared == subjects.count)
  }

  /// `audit --org` merges the accounts whose sessions have the same policies into one subject, unless a Resource
  /// names a concrete account: a `*` account in a probe stands for the caller's account, so a statement naming one
  /// account decides differently in each, and each account is audited apart.
  @Test func accountsAreAuditedApartWhenAResourceNamesAnAccount() throws {
    let directory = Scratch.root.appendingPathComponent("iamsim-accounts-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: repositoryRoot + "/cases/example-org", toPath: directory)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    func edit(_ file: String, _ change: (inout Any) -> Void) throws {
      var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
      change(&json)
      try JSONSerialization.data(withJSONObject: json, options: [.withoutEscapingSlashes])
        .write(to: URL(fileURLWithPath: directory + "/" + file))
    }
    // A second engineering account under the same SCPs, where AWS-DBA has DatabaseAdministrator.
    try edit("organization.json") { json in
      var tree = json as! [String: Any]
      var root = tree["root"] as! [String: Any]
      var units = root["organizationalUnits"] as! [[String: Any]]
      var accounts = units[0]["accounts"] as! [[String: Any]]
      let account: [String: Any] = [
        "id": "555566667777", "name": "engineering-2", "scps": ["scps/full-aws-access.json", "scps/deny-outside-eu.json"],
      ]
      accounts.append(account)
      units[0]["accounts"] = accounts
      root["organizationalUnits"] = units
      tree["root"] = root
      json = tree
    }
    try edit("assignments.json") { json in
      let assignment = [
        "principalType": "GROUP", "principal": "AWS-DBA", "permissionSet": "DatabaseAdministrator", "account": "555566667777",
      ]
      json = (json as! [Any]) + [assignment as Any]
    }
    func administratorAccounts() -> [Set<String>] {
      let result = iamsim(all: ["audit", "--org", directory, "--format", "json"])
      #expect(result.status == .success, "\(result.err)")
      let json = try? JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
      return ((json?["subjects"] as? [[String: Any]]) ?? []).filter { $0["permissionSet"] as? String == "DatabaseAdministrator" }
        .map { Set($0["accounts"] as? [String] ?? []) }
    }
    #expect(administratorAccounts().contains(["444455556666", "555566667777"]))
    let before = directory + "-before"
    try FileManager.default.copyItem(atPath: directory, toPath: before)
    defer { try? FileManager.default.removeItem(atPath: before) }
    // The same permission set, with a Deny on one account's tables.
    try edit("permission-sets/DatabaseAdministrator.json") { json in
      var permissionSet = json as! [String: Any]
      let statement = [
        "Sid": "KeepOneAccountsTables", "Effect": "Deny", "Action": "dynamodb:DeleteTable",
        "Resource": "arn:aws:dynamodb:*:444455556666:table/*",
      ]
      permissionSet["InlinePolicy"] = ["Version": "2012-10-17", "Statement": [statement]] as [String: Any]
      json = permissionSet
    }
    let apart = administratorAccounts()
    #expect(apart.allSatisfy { $0.count == 1 }, "\(apart)")
    #expect(apart.reduce(into: Set<String>()) { $0.formUnion($1) } == ["111122223333", "444455556666", "555566667777"])
    // The diff in people keys sessions the same way: an Allow of every account's queues with a Deny of one account's
    // gives the action to the holders in the other accounts only.
    try edit("permission-sets/DatabaseAdministrator.json") { json in
      var permissionSet = json as! [String: Any]
      let statements: [[String: Any]] = [
        ["Effect": "Allow", "Action": "sqs:DeleteQueue", "Resource": "arn:aws:sqs:*:*:*"],
        ["Effect": "Deny", "Action": "sqs:DeleteQueue", "Resource": "arn:aws:sqs:*:444455556666:*"],
      ]
      permissionSet["InlinePolicy"] = ["Version": "2012-10-17", "Statement": statements] as [String: Any]
      json = permissionSet
    }
    let diff = iamsim(all: ["diff", before, directory, "--format", "json"])
    let changes = ((try JSONSerialization.jsonObject(with: Data(diff.out.utf8)) as? [String: Any])?["changes"]
      as? [[String: Any]]) ?? []
    let gaining = Set(changes.filter { ($0["gained"] as? [String] ?? []).contains("sqs:DeleteQueue") }.compactMap {
      $0["account"] as? String
    })
    #expect(gaining == ["111122223333", "555566667777"], "\(diff.err)")
  }
}
