import Dispatch
import Foundation
import IAMAudit
import IAMEvaluation
import IAMPolicy

/// The benchmark scenarios of issue 5, by their command-line names.
enum BenchScenario: String, CaseIterable, Sendable {
  case databaseAdministrator = "database-administrator"
  case readOnlyAccess = "read-only-access"
  case layered
  case abac
  case parseManaged = "parse-managed"
  case auditMatrix = "audit-matrix"
  case jsonl
  case coldQuery = "cold-query"
  case authorize
  case whoCan10 = "who-can-10"
  case whoCan100 = "who-can-100"
  case whoCan1000 = "who-can-1000"
  case access10 = "access-10"
  case access100 = "access-100"
  case access1000 = "access-1000"
  case audit10 = "audit-10"
  case audit100 = "audit-100"
  case audit1000 = "audit-1000"
  case diff10 = "diff-10"
  case diff100 = "diff-100"
  case diff1000 = "diff-1000"

  /// What one operation is.
  var operation: String {
    switch self {
    case .databaseAdministrator:
      "one decision (Authorizer.decision(for:) on a PreparedRequest) under DatabaseAdministrator, cycling the catalog actions with realistic ARNs"
    case .readOnlyAccess: "one decision under ReadOnlyAccess, cycling the catalog actions with realistic ARNs"
    case .layered:
      "one decision under AdministratorAccess + permissions boundary + three SCP levels + a resource policy, with context"
    case .abac: "one decision under session tags, policy variables and five condition operators per statement"
    case .parseManaged: "one pass: JSON-read, validate and compile all 1,452 AWS managed policies (one core)"
    case .auditMatrix:
      "one matrix: parse and compile the 12 shipped policies, prepare the catalog actions, decide every cell (all cores)"
    case .jsonl:
      "one request line through `iamsim eval --requests FILE` in-process (Tool.run: read, parse, authorize, render JSON; lines decided on every core)"
    case .coldQuery: "one `iamsim eval` process, started from this executable, from posix_spawn to exit"
    case .authorize:
      "one full authorize: a fresh request (role in 111122223333, rds:CreateDBInstance, two context keys) and its Response, DatabaseAdministrator"
    case .whoCan10, .whoCan100, .whoCan1000:
      "one `iamsim who-can rds:CreateDBInstance --org DIR` in-process (load included) on a generated organization: \(organizationSize.map { "\($0.users) users, \($0.permissionSets) permission sets, \($0.accounts) accounts" } ?? "")"
    case .access10, .access100, .access1000:
      "one `iamsim access --org DIR --user user1@example.com` in-process (load included): \(organizationSize.map { "\($0.users) users, \($0.permissionSets) permission sets, \($0.accounts) accounts" } ?? "")"
    case .audit10, .audit100, .audit1000:
      "one `iamsim audit --org DIR --format json` in-process (load included): \(organizationSize.map { "\($0.users) users, \($0.permissionSets) permission sets, \($0.accounts) accounts" } ?? "")"
    case .diff10, .diff100, .diff1000:
      "one `iamsim diff DIR DIR2` in-process (both loads included), DIR2 differing by one group membership: \(organizationSize.map { "\($0.users) users, \($0.permissionSets) permission sets, \($0.accounts) accounts" } ?? "")"
    }
  }

  /// The generated organization of the organization scenarios.
  var organizationSize: BenchWorkload.OrganizationSize? {
    switch self {
    case .whoCan10, .access10, .audit10, .diff10: .small
    case .whoCan100, .access100, .audit100, .diff100: .medium
    case .whoCan1000, .access1000, .audit1000, .diff1000: .large
    default: nil
    }
  }

