import Foundation
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// `iamsim review`: its numbers are those of `access` and `who-can`, its snapshots compare in people, its CSV
/// quotes as RFC 4180 asks, and its HTML fetches nothing.
@Suite struct ReviewCommandTests {
  static let example = repositoryRoot + "/cases/example-org"

  /// A copy of the example organization in a temporary folder, removed by the caller.
  static func copyOfExample() throws -> String {
    let directory = Scratch.root.appendingPathComponent("iamsim-review-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: example, toPath: directory)
    return directory
  }

  static func edit(_ directory: String, _ file: String, _ change: (inout Any) -> Void) throws {
    let url = URL(fileURLWithPath: directory + "/" + file)
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    change(&json)
    try JSONSerialization.data(withJSONObject: json, options: [.withoutEscapingSlashes, .prettyPrinted]).write(to: url)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// One row of the review, expanded from its JSON the way Documentation/AccessReview.md says to.
  struct Row: Hashable {
    var user: String
    var account: String
    var target: String
    var via: String
    var set: Int?
  }

  /// Every person's rows from the review's JSON: their direct routes and their groups' routes, each with the grant
  /// set `grant`, `grantByTags` (matched on the person's tags) or `ownGrants` gives.
  static func rows(_ review: [String: Any]) -> [Row] {
    let routes = review["routes"] as? [[String: Any]] ?? []
    let groups = Dictionary((review["groups"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0) },
                            uniquingKeysWith: { first, _ in first })
    var result: [Row] = []
    for person in review["people"] as? [[String: Any]] ?? [] {
      let user = person["userName"] as? String ?? ""
      let tags = Dictionary((person["tags"] as? [String: String] ?? [:]).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
      let own = Dictionary((person["ownGrants"] as? [[String: Any]] ?? []).map { ($0["route"] as? Int ?? -1, $0["grant"] as? Int) },
                           uniquingKeysWith: { first, _ in first })
      var reached: [(Int, String)] = (person["direct"] as? [Int] ?? []).map { ($0, "direct") }
      for group in person["groups"] as? [String] ?? [] {
        reached += (groups[group]?["routes"] as? [Int] ?? []).map { ($0, "group:" + group) }
      }
      for (id, via) in reached {
        let route = routes[id]
        var set = route["grant"] as? Int
        if let byTags = route["grantByTags"] as? [String: Any] {
          let values = (byTags["keys"] as? [String] ?? []).map { tags[$0] }
          set = (byTags["choices"] as? [[String: Any]] ?? []).first { choice in
            (choice["values"] as? [Any] ?? []).map { $0 as? String } == values
          }?["grant"] as? Int
        } else if route["grantPerPerson"] != nil {
          set = own[id] ?? nil
        }
        let target = (route["permissionSet"] as? String) ?? "role " + (route["role"] as? String ?? "")
        result.append(Row(user: user, account: route["account"] as? String ?? "", target: target, via: via, set: set))
      }
    }
    return result
  }

  /// A grant set's actions: all, and those granted without conditions on every resource.
  static func actions(_ set: [String: Any]) -> (all: Set<String>, everywhere: Set<String>) {
    let all = Set((set["actions"] as? [String: [String]] ?? [:]).values.flatMap { $0 })
    let narrower = Set(set["conditionalActions"] as? [String] ?? []).union(set["someResourcesActions"] as? [String] ?? [])
    return (all, all.subtracting(narrower))
  }

  /// For every person, `access --user` lists the same (account, permission set or role) rows, and each grants, per
  /// service, the same number of actions, conditional ones and access levels as the review's grant set.
  static func checkAgainstAccess(_ directory: String, users only: [String]? = nil) throws -> Int {
    let result = iamsim("review", "--org", directory, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let review = try json(result.out)
    let sets = review["grantSets"] as? [[String: Any]] ?? []
    let rows = Self.rows(review)
    let users = only ?? Array(Set(rows.map(\.user))).sorted()
    var compared = 0
    for user in users {
      let access = iamsim("access", "--org", directory, "--user", user, "--format", "json")
      #expect(access.status == .success, "\(access.err)")
      let entries = try json(access.out)["access"] as? [[String: Any]] ?? []
      let mine = rows.filter { $0.user == user }
      #expect(entries.count == mine.count, "\(user): access lists \(entries.count), the review \(mine.count)")
      for entry in entries {
        let account = entry["account"] as? String ?? ""
        let target = (entry["permissionSet"] as? String) ?? "role " + (entry["role"] as? String ?? "")
        let row = try #require(mine.first { $0.account == account && $0.target == target }, "\(user) \(account) \(target)")
        let via = (entry["group"] as? String).map { "group:" + $0 } ?? "direct"
        #expect(mine.contains { $0.account == account && $0.target == target && $0.via == via }, "\(user) \(account) \(target) \(via)")
        let set = try #require(row.set.map { sets[$0] }, "\(user) \(account) \(target) has no grant set")
        var byService: [String: (count: Int, conditional: Int, levels: [String: Int])] = [:]
        for action in entry["granted"] as? [[String: Any]] ?? [] {
          let service = String((action["action"] as? String ?? "").split(separator: ":").first ?? "")
          var counts = byService[service] ?? (0, 0, [:])
          counts.count += 1
          if action["conditional"] as? Bool == true { counts.conditional += 1 }
          counts.levels[action["accessLevel"] as? String ?? "", default: 0] += 1
          byService[service] = counts
        }
        let granted = (entry["granted"] as? [Any] ?? []).count
        #expect(set["granted"] as? Int == granted, "\(user) \(account) \(target)")
        let services = set["services"] as? [[String: Any]] ?? []
        #expect(Set(services.compactMap { $0["service"] as? String }) == Set(byService.keys), "\(user) \(account) \(target)")
        for service in services {
          let name = service["service"] as? String ?? ""
          #expect(byService[name]?.count == service["granted"] as? Int, "\(user) \(target) \(name)")
          #expect(byService[name]?.conditional == service["conditional"] as? Int, "\(user) \(target) \(name)")
          #expect(byService[name]?.levels == service["levels"] as? [String: Int], "\(user) \(target) \(name)")
        }
        #expect(actions(set).all == Set((entry["granted"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }))
        compared += 1
      }
    }
    return compared
  }

  /// Who `who-can` allows is between what the review grants everywhere without conditions and what it grants at all.
  static func checkAgainstWhoCan(_ directory: String, actions: [String]) throws -> Int {
    let review = try json(iamsim("review", "--org", directory, "--format", "json").out)
    let sets = (review["grantSets"] as? [[String: Any]] ?? []).map(Self.actions)
    let rows = Self.rows(review)
    var checked = 0
    for action in actions {
      let result = iamsim("who-can", action, "--org", directory, "--format", "json", "--context", "aws:RequestedRegion=eu-west-1")
      #expect(result.status == .success, "\(result.err)")
      let allowed = Set((try json(result.out)["allowed"] as? [[String: Any]] ?? []).compactMap { row -> String? in
        guard let user = row["user"] as? String, let account = row["account"] as? String else { return nil }
        let target = (row["permissionSet"] as? String) ?? "role " + (row["role"] as? String ?? "")
        return "\(user) \(account) \(target)"
      })
      let granted = Set(rows.filter { $0.set.map { sets[$0].all.contains(action) } ?? false }.map { "\($0.user) \($0.account) \($0.target)" })
      let everywhere = Set(rows.filter { $0.set.map { sets[$0].everywhere.contains(action) } ?? false }
        .map { "\($0.user) \($0.account) \($0.target)" })
      #expect(allowed.isSubset(of: granted), "\(action): who-can allows \(allowed.subtracting(granted).sorted().prefix(5)) the review does not grant")
      #expect(everywhere.isSubset(of: allowed), "\(action): the review grants \(everywhere.subtracting(allowed).sorted().prefix(5)) who-can does not allow")
      checked += everywhere.count
    }
    return checked
  }

  @Test func theExampleOrganizationPerPersonAndPerAccount() throws {
    let result = iamsim("review", "--org", Self.example, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let review = try Self.json(result.out)
    let rows = Set(Self.rows(review).map { Row(user: $0.user, account: $0.account, target: $0.target, via: $0.via, set: nil) })
    #expect(rows == [
      Row(user: "alice@example.com", account: "111122223333", target: "DatabaseAdministrator", via: "group:AWS-DBA"),
      Row(user: "bob@example.com", account: "444455556666", target: "DepartmentEngineer", via: "group:AWS-Engineering"),
      Row(user: "carol@example.com", account: "444455556666", target: "DepartmentEngineer", via: "group:AWS-Engineering"),
      Row(user: "carol@example.com", account: "444455556666", target: "DatabaseAdministrator", via: "direct"),
    ])
    let people = try #require(review["accounts"] as? [[String: Any]]).reduce(into: [String: Int]()) {
      $0[$1["id"] as? String ?? ""] = $1["people"] as? Int
    }
    #expect(people == ["999988887777": 0, "111122223333": 1, "444455556666": 2])
    let summary = try #require(review["summary"] as? [String: Int])
    #expect(summary["people"] == 3 && summary["accesses"] == 4 && summary["routes"] == 3 && summary["accountsReached"] == 2)
    // The text screen says the same.
    let text = iamsim("review", "--org", Self.example)
    #expect(text.out.contains("3 people (3 with access), 2 groups, 3 accounts (2 reached), 3 assignments and grants"))
    #expect(text.out.contains("444455556666 (engineering)") && text.out.contains("2 people"))
    let details = iamsim("review", "--org", Self.example, "--details")
    #expect(details.out.contains("444455556666 (engineering) DatabaseAdministrator (directly): grant set #"))
    #expect(details.out.contains("DepartmentEngineer to group AWS-Engineering (2 people)"))
  }

  @Test func countsPerPersonAreThoseOfAccessOnTheExampleOrganization() throws {
    #expect(try Self.checkAgainstAccess(Self.example) == 4)
  }

  @Test func countsPerPersonAreThoseOfAccessOnAGeneratedOrganization() throws {
    let directory = Scratch.root.appendingPathComponent("iamsim-review-gen-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let generated = iamsim("bench", "generate-org", "--users", "200", "--permission-sets", "20", "--accounts", "50", "--out", directory)
    try #require(generated.status == .success, "\(generated.err)")
    let review = try Self.json(iamsim("review", "--org", directory, "--format", "json").out)
    let rows = Self.rows(review)
    // Two groups, each assigned two permission sets in the 5 accounts of its OU; user u is in groups u % 2 and
    // (u / 3 + 1) % 2: 133 users in both (2 × 2 × 5 = 20 rows each), 67 in one (10 rows).
    #expect(Set(rows.map(\.user)).count == 200)
    #expect(rows.count == 133 * 20 + 67 * 10, "\(rows.count)")
    #expect((review["accounts"] as? [[String: Any]] ?? []).filter { ($0["people"] as? Int ?? 0) > 0 }.count == 10)
    // Users of each department (the ABAC attribute the permission sets read) and the first and last.
    let users = ["user0@example.com", "user1@example.com", "user2@example.com", "user3@example.com", "user199@example.com"]
    // user0, user2 and user3 are in both groups, user1 and user199 in one.
    #expect(try Self.checkAgainstAccess(directory, users: users) == 3 * 20 + 2 * 10)
    #expect(try Self.checkAgainstWhoCan(directory, actions: ["rds:CreateDBInstance", "logs:GetLogEvents", "iam:TagRole", "ec2:TerminateInstances"]) > 0)
  }

  /// An organization whose account access manager grant puts bob in an IAM role: the role is one of his rows, with
  /// the numbers `access` gives it.
  @Test func rolesThroughAccountAccessAreRowsWithTheNumbersOfAccess() throws {
    let directory = repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/broken/_valid-base"
    let review = try Self.json(iamsim("review", "--org", directory, "--format", "json").out)
    let roles = Self.rows(review).filter { $0.target.hasPrefix("role ") }
    #expect(roles.map { "\($0.user) \($0.account) \($0.target) \($0.via)" } == ["bob@example.com 111122223333 role BreakGlassOps direct"])
    #expect(roles.first?.set != nil)
    let compared = try Self.checkAgainstAccess(directory)
    #expect(compared == Self.rows(review).count && compared >= 2)
    #expect(try Self.checkAgainstWhoCan(directory, actions: ["rds:CreateDBInstance", "iam:CreateUser", "s3:GetObject"]) >= 1)
  }

  @Test func whoCanAgreesOnTheExampleOrganization() throws {
    let checked = try Self.checkAgainstWhoCan(Self.example, actions: ["rds:CreateDBInstance", "ec2:StopInstances", "iam:PassRole", "s3:GetObject"])
    #expect(checked >= 2)
  }

  @Test func aSnapshotComparedNamesWhoGainedAndLostWhat() throws {
    let directory = try Self.copyOfExample()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let snapshot = directory + "/q3.json"
    let saved = iamsim("review", "--org", directory, "--format", "json")
    try saved.out.write(toFile: snapshot, atomically: true, encoding: .utf8)
    // Nothing changed: no change.
    let same = iamsim("review", "--org", directory, "--compare", snapshot, "--format", "json")
    #expect(same.status == .success, "\(same.err)")
    #expect((try Self.json(same.out)["changes"] as? [Any])?.isEmpty == true)
    // Bob joins AWS-DBA; carol's direct assignment goes; DatabaseAdministrator loses dynamodb:DeleteTable.
    try Self.edit(directory, "identity-store/2-groups.json") { json in
      var list = json as! [String: Any]
      var groups = list["Resources"] as! [[String: Any]]
      var members = groups[0]["members"] as! [[String: Any]]
      members.append(["value": "9067a1b2c3-22222222-2222-2222-2222-222222222222"])
      groups[0]["members"] = members
      list["Resources"] = groups
      json = list
    }
    try Self.edit(directory, "assignments.json") { json in
      json = (json as! [[String: Any]]).filter { $0["principal"] as? String != "carol@example.com" }
    }
    try Self.edit(directory, "permission-sets/DatabaseAdministrator.json") { json in
      var set = json as! [String: Any]
      set["InlinePolicy"] = ["Version": "2012-10-17", "Statement": [
        ["Sid": "KeepTables", "Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"] as [String: Any],
      ]] as [String: Any]
      json = set
    }
    let result = iamsim("review", "--org", directory, "--compare", snapshot, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let changes = try #require(try Self.json(result.out)["changes"] as? [[String: Any]])
    #expect(changes.count == 3, "\(changes)")
    let gained = try #require(changes.first { $0["change"] as? String == "gained" })
    #expect(gained["users"] as? [String] == ["bob@example.com"])
    #expect(gained["accounts"] as? [[String: String]] == [["id": "111122223333", "name": "prod-databases"]])
    #expect(gained["permissionSet"] as? String == "DatabaseAdministrator")
    #expect((gained["viaAfter"] as? [[String: Any]])?.first?["group"] as? String == "AWS-DBA")
    let lost = try #require(changes.first { $0["change"] as? String == "lost" })
    #expect(lost["users"] as? [String] == ["carol@example.com"])
    #expect((lost["accounts"] as? [[String: String]])?.map { $0["id"] } == ["444455556666"])
    #expect(lost["permissionSet"] as? String == "DatabaseAdministrator")
    let changed = try #require(changes.first { $0["change"] as? String == "changed" })
    #expect(changed["users"] as? [String] == ["alice@example.com"])
    #expect(changed["actionsLost"] as? [String] == ["dynamodb:DeleteTable"])
    #expect(changed["actionsGained"] as? [String] == [])
    #expect(changed["grantsChanged"] as? Bool == true && changed["viaChanged"] as? Bool == false)
    let before = (changed["levelsBefore"] as? [String: Int])?["Write"] ?? 0
    #expect((changed["levelsAfter"] as? [String: Int])?["Write"] == before - 1)
    // The text, in people.
    let text = iamsim("review", "--org", directory, "--compare", snapshot)
    #expect(text.out.contains("+ bob@example.com gains DatabaseAdministrator in 111122223333 (prod-databases) through group AWS-DBA"))
    #expect(text.out.contains("- carol@example.com loses DatabaseAdministrator in 444455556666 (engineering) directly"))
    #expect(text.out.contains("loses: dynamodb:DeleteTable"))
    // Two snapshots compare the same way.
    let now = directory + "/q4.json"
    try iamsim("review", "--org", directory, "--format", "json").out.write(toFile: now, atomically: true, encoding: .utf8)
    let offline = iamsim("review", "--snapshot", now, "--compare", snapshot, "--format", "json")
    #expect(try Self.json(offline.out)["changes"] as? NSArray == Self.json(result.out)["changes"] as? NSArray)
  }

  /// Parses CSV as RFC 4180 describes it: CRLF between records, fields in double quotes when they hold a comma, a
  /// quote or a line break, quotes inside doubled.
  static func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let c = characters.popFirst() {
      if quoted {
        if c == "\"" {
          if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
        } else {
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        record.append(field)
        field = ""
      } else if c == "\r" && characters.first == "\n" {
        characters.removeFirst()
        record.append(field)
        records.append(record)
        (record, field) = ([], "")
      } else {
        field.unicodeScalars.append(c)
      }
    }
    return records
  }

  @Test func theCSVQuotesAsRFC4180Asks() throws {
    let directory = try Self.copyOfExample()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let awkward = #"Eng, "Night" shift"#
    try Self.edit(directory, "identity-store/2-groups.json") { json in
      var list = json as! [String: Any]
      var groups = list["Resources"] as! [[String: Any]]
      groups[1]["displayName"] = awkward
      list["Resources"] = groups
      json = list
    }
    try Self.edit(directory, "assignments.json") { json in
      json = (json as! [[String: Any]]).map { assignment in
        var assignment = assignment
        if assignment["principal"] as? String == "AWS-Engineering" { assignment["principal"] = awkward }
        return assignment
      }
    }
    let result = iamsim("review", "--org", directory, "--format", "csv")
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.contains(#","group:Eng, ""Night"" shift","#))
    #expect(result.out.hasSuffix("\r\n") && !result.out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    let records = Self.parseCSV(result.out)
    let header = try #require(records.first)
    #expect(header.prefix(9) == ["user", "displayName", "account", "accountName", "type", "permissionSetOrRole", "via", "grantSet", "granted"])
    #expect(records.count == 5)
    #expect(records.allSatisfy { $0.count == header.count })
    let bob = try #require(records.first { $0[0] == "bob@example.com" })
    #expect(bob[6] == "group:" + awkward && bob[2] == "444455556666" && bob[5] == "DepartmentEngineer")
    // The counts by level add up to the granted count.
    let levels = try #require(header.firstIndex(of: "List"))
    #expect(Int(bob[8]) == bob[levels..<levels + 5].compactMap { Int($0) }.reduce(0, +))
    #expect(ReviewOutput.csvField("plain") == "plain")
    #expect(ReviewOutput.csvField("a\nb") == "\"a\nb\"")
  }

  @Test func theHTMLIsSelfContainedAndBuildsRowsPageByPage() throws {
    let result = iamsim("review", "--org", Self.example, "--format", "html")
    #expect(result.status == .success, "\(result.err)")
    let html = result.out
    for external in ["http://", "https://", "//cdn", "src=", "<link", "@import", "url("] {
      #expect(!html.contains(external), "\(external)")
    }
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"))
    #expect(html.contains("id=\"f-person\"") && html.contains("id=\"f-account\"") && html.contains("id=\"f-group\""))
    #expect(html.contains("const PAGE = 50;"))
    // People are in the data, not in rendered rows.
    #expect(html.contains("\"carol@example.com\"") && !html.contains("<td>carol@example.com"))
    #expect(html.components(separatedBy: "</script>").count == 3)
  }

  @Test func badInputIsExitTwoWithTheFileAndPosition() throws {
    let directory = try Self.copyOfExample()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // A malformed snapshot: file, JSON path and line:column.
    let snapshot = directory + "/bad.json"
    try #"{"kind": "iamsim-access-review", "version": 1, "grantSets": [{"id": 0, "subject": "x"}]}"#
      .write(toFile: snapshot, atomically: true, encoding: .utf8)
    let bad = iamsim("review", "--org", directory, "--compare", snapshot)
    #expect(bad.status == .invalidInput)
    #expect(bad.err.contains(snapshot + ":1:") && bad.err.contains("$.grantSets[0]"), "\(bad.err)")
    try #"{"kind": "something-else"}"#.write(toFile: snapshot, atomically: true, encoding: .utf8)
    #expect(iamsim("review", "--snapshot", snapshot).err.contains("not an access review"))
    // A malformed organization.
    try "[{\"principalType\": \"GROUP\",".write(toFile: directory + "/assignments.json", atomically: true, encoding: .utf8)
    let broken = iamsim("review", "--org", directory)
    #expect(broken.status == .invalidInput)
    #expect(broken.err.contains("assignments.json:1:"), "\(broken.err)")
    #expect(broken.out.isEmpty)
    // Assignments that reach nobody are refused, not printed as an empty review.
    try "[]".write(toFile: directory + "/assignments.json", atomically: true, encoding: .utf8)
    let nobody = iamsim("review", "--org", directory, "--format", "json")
    #expect(nobody.status == .invalidInput)
    #expect(nobody.err.contains("review.nobody-reached") && nobody.err.contains("3 users"), "\(nobody.err)")
    #expect(nobody.out.isEmpty)
  }

  @Test func usageAndHelp() {
    #expect(iamsim("review").status == .usage)
    #expect(iamsim("review", "--org", Self.example, "--format", "csv", "--compare", "x.json").status == .usage)
    #expect(iamsim("review", "--org", Self.example, "--snapshot", "x.json").status == .usage)
    #expect(iamsim("review", "--help").out.contains("--compare OLD.json"))
    #expect(iamsim("--help").out.contains("  review    access review"))
  }
}
