import IAMOrganization
import IAMPolicy

/// `collect-manifest.json`: how a snapshot was taken and what it lacks (`Documentation/Collect.md`). It holds
/// identifiers, counts and reasons, never a credential.
public struct CollectManifest: Sendable {
  /// The manifest's format version.
  public static let version = 1
  /// The file's name in the organization directory.
  public static let fileName = "collect-manifest.json"

  /// When the collection started and ended (ISO 8601, UTC), and how long it took.
  public var startedAt: String
  public var finishedAt: String
  public var seconds: Double
  /// Who collected: `sts:GetCallerIdentity`'s ARN and account.
  public var callerArn: String
  public var callerAccount: String
  /// The region of every regional call (Identity Center's).
  public var region: String
  public var profile: String?
  public var endpointURL: String?
  public var memberRole: String?
  public var concurrency: Int
  /// Calls by IAM action, sorted by action.
  public var calls: [OperationCount]
  /// Requests the client retried (throttling, 5xx, dropped connections).
  public var retries: Int
  /// The organization's accounts, and those whose IAM was read.
  public var accounts: Int
  public var iamCollected: [String]
  /// Accounts whose IAM was not read, with why (the directory marks them `"iam": "not-collected"`).
  public var notCollected: [NotCollectedAccount]
  /// What collect left out on purpose, with why.
  public var skipped: [SkippedPart]
  /// What the organization still lacks, as `iamsim import` reports it.
  public var missing: [MissingPart]
  /// The importer's warnings, formatted.
  public var warnings: [String]

  /// The number of calls.
  public var totalCalls: Int { calls.reduce(0) { $0 + $1.calls } }

  /// One IAM action and how many times it was called.
  public struct OperationCount: Sendable, Hashable {
    public var action: String
    public var calls: Int
  }

  /// An account whose IAM was not collected.
  public struct NotCollectedAccount: Sendable, Hashable {
    public var account: String
    public var reason: String
  }

  /// Something left out, and why.
  public struct SkippedPart: Sendable, Hashable {
    public var what: String
    public var why: String
  }

  /// What answers do when an account's IAM is unknown.
  public static let failClosed =
    "in accounts marked not collected, sessions whose permission set references a customer managed policy or boundary, IAM roles and users, and account access manager grants are not evaluated: eval --org, who-can, access and audit --org say which account and why, and who-can lists them as unknown rather than allowed or not"

  /// The manifest as JSON.
  public var json: JSONOutput {
    func optional(_ text: String?) -> JSONOutput { text.map(JSONOutput.string) ?? .null }
    return .object([
      ("manifestVersion", .int(Self.version)),
      ("tool", "iamsim collect"),
      ("startedAt", .string(startedAt)), ("finishedAt", .string(finishedAt)), ("seconds", .number(decimalSeconds(seconds))),
      ("caller", .object([("arn", .string(callerArn)), ("account", .string(callerAccount))])),
      ("region", .string(region)), ("profile", optional(profile)), ("endpointURL", optional(endpointURL)),
      ("memberRole", optional(memberRole)), ("concurrency", .int(concurrency)),
      ("calls", .object([
        ("total", .int(totalCalls)), ("retries", .int(retries)),
        ("byAction", .array(calls.map { .object([("action", .string($0.action)), ("calls", .int($0.calls))]) })),
      ])),
      ("accounts", .object([
        ("total", .int(accounts)), ("iamCollected", .array(iamCollected.map(JSONOutput.string))),
        ("iamNotCollected", .array(notCollected.map { .object([("account", .string($0.account)), ("reason", .string($0.reason))]) })),
      ])),
      ("failClosed", notCollected.isEmpty ? .null : .string(Self.failClosed)),
      ("skipped", .array(skipped.map { .object([("what", .string($0.what)), ("why", .string($0.why))]) })),
      ("missing", .array(missing.map { .object([("what", .string($0.what)), ("command", .string($0.command))]) })),
      ("warnings", .array(warnings.map(JSONOutput.string))),
    ])
  }

  /// The file's bytes.
  var bytes: [UInt8] { Array((json.rendered(pretty: true) + "\n").utf8) }
}

/// Seconds with at most three decimals, as JSON number text.
private func decimalSeconds(_ seconds: Double) -> String {
  let millis = Int((seconds * 1000).rounded())
  let fraction = String(millis % 1000)
  return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
}