  /// The issue's target, if any.
  var target: BenchTarget? {
    switch self {
    case .databaseAdministrator: BenchTarget(minimumPerSecond: 4_000_000)
    case .abac: BenchTarget(minimumPerSecond: 1_000_000)
    case .parseManaged: BenchTarget(maximumNanoseconds: 300_000_000)
    case .auditMatrix: BenchTarget(maximumNanoseconds: 500_000_000)
    case .jsonl: BenchTarget(minimumPerSecond: 1_000_000)
    case .coldQuery: BenchTarget(maximumNanoseconds: 50_000_000, maximumPeakBytes: 100_000_000)
    case .authorize, .readOnlyAccess, .layered, .whoCan10, .whoCan100, .access10, .access100, .audit10, .audit100, .diff10,
      .diff100:
      nil
    case .whoCan1000, .access1000: BenchTarget(maximumNanoseconds: 1_000_000_000)
    case .audit1000: BenchTarget(maximumNanoseconds: 10_000_000_000, maximumPeakBytes: 1_000_000_000)
    case .diff1000: BenchTarget(maximumNanoseconds: 10_000_000_000)
    }
  }

  /// Loads the scenario's inputs, checks its decisions once, and returns the work to time.
  func workload(_ data: inout BenchData) throws -> BenchWorkload {
    switch self {
    case .databaseAdministrator:
      let policy = try data.managedPolicy("arn:aws:iam::aws:policy/job-function/DatabaseAdministrator")
      return try .decisions(Authorizer(PolicySet(identityPolicies: [policy])), BenchRequests.catalog(data.catalogActions()))
    case .readOnlyAccess:
      let policy = try data.managedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess")
      return try .decisions(Authorizer(PolicySet(identityPolicies: [policy])), BenchRequests.catalog(data.catalogActions()))
    case .layered:
      var policies = PolicySet(identityPolicies: [try data.managedPolicy("arn:aws:iam::aws:policy/AdministratorAccess")])
      policies.permissionsBoundary = try data.policy("layered/boundary.json", kind: .permissionsBoundary)
      policies.serviceControlPolicies = try ["scp-root", "scp-ou", "scp-account"].map {
        [try data.policy("layered/\($0).json", kind: .serviceControl)]
      }
      policies.resourcePolicy = try data.policy("layered/resource-policy.json", kind: .resource)
      return try .decisions(Authorizer(policies), BenchRequests.layered(data.catalogActions()))
    case .abac:
      let policy = try data.policy("abac/policy.json", kind: .identity)
      return try .decisions(Authorizer(PolicySet(identityPolicies: [policy])), BenchRequests.abac())
    case .parseManaged:
      return try .parseManaged(InputFile.read(data.path("aws-managed-policies.json")))
    case .auditMatrix:
      return try .auditMatrix(policies: data.shippedPolicyTexts(), actions: data.catalogActions())
    case .jsonl:
      return try .jsonl(&data)
    case .coldQuery:
      return try .coldQuery(&data)
    case .authorize:
      return try .fullAuthorize(&data)
    case .whoCan10, .whoCan100, .whoCan1000:
      return try .organizationCommand(
        organizationSize!, ["who-can", "rds:CreateDBInstance", "--org", "{org}", "--context", "aws:RequestedRegion=eu-west-1"],
        environment: data.environment)
    case .access10, .access100, .access1000:
      return try .organizationCommand(organizationSize!, ["access", "--org", "{org}", "--user", "user1@example.com"],
                                      environment: data.environment)
    case .audit10, .audit100, .audit1000:
      return try .organizationCommand(organizationSize!, ["audit", "--org", "{org}", "--format", "json"], environment: data.environment)
    case .diff10, .diff100, .diff1000:
      return try .organizationCommand(organizationSize!, ["diff", "{org}", "{changed}"], environment: data.environment)
    }
  }
}

/// A target of the issue: a rate to reach, a time per operation or a peak memory to stay under.
struct BenchTarget: Sendable {
  var minimumPerSecond: Double?
  var maximumNanoseconds: Double?
  var maximumPeakBytes: Int?

