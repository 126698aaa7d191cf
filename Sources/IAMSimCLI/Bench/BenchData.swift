import Foundation
import IAMEvaluation
import IAMManagedPolicies
import IAMPolicy

/// The benchmark's inputs: the `Benchmarks/` folder of the repository and the shipped managed policies.
///
/// Nothing outside the repository is read: the action list and the 1,452 managed policies are copies
/// kept in `Benchmarks/` (see its README for where they came from).
struct BenchData {
  /// The `Benchmarks/` folder.
  let directory: String
  let environment: [String: String]
  private var loader: PolicyLoader
  private var cachedActions: [BenchAction]?

  /// Finds `Benchmarks/`: `$IAMSIM_BENCHMARKS`, else a `Benchmarks` folder holding `actions.tsv` in the
  /// working directory, the executable's folder, or any folder above them.
  init(environment: [String: String]) throws {
    let cwd = FileManager.default.currentDirectoryPath
    let roots = [cwd, EvalCommand.executableDirectory]
    var candidates: [String] = []
    if let explicit = environment["IAMSIM_BENCHMARKS"] { candidates.append(explicit) }
    candidates += InputFile.foldersAbove(roots).map { $0 + "/Benchmarks" }
    guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/actions.tsv") }) else {
      throw InputError(.fileUnreadable,
                       "cannot find the benchmark data (`Benchmarks/actions.tsv`) above the working directory; set IAMSIM_BENCHMARKS to that folder")
    }
    directory = found
    self.environment = environment
    loader = PolicyLoader(environment: environment, searchRoots: roots)
  }

  /// The catalog actions every action-driven scenario cycles through.
  ///
  /// This is the one place that says where the actions come from: today the 1,000 actions of
  /// `Benchmarks/actions.tsv`; when the service authorization catalog ships, return every catalog action here.
  mutating func catalogActions() throws -> [BenchAction] {
    if let cachedActions { return cachedActions }
    let actions = try BenchAction.read(path("actions.tsv"))
    cachedActions = actions
    return actions
  }

  /// A path inside `Benchmarks/`.
  func path(_ name: String) -> String { directory + "/" + name }

  /// Reads a policy from `Benchmarks/`.
  func policy(_ name: String, kind: PolicyKind) throws -> PolicyDocument {
    try PolicyDocument(parsing: InputFile.read(path(name)), name: "Benchmarks/" + name, kind: kind, file: path(name))
  }

  /// A shipped AWS managed policy, by ARN or name.
  mutating func managedPolicy(_ reference: String, kind: PolicyKind = .identity) throws -> PolicyDocument {
    try loader.load(reference, kind: kind)
  }

  /// The twelve AWS managed policies permission sets use most (the job-function policies and the four broad
  /// ones), in name order, as the library holds them, with their ARNs.
  static let auditMatrixPolicies = [
    "AdministratorAccess", "AWSManagementConsoleAdministratorAccess", "Billing", "DataScientist", "DatabaseAdministrator",
    "NetworkAdministrator", "PowerUserAccess", "ReadOnlyAccess", "SecurityAudit", "SupportUser", "SystemAdministrator",
    "ViewOnlyAccess",
  ]

  /// The text of the policies of ``auditMatrixPolicies``, with their ARNs.
  func shippedPolicyTexts() throws -> [(arn: String, bytes: [UInt8])] {
    let library = try loader.managedLibrary()
    return try BenchData.auditMatrixPolicies.map { name in
      guard let policy = library.entry(for: name) else { throw library.notFound(name) }
      return (policy.arn, try library.document(policy))
    }
  }
}

/// One catalog action with a realistic resource for it.
struct BenchAction: Sendable, Hashable {
  /// `service:ActionName`, as AWS spells it.
  let action: String
  /// A concrete ARN of the action's first required resource type, or `*`.
  let resource: String

  /// Reads `action<TAB>resource` lines; `#` starts a comment line.
  static func read(_ path: String) throws -> [BenchAction] {
    let text = String(decoding: try InputFile.read(path), as: UTF8.self)
    var actions: [BenchAction] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated()
    where !line.hasPrefix("#") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 2, fields[0].split(separator: ":").count == 2 else {
        throw InputError(.wrongType, "line \(number + 1) is not `service:Action<TAB>resource`", file: path)
      }
      actions.append(BenchAction(action: String(fields[0]), resource: String(fields[1])))
    }
    guard !actions.isEmpty else { throw InputError(.wrongType, "no actions", file: path) }
    return actions
  }

  /// The region of the resource ARN, or `us-east-1` when it has none.
  var region: String {
    let parts = resource.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
    return parts.count > 3 && !parts[3].isEmpty && !parts[3].contains("$") ? String(parts[3]) : "us-east-1"
  }
}
