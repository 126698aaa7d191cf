import Foundation
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMSimCLI

private func object(_ text: String) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private let exampleOrg = repositoryRoot + "/cases/example-org"

/// The lines of each subject's section of a text audit (from `== NAME` to the blank line), by subject name.
private func sections(_ text: String) -> [(name: String, lines: [String])] {
  var result: [(String, [String])] = []
  for line in text.components(separatedBy: "\n") {
    if line.hasPrefix("== ") {
      result.append((String(line.dropFirst(3)), [line]))
    } else if !result.isEmpty, !(result[result.count - 1].1.last ?? "").isEmpty {
      result[result.count - 1].1.append(line)
    }
  }
  return result.map { ($0.0, $0.1.filter { !$0.isEmpty }) }
}

/// The severities of finding lines (`    security-warning [code] …`) in order.
private func severities(in lines: [String]) -> [Diagnostic.Severity] {
  lines.compactMap { line -> Diagnostic.Severity? in
    guard line.hasPrefix("    "), !line.hasPrefix("     ") else { return nil }
    let word = line.dropFirst(4).prefix { $0 != " " }
    guard line.dropFirst(4 + word.count).hasPrefix(" [") else { return nil }
    return Diagnostic.Severity(rawValue: String(word))
  }
}

private func isSorted(_ severities: [Diagnostic.Severity]) -> Bool {
  zip(severities, severities.dropFirst()).allSatisfy { $0 <= $1 }
}

/// The strings a regular expression's first capture group matches.
private func captures(_ pattern: String, in text: String) throws -> [String] {
  let expression = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
  let range = NSRange(text.startIndex..., in: text)
  return expression.matches(in: text, range: range).compactMap { match in
    Range(match.range(at: 1), in: text).map { String(text[$0]) }
  }
}

/// A generated organization (`bench generate-org`), removed by the caller.
private func generatedOrganization(users: Int, permissionSets: Int, accounts: Int) throws -> String {
  let directory = Scratch.root.appendingPathComponent("iamsim-report-\(UUID().uuidString)")
    .path
  let result = iamsim(
    "bench", "generate-org", "--users", String(users), "--permission-sets", String(permissionSets), "--accounts",
    String(accounts), "--out", directory)
  try #require(result.status == .success, "\(result.err)")
  return directory
}