  func isMet(perSecond: Double, nanoseconds: Double, peakBytes: Int) -> Bool {
    if let minimumPerSecond, perSecond < minimumPerSecond { return false }
    if let maximumNanoseconds, nanoseconds >= maximumNanoseconds { return false }
    if let maximumPeakBytes, peakBytes >= maximumPeakBytes { return false }
    return true
  }

  var description: String {
    var parts: [String] = []
    if let minimumPerSecond { parts.append("≥ \(BenchFormat.grouped(minimumPerSecond))/s") }
    if let maximumNanoseconds { parts.append("< \(BenchFormat.duration(maximumNanoseconds))") }
    if let maximumPeakBytes { parts.append("peak < \(maximumPeakBytes / 1_000_000) MB") }
    return parts.joined(separator: ", ")
  }
}

/// The timed work of a scenario, already checked.
struct BenchWorkload {
  /// Does one batch of operations; returns how many, a checksum that keeps the work observable, and, when
  /// the batch measured its operations itself, their duration (otherwise the wall time of the batch counts).
  var batch: () throws -> BenchBatch
  /// What the one-off check before timing established.
  var checked: String
  /// For scenarios that start processes: the highest peak memory of a child so far.
  var childPeakBytes: (() -> Int)?
  /// Removes temporary files.
  var cleanup: () -> Void = {}
}

extension BenchWorkload {
  /// Decisions of prepared requests on the fast path, after checking each against `authorize(_:)`.
  static func decisions(_ authorizer: Authorizer, _ requests: [AuthorizationRequest]) throws -> BenchWorkload {
    let prepared = requests.map(PreparedRequest.init)
    let fast = prepared.map { authorizer.decision(for: $0) }
    let checked = try BenchCheck.decisions(fast, equal: requests.map { authorizer.authorize($0).decision }, requests)
    return BenchWorkload(
      batch: {
        var allowed = 0
        for request in prepared where authorizer.decision(for: request) == .allowed { allowed += 1 }
        return BenchBatch(operations: prepared.count, checksum: allowed)
      }, checked: checked)
  }

