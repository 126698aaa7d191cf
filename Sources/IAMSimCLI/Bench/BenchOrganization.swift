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
    let command = arguments.map { $0 == "{org}" ? directory : $0 }
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
      cleanup: { try? FileManager.default.removeItem(atPath: directory) })
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
