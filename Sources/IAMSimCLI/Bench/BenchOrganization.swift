import Foundation
import IAMEvaluation
import IAMPolicy

/// The organization-scale scenarios (issue 15): one in-process command over a generated organization, loading
/// included, its output discarded.
extension BenchWorkload {
  /// The generated organization of a size: 10, 100 or 1,000 accounts.
  struct OrganizationSize {
    var users: Int
    var permissionSets: Int
    var accounts: Int

    static let small = OrganizationSize(users: 100, permissionSets: 10, accounts: 10)
    static let medium = OrganizationSize(users: 1_000, permissionSets: 50, accounts: 100)
    static let large = OrganizationSize(users: 10_000, permissionSets: 200, accounts: 1_000)
  }

  /// One run of `iamsim ARGUMENTS` (with `{org}` replaced by the generated directory) per operation, after checking
  /// once that it answers (exit 0) and prints something.
  static func organizationCommand(_ size: OrganizationSize, _ arguments: [String], environment: [String: String]) throws
    -> BenchWorkload
  {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iamsim-bench-org-\(getpid())-\(size.accounts)").path
    let summary = try OrganizationGenerator.write(
      users: size.users, permissionSets: size.permissionSets, accounts: size.accounts, to: directory)
    // `{changed}`: a copy in which user u-0 has joined one more group.
    let changed = directory + "-changed"
    if arguments.contains("{changed}") { try joinGroup(copying: directory, to: changed) }
    let command = arguments.map { $0 == "{org}" ? directory : $0 == "{changed}" ? changed : $0 }
    func run() throws -> Int {
      var out = ""
      var err = ""
      let status = Tool.run(command, environment: environment, stdout: &out, stderr: &err)
      guard status == .success else {
        throw BenchFailure("`iamsim \(command.joined(separator: " "))` exited \(status.rawValue): \(err.prefix(400))")
      }
      return out.utf8.count
    }
    let bytes = try run()
    return BenchWorkload(
      batch: { BenchBatch(operations: 1, checksum: try run()) },
      checked: "\(summary.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? summary); the answer is \(bytes) bytes",
      cleanup: {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: changed)
      })
  }

  /// Copies a generated organization and adds user u-0 to the first group (from the middle on) it is not in.
  static func joinGroup(copying directory: String, to changed: String) throws {
    try? FileManager.default.removeItem(atPath: changed)
    try FileManager.default.copyItem(atPath: directory, toPath: changed)
    let file = changed + "/identity-store/3-memberships.json"
    let groups = changed + "/identity-store/2-groups.json"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let count = try String(contentsOfFile: groups, encoding: .utf8).components(separatedBy: "\"GroupId\"").count - 1
    guard let group = (count / 2..<count).first(where: { !text.contains("\"GroupId\": \"g-\($0)\", \"MemberId\": {\"UserId\": \"u-0\"}") }),
      let start = text.range(of: "[")
    else { throw BenchFailure("no group to add u-0 to in \(file)") }
    let membership = "{\"IdentityStoreId\": \"d-1234567890\", \"MembershipId\": \"m-\(group)-u-0-bench\", \"GroupId\": \"g-\(group)\", \"MemberId\": {\"UserId\": \"u-0\"}},\n"
    try text.replacingCharacters(in: start, with: "[" + membership).write(toFile: file, atomically: true, encoding: .utf8)
  }

  /// Issue 15's like-for-like `authorize`: DatabaseAdministrator as the only identity policy of a role in
  /// 111122223333, `rds:CreateDBInstance` on an RDS instance with `aws:RequestedRegion` and `aws:SecureTransport`;
  /// a fresh request and a full `Response` each time.
  static func fullAuthorize(_ data: inout BenchData) throws -> BenchWorkload {
    let policy = try data.managedPolicy("arn:aws:iam::aws:policy/job-function/DatabaseAdministrator")
    let authorizer = try Authorizer(PolicySet(identityPolicies: [policy]))
    guard case .success(let principal) = Principal.parse("arn:aws:iam::111122223333:role/DatabaseAdministrator") else {
      throw BenchFailure("the role ARN does not parse")
    }
    func request() -> AuthorizationRequest {
      var context = RequestContext()
      context.set("aws:RequestedRegion", "us-east-1")
      context.set("aws:SecureTransport", "true")
      return AuthorizationRequest(principal: principal, action: "rds:CreateDBInstance",
                                  resource: "arn:aws:rds:us-east-1:111122223333:db:orders", context: context)
    }
    let first = authorizer.authorize(request())
    guard first.decision == .allowed, authorizer.decision(for: PreparedRequest(request())) == .allowed else {
      throw BenchFailure("DatabaseAdministrator no longer allows rds:CreateDBInstance")
    }
    return BenchWorkload(
      batch: {
        var allowed = 0
        for _ in 0..<10_000 where authorizer.authorize(request()).decision == .allowed { allowed += 1 }
        return BenchBatch(operations: 10_000, checksum: allowed)
      }, checked: "allowed, as the fast path decides")
  }
}