  /// One pass over every AWS managed policy: read the JSON array, validate and compile each document.
  static func parseManaged(_ bytes: [UInt8]) throws -> BenchWorkload {
    let probe = PreparedRequest(AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::example-bucket/key"))
    let pass = { () throws -> (policies: Int, allowed: Int) in
      let root: JSONValue
      do { root = try JSONReader().read(bytes) } catch { throw BenchFailure("aws-managed-policies.json: \(error)") }
      var policies = 0
      var allowed = 0
      for record in root.elements ?? [] {
        guard let document = record["Document"], let arn = record["Arn"]?.stringValue else {
          throw BenchFailure("aws-managed-policies.json: a record lacks `Document` or `Arn`")
        }
        let policy = try PolicyDocument(json: document, name: arn, kind: .identity, isAWSManaged: true)
        // Deciding one request keeps the compiled policy observable.
        if try Authorizer(PolicySet(identityPolicies: [policy])).decision(for: probe) == .allowed { allowed += 1 }
        policies += 1
      }
      return (policies, allowed)
    }
    let (policies, allowed) = try pass()
    guard policies == 1_452 else { throw BenchFailure("aws-managed-policies.json holds \(policies) policies, not 1,452") }
    return BenchWorkload(
      batch: {
        let (_, allowed) = try pass()
        return BenchBatch(operations: 1, checksum: allowed)
      },
      checked: "all \(BenchFormat.grouped(policies)) policies valid and compiled; \(allowed) allow s3:GetObject")
  }

  /// The audit matrix: every catalog action against every shipped policy, on all cores.
  static func auditMatrix(policies: [(arn: String, bytes: [UInt8])], actions: [BenchAction]) throws -> BenchWorkload {
    let requests = BenchRequests.catalog(actions)
    let matrix = { () throws -> [Decision] in
      let authorizers = ResultBuffer<Authorizer?>(count: policies.count, initial: nil)
      DispatchQueue.concurrentPerform(iterations: policies.count) { index in
        let (arn, bytes) = policies[index]
        authorizers[index] = (try? PolicyDocument(parsing: bytes, name: arn, kind: .identity, isAWSManaged: true))
          .map { try? Authorizer(PolicySet(identityPolicies: [$0])) } ?? nil
      }
      let compiled = authorizers.values.compactMap { $0 }
      guard compiled.count == policies.count else { throw BenchFailure("a shipped policy does not parse") }
      let prepared = requests.map(PreparedRequest.init)
      let chunk = 128
      let chunks = (prepared.count + chunk - 1) / chunk
      let cells = ResultBuffer<Decision>(count: compiled.count * prepared.count, initial: .implicitDeny)
      DispatchQueue.concurrentPerform(iterations: compiled.count * chunks) { item in
        let (policy, part) = item.quotientAndRemainder(dividingBy: chunks)
        for request in (part * chunk)..<min(prepared.count, (part + 1) * chunk) {
          cells[policy * prepared.count + request] = compiled[policy].decision(for: prepared[request])
        }
      }
      return cells.values
    }
    let cells = try matrix()
    var expected: [Decision] = []
    for (arn, bytes) in policies {
      let authorizer = try Authorizer(PolicySet(identityPolicies: [try PolicyDocument(parsing: bytes, name: arn, kind: .identity, isAWSManaged: true)]))
      expected += requests.map { authorizer.authorize($0).decision }
    }
    let checked = try BenchCheck.decisions(cells, equal: expected, Array((0..<policies.count).map { _ in requests }.joined()))
    return BenchWorkload(
      batch: {
        let cells = try matrix()
        return BenchBatch(operations: 1, checksum: cells.count { $0 == .allowed })
      },
      checked: "\(policies.count) policies × \(BenchFormat.grouped(requests.count)) actions: \(checked)")
  }

  /// `iamsim eval --requests FILE` in-process, on a generated JSON Lines file.
  static func jsonl(_ data: inout BenchData) throws -> BenchWorkload {
    let policyARN = "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"
    let requests = BenchRequests.jsonLines(try data.catalogActions(), count: 20_000)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamsim-bench-\(getpid()).jsonl").path
    var text = ""
    for request in requests { text += BenchRequests.jsonLine(request) + "\n" }
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    let arguments = ["eval", "--policy", policyARN, "--requests", file]
    let environment = data.environment
    func run(_ out: inout some TextOutputStream) throws {
      var err = ""
      let status = Tool.run(arguments, environment: environment, stdout: &out, stderr: &err)
      guard status == .success else { throw BenchFailure("iamsim eval --requests exited \(status.rawValue): \(err)") }
    }
    // The check: every output line's decision equals the fast path's for the same request.
    var output = ""
    try run(&output)
    let authorizer = try Authorizer(PolicySet(identityPolicies: [try data.managedPolicy(policyARN)]))
    var streamed: [Decision] = []
    for line in output.split(separator: "\n") {
      guard let decision = (try? JSONReader().read(String(line)))?["decision"]?.stringValue.flatMap(Decision.init) else {
        throw BenchFailure("an output line of iamsim eval --requests has no decision: \(line.prefix(200))")
      }
      streamed.append(decision)
    }
    guard streamed.count == requests.count else {
      throw BenchFailure("iamsim eval --requests wrote \(streamed.count) results for \(requests.count) requests")
    }
    let checked = try BenchCheck.decisions(
      requests.map { authorizer.decision(for: PreparedRequest($0)) }, equal: streamed, requests, fastName: "fast path",
      otherName: "streamed output")
    return BenchWorkload(
      batch: {
        var counter = BenchByteCounter()
        try run(&counter)
        return BenchBatch(operations: requests.count, checksum: counter.bytes)
      },
      checked: "\(BenchFormat.grouped(requests.count)) lines per batch, output discarded in-process; \(checked)",
      cleanup: { try? FileManager.default.removeItem(atPath: file) })
  }

  /// One `iamsim eval` process per operation.
  static func coldQuery(_ data: inout BenchData) throws -> BenchWorkload {
    guard let executable = BenchSystem.iamsimExecutable() else {
      throw BenchFailure("cold-query starts the iamsim executable, and none runs here or beside \(BenchSystem.runningExecutable)")
    }
    let policyARN = "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"
    let request = AuthorizationRequest(action: "rds:CreateDBInstance", resource: "arn:aws:rds:us-east-1:111122223333:db:example-db")
    let arguments = ["eval", "--policy", policyARN, "--action", request.action, "--resource", request.resource]
    let environment = data.environment
    let first = try BenchSystem.run(executable, arguments + ["--format", "json"], environment: environment, captureOutput: true)
    let results = (try? JSONReader().read(first.output))?["results"]?.elements
    guard first.status == 0, let text = results?.first?["decision"]?.stringValue, let decision = Decision(rawValue: text) else {
      throw BenchFailure("`\(executable) \(arguments.joined(separator: " "))` exited \(first.status) without a decision")
    }
    let authorizer = try Authorizer(PolicySet(identityPolicies: [try data.managedPolicy(policyARN)]))
    let checked = try BenchCheck.decisions(
      [authorizer.decision(for: PreparedRequest(request))], equal: [decision], [request], fastName: "fast path",
      otherName: "the process")
    // Each query is started by a fresh helper (`iamsim bench --spawn-child`), which times it and reads its
    // ru_maxrss. Started from here, a child's ru_maxrss would include this process's resident size: posix_spawn
    // shares this process's memory until exec, and exec keeps that high-water mark.
    final class Peak { var bytes = 0 }
    let peak = Peak()
    return BenchWorkload(
      batch: {
        let helper = try BenchSystem.run(
          executable, ["bench", BenchCommand.spawnChildFlag, executable] + arguments, environment: environment,
          captureOutput: true)
        let fields = String(decoding: helper.output, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
          .compactMap { Int($0) }
        guard helper.status == 0, fields.count == 3, fields[0] == 0 else {
          throw BenchFailure("`iamsim eval` failed: helper status \(helper.status), reported \(fields)")
        }
        peak.bytes = max(peak.bytes, fields[1])
        return BenchBatch(operations: 1, checksum: fields[0], nanoseconds: UInt64(fields[2]))
      },
      checked: "\(executable), started by a fresh helper process; \(checked)", childPeakBytes: { peak.bytes })
  }
}

/// What one batch did.
struct BenchBatch {
  var operations: Int
  var checksum: Int
  /// The duration the batch measured itself (a child process, timed by its helper); `nil` to take the wall time.
  var nanoseconds: UInt64?
}

/// The one-off check that decisions did not change.
enum BenchCheck {
  /// Compares decisions one by one; throws naming the first request that differs.
  static func decisions(
    _ fast: [Decision], equal other: [Decision], _ requests: [AuthorizationRequest], fastName: String = "fast path",
    otherName: String = "authorize(…).decision"
  ) throws -> String {
    precondition(fast.count == other.count && fast.count == requests.count)
    var counts: [Decision: Int] = [:]
    for index in fast.indices {
      guard fast[index] == other[index] else {
        let request = requests[index]
        throw BenchFailure(
          "DECISIONS CHANGED: \(request.action) on \(request.resource): \(fastName) says \(fast[index].rawValue), \(otherName) says \(other[index].rawValue)")
      }
      counts[fast[index], default: 0] += 1
    }
    let tally = Decision.allCases.compactMap { decision in counts[decision].map { "\(BenchFormat.grouped($0)) \(decision.rawValue)" } }
    return "\(fastName) equals \(otherName) for all \(BenchFormat.grouped(fast.count)) (\(tally.joined(separator: ", ")))"
  }
}

/// An output stream that only counts what is written to it.
struct BenchByteCounter: TextOutputStream {
  var bytes = 0
  mutating func write(_ string: String) { bytes += string.utf8.count }
}