@Suite struct AuditReportTests {
  /// Every action of every service: the text's screen for it stays a screen, and the full listing is behind --details.
  @Test func theTextScreenOfASubjectIsBoundedWhateverItGrants() throws {
    let screen = iamsim("audit", "--policy", "AdministratorAccess")
    #expect(screen.status == .success, "\(screen.err)")
    let subject = try #require(sections(screen.out).first)
    #expect(subject.lines.count <= 40, "\(subject.lines.count) lines:\n\(subject.lines.joined(separator: "\n"))")
    // AdministratorAccess grants in every service of the catalog (455): all but the first ten are one line.
    let rest = try #require(subject.lines.first { $0.hasPrefix("    and ") && $0.contains(" more services: ") })
    let count = Int(try #require(try captures(#"and (\d+) more services"#, in: rest).first)) ?? 0
    #expect(count >= 400)
    #expect(screen.out.contains("--details"))
    let details = iamsim("audit", "--policy", "AdministratorAccess", "--details")
    #expect(details.out.components(separatedBy: "\n").count > 2_000, "--details lists every action")
    #expect(details.out.contains("s3:") || details.out.contains("  s3\n"))
    #expect(iamsim("audit", "--policy", "AdministratorAccess", "--details", "--summary").status == .usage)
  }

  /// A generated organization with many people and accounts: each subject's section stays a screen.
  @Test func theTextScreenIsBoundedOnAGeneratedOrganization() throws {
    let directory = try generatedOrganization(users: 400, permissionSets: 12, accounts: 200)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let result = iamsim("audit", "--org", directory)
    #expect(result.status == .success, "\(result.err)")
    let subjects = sections(result.out)
    #expect(subjects.count >= 6)
    for subject in subjects {
      #expect(subject.lines.count <= 40, "\(subject.name): \(subject.lines.count) lines")
      #expect(subject.lines.allSatisfy { $0.count <= 120 }, "\(subject.name): a line wider than 120 columns")
      // Hundreds of accounts and people, each named at most a few times.
      #expect(subject.lines.joined().components(separatedBy: "@example.com").count <= 4, "\(subject.name)")
    }
    let details = iamsim("audit", "--org", directory, "--details")
    #expect(details.out.count > 5 * result.out.count)
  }

  /// The JSON keeps the library's order (rule order), which is not severity order for DatabaseAdministrator; every
  /// text and HTML list of findings is by severity, the most serious first.
  @Test func findingsAreListedTheMostSeriousFirst() throws {
    let json = try object(iamsim("audit", "--org", exampleOrg, "--format", "json").out)
    let findings = json["findings"] as? [[String: Any]] ?? []
    let ruleOrder = findings.filter { $0["subject"] as? String == "DatabaseAdministrator@111122223333" }.compactMap {
      ($0["severity"] as? String).flatMap(Diagnostic.Severity.init(rawValue:))
    }
    #expect(Set(ruleOrder).count > 1)
    #expect(!isSorted(ruleOrder), "the example must have findings out of severity order for this test to mean much")

    for arguments in [["audit", "--org", exampleOrg], ["audit", "--org", exampleOrg, "--details"]] {
      let out = iamsim(all: arguments).out
      for subject in sections(out) {
        let listed = severities(in: subject.lines)
        #expect(!listed.isEmpty, "\(subject.name)")
        #expect(isSorted(listed), "\(arguments.last!): \(subject.name): \(listed)")
      }
      let database = try #require(sections(out).first { $0.name == "DatabaseAdministrator@111122223333" })
      #expect(severities(in: database.lines).sorted() == ruleOrder.sorted(), "every finding, none lost")
    }

    let html = iamsim("audit", "--org", exampleOrg, "--format", "html").out
    let rows = try captures(#"<tr class="sevrow-([a-z-]+)""#, in: html).compactMap(Diagnostic.Severity.init(rawValue:))
    #expect(isSorted(rows), "\(rows)")
    // A row stands for the same finding of several subjects: together they hold every finding.
    let counts = try captures(#"<tr class="sevrow-[a-z-]+" data-subjects="(\d+)""#, in: html).compactMap { Int($0) }
    #expect(counts.count == rows.count)
    #expect(counts.reduce(0, +) == findings.count)
    #expect(rows.count < findings.count, "DatabaseAdministrator's findings in its two accounts share rows")
  }

  /// People come from the organization's assignments only: the example organization's users, and nobody when no
  /// organization is given (no default session user).
  @Test func theHTMLNamesOnlyPeopleOfTheOrganization() throws {
    let users: Set = ["alice@example.com", "bob@example.com", "carol@example.com"]
    let html = iamsim("audit", "--org", exampleOrg, "--format", "html").out
    let named = Set(try captures(#"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+)"#, in: html))
    #expect(named.isSubset(of: users), "\(named.subtracting(users))")
    #expect(named == users, "everyone who has a permission set is shown")
    #expect(!html.contains("assumed-role"), "no session ARN stands for a person")
    for group in ["AWS-DBA", "AWS-Engineering"] { #expect(html.contains(group)) }

    let directory = try generatedOrganization(users: 200, permissionSets: 6, accounts: 20)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let generated = iamsim("audit", "--org", directory, "--format", "html").out
    #expect(!generated.contains("alice"))
    #expect(generated.contains("user0@example.com"))

    for arguments in [
      ["audit", "--permission-set", "DatabaseAdministrator", "--format", "html"],
      ["audit", "--policy", "ViewOnlyAccess", "--format", "html"],
    ] {
      let (_, out, err) = iamsim(all: arguments)
      #expect(out.hasPrefix("<!DOCTYPE html>"), "\(err)")
      #expect(!out.contains("@example.com") && !out.contains("assumed-role"), "\(arguments)")
    }
  }

  /// The riskiest finding comes first, with who has it.
  @Test func theFirstFindingRowIsTheMostSeriousWithItsHolders() throws {
    let html = iamsim("audit", "--org", exampleOrg, "--format", "html").out
    let json = try object(iamsim("audit", "--org", exampleOrg, "--format", "json").out)
    let worst = (json["findings"] as? [[String: Any]] ?? []).compactMap {
      ($0["severity"] as? String).flatMap(Diagnostic.Severity.init(rawValue:))
    }.min()
    let findings = try #require(html.range(of: "<section id=\"findings\">"))
    let heatmap = try #require(html.range(of: "<section id=\"heatmap\">"))
    #expect(findings.lowerBound < heatmap.lowerBound, "findings before the heatmap")
    let firstRow = try #require(try captures(#"(<tr class="sevrow-.*?</tr>)"#, in: html).first)
    #expect(firstRow.contains("sevrow-\(worst?.rawValue ?? "?")"))
    // The example's security warnings belong to DatabaseAdministrator: the group AWS-DBA (alice) in 111122223333 and
    // carol directly in 444455556666.
    // Both have the same policies, so the same findings: one row names both, and all who have them.
    #expect(firstRow.contains("AWS-DBA") && firstRow.contains("carol@example.com"), "\(firstRow)")
    #expect(firstRow.contains("alice@example.com") && firstRow.contains("<b>2 users</b>"), "\(firstRow)")
    #expect(!firstRow.contains("bob@example.com"), "bob has only DepartmentEngineer")
  }

  /// Each heatmap cell opens exactly the actions the JSON report grants that subject in that service, and every
  /// (subject, service) the JSON has a grant or cut for has a cell.
  @Test func everyHeatmapCellListsTheJSONReportsActions() throws {
    for arguments in [
      ["--org", exampleOrg], ["--permission-set", repositoryRoot + "/policies/permission-sets"],
    ] {
      let html = iamsim(all: ["audit"] + arguments + ["--format", "html"]).out
      let json = try object(iamsim(all: ["audit"] + arguments + ["--format", "json"]).out)
      var expected: [String: Set<String>] = [:]
      for grant in json["granted"] as? [[String: Any]] ?? [] {
        let (action, service) = (grant["action"] as? String ?? "", grant["service"] as? String ?? "")
        for subject in grant["subjects"] as? [String] ?? [] {
          expected[subject + " " + service, default: []].insert(action)
        }
      }
      var cutPairs: Set<String> = []
      for cut in json["cut"] as? [[String: Any]] ?? [] {
        let action = cut["action"] as? String ?? ""
        cutPairs.insert((cut["subject"] as? String ?? "") + " " + String(action.prefix { $0 != ":" }))
      }
      let cells = try captures(#"(<td class="[^"]*" title="[^"]*" data-subject=.*?</td>)"#, in: html)
      var seen: Set<String> = []
      for cell in cells {
        let subject = try #require(try captures(#"data-subject="([^"]*)""#, in: cell).first)
        let service = try #require(try captures(#"data-service="([^"]*)""#, in: cell).first)
        let key = subject + " " + service
        #expect(seen.insert(key).inserted, "one cell per subject and service: \(key)")
        let listed = try captures(#"<p class="granted">.*?<code>(.*?)</code></p>"#, in: cell).flatMap {
          $0.components(separatedBy: ", ").map { service + ":" + $0 }
        }
        #expect(listed.count == Set(listed).count, "\(key): an action listed twice")
        #expect(Set(listed) == expected[key] ?? [], "\(key)")
      }
      #expect(seen == Set(expected.keys).union(cutPairs), "\(arguments)")
      #expect(!cells.isEmpty)
    }
  }

  /// One file: nothing fetched, no script, on a generated organization too.
  @Test func theHTMLIsSelfContained() throws {
    let directory = try generatedOrganization(users: 200, permissionSets: 6, accounts: 20)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for html in [
      iamsim("audit", "--org", directory, "--format", "html").out,
      iamsim("audit", "--org", exampleOrg, "--format", "html").out,
    ] {
      #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
      for forbidden in [
        "http://", "https://", "<script", "<link", "src=", "@import", "url(", "<img", "<iframe", "//cdn",
      ] {
        #expect(!html.contains(forbidden), "\(forbidden)")
      }
    }
  }

  /// `holders` in the JSON: who the example organization's assignments give each permission set to.
  @Test func theJSONNamesWhoHasEachSubject() throws {
    let json = try object(iamsim("audit", "--org", exampleOrg, "--format", "json").out)
    var holders: [String: [[String: Any]]] = [:]
    for subject in json["subjects"] as? [[String: Any]] ?? [] {
      holders[subject["name"] as? String ?? ""] = subject["holders"] as? [[String: Any]] ?? []
    }
    let dba = try #require(holders["DatabaseAdministrator@111122223333"]?.first)
    #expect(dba["type"] as? String == "group" && dba["name"] as? String == "AWS-DBA")
    #expect(dba["users"] as? [String] == ["alice@example.com"])
    let engineers = try #require(holders["DepartmentEngineer@444455556666"]?.first)
    #expect(engineers["users"] as? [String] == ["bob@example.com", "carol@example.com"])
    let carol = try #require(holders["DatabaseAdministrator@444455556666"])
    #expect(carol.count == 1)
    #expect(carol.first?["type"] as? String == "user" && carol.first?["name"] as? String == "carol@example.com")
    #expect(dba["accounts"] as? [String] == ["111122223333"])
    #expect(carol.first?["accounts"] as? [String] == ["444455556666"])
    let plain = try object(iamsim("audit", "--permission-set", "DatabaseAdministrator", "--format", "json").out)
    let subject = try #require((plain["subjects"] as? [[String: Any]])?.first)
    #expect((subject["holders"] as? [Any])?.isEmpty == true)
  }
}

extension AuditReportTests {
  /// On a generated organization, every account a subject stands for is reached by one of its holders, each holder's
  /// accounts are among the subject's, and every group named has users.
  @Test func holdersCoverTheSubjectsAccounts() throws {
    let directory = try generatedOrganization(users: 300, permissionSets: 8, accounts: 40)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let json = try object(iamsim("audit", "--org", directory, "--format", "json").out)
    let subjects = json["subjects"] as? [[String: Any]] ?? []
    #expect(subjects.count >= 4)
    for subject in subjects {
      let accounts = Set(subject["accounts"] as? [String] ?? [])
      let holders = subject["holders"] as? [[String: Any]] ?? []
      #expect(!holders.isEmpty, "\(subject["name"] ?? "")")
      let reached = Set(holders.flatMap { $0["accounts"] as? [String] ?? [] })
      // Equal: no account is left without someone who reaches it, and no holder's account lies outside the subject.
      #expect(reached == accounts, "\(subject["name"] ?? "")")
      for holder in holders where holder["type"] as? String == "group" {
        #expect((holder["users"] as? [String])?.isEmpty == false)
      }
    }
  }
}
