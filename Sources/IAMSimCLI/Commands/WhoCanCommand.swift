import Foundation
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim who-can`: which people, roles and IAM users can call an action, and how.
enum WhoCanCommand {
  static let help = """
    USAGE: iamsim who-can ACTION --org DIR [--resource ARN] [--resource-account ID] [--resource-policy P]
                          [--context KEY=VALUE ...] [--region R] [--strict] [--format text|json]

    Evaluates ACTION for every caller of the organization and lists those that are allowed:
      - every user of the identity store in every account and permission set their assignments give them
        (directly or through a group);
      - every user in every IAM role an account access manager grant gives them (grants whose role does not
        trust account access manager are unusable, and reported as warnings);
      - every IAM role (other than the AWSReservedSSO_ roles, which are the people above) and IAM user of
        the accounts whose IAM the organization holds.
    The SCP levels of the caller's account and the RCP levels of the resource's account apply. Sessions that
    cannot be evaluated (an account whose IAM was not collected) are listed as unknown, never as allowed.

    --context is read as by `eval`: repeating a key makes it multivalued; --region R is
    --context aws:RequestedRegion=R.

    A caller whom the request is denied only for want of context it does not give (the Region, MFA, a request
    tag; never the caller's own tags) is listed with the condition, derived from the policies and decided by
    the engine for each value it names: "allowed if aws:RequestedRegion ∈ {eu-west-1, eu-central-1}" (JSON:
    `allowedIf`). --strict lists only callers allowed without condition.

    An action that the shipped AWS catalog does not know is evaluated all the same, with a warning that names the
    closest real actions (in JSON: `diagnostics`).

    Exit status: 0 answered (whoever can or cannot); 2 invalid input; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--org", "--resource", "--resource-account", "--resource-policy", "--context", "--format", "--region"],
      switchFlags: ["--strict"], command: "who-can")
    let format = try parsed.format(["text", "json"], command: "who-can")
    guard parsed.positionals.count == 1, let action = parsed.positionals.first,
      action.split(separator: ":", omittingEmptySubsequences: false).count == 2
    else { throw UsageError("name exactly one action, service:Action", command: "who-can") }
    guard let directory = try parsed.single("--org", command: "who-can") else {
      throw UsageError("--org DIR is required", command: "who-can")
    }
    let warnings = [try CatalogCommand.loadBundled().unknownAction(action)?.diagnostic()].compactMap { $0 }
    let context = try RequestArguments.context(parsed, command: "who-can")
    var loader = PolicyLoader(environment: environment, searchRoots: [directory, EvalCommand.executableDirectory])
    let resourcePolicy = try parsed.single("--resource-policy", command: "who-can").map { try loader.load($0, kind: .resource) }
    let organization = try OrganizationCommand.load(directory, err: err)
    let resource = try parsed.single("--resource", command: "who-can") ?? "*"
    let resourceAccount = try parsed.single("--resource-account", command: "who-can")

    let query = AccessQuery(action: action, resource: resource, resourceAccount: resourceAccount, context: context,
                            resourcePolicy: resourcePolicy, conditional: !parsed.has("--strict"))
    // Written row by row, in blocks: an organization can give a million rows.
    ChunkedOutput.writing(to: out) { output in
    if format == "json" {
      let result = organization.whoCan(query)
      let allowed = result.allowed
      // The condition of each distinct response, looked up once: a million rows share a few responses.
      let conditions = allowed.responses.map(\.changesIf)
      output.write("{\n  \"version\": 1,\n  \"action\": ")
      output.write(JSONOutput.string(action), indent: 1)
      output.write(",\n  \"resource\": ")
      output.write(JSONOutput.string(resource), indent: 1)
      output.write(",\n  \"allowed\": ")
      if allowed.isEmpty {
        output.write("[]")
      } else {
        output.write("[")
        var statements: [Int: JSONOutput] = [:]
        for position in allowed.indices {
          let response = allowed.responseIndex(at: position)
          if statements[response] == nil {
            statements[response] = .array(allowed.responses[response].determiningStatements.map(JSONOutput.statement))
          }
          output.write(position == 0 ? "\n    " : ",\n    ")
          output.write(json(allowed.caller(at: position), group: allowed.group(at: position), principal: allowed.principal(at: position),
                            statements: statements[response]!, condition: conditions[response]), indent: 2)
        }
        output.write("\n  ]")
      }
      output.write(",\n  \"unknown\": ")
      output.write(JSONOutput.array(result.unknown.map { caller, reason in
        JSONOutput.object([("caller", .string(caller.description)), ("reason", .string(reason.message))])
      }), indent: 1)
      output.write(",\n  \"diagnostics\": ")
      output.write(JSONOutput.array(warnings.map(JSONOutput.diagnostic)), indent: 1)
      output.write("\n}\n")
    } else {
      output.write("who can call \(action) on \(resource):\n")
      for warning in warnings { output.write("  \(warning.severity.rawValue): \(warning.message)\n") }
      // The rows are written as they are decided, on another core.
      var rows = TextRows()
      let result = decide(query, in: organization) { rows.write($0, to: &output) }
      if result.allowed.isEmpty { output.write("  nobody\n") }
      if !result.unknown.isEmpty {
        output.write("not evaluated (the organization lacks what these sessions need):\n")
        for (caller, reason) in result.unknown { output.write("  \(caller): not evaluated: \(reason.message)\n") }
      }
    }
    }
    return .success
  }

  /// Decides `query` for every caller on another thread, handing each batch of allowed callers to `write` on this
  /// one as soon as it is decided, in order; returns the whole answer.
  static func decide(_ query: AccessQuery, in organization: Organization, writing write: (AllowedCallers) -> Void)
    -> WhoCanResult
  {
    let handOff = HandOff()
    DispatchQueue.global(qos: .userInitiated).async {
      handOff.finish(organization.whoCan(query) { handOff.push($0) })
    }
    while true {
      switch handOff.next() {
      case .batch(let batch): write(batch)
      case .done(let result): return result
      }
    }
  }

  /// Batches of allowed callers passed from the thread that decides to the thread that writes, in order, then the
  /// whole answer.
  final class HandOff: @unchecked Sendable {
    enum Item {
      case batch(AllowedCallers)
      case done(WhoCanResult)
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var batches: [AllowedCallers?] = []
    private var taken = 0
    private var result: WhoCanResult?

    func push(_ batch: AllowedCallers) {
      condition.lock()
      batches.append(batch)
      condition.signal()
      condition.unlock()
    }

    func finish(_ result: WhoCanResult) {
      condition.lock()
      self.result = result
      condition.signal()
      condition.unlock()
    }

    /// The next batch, waiting for it; once every batch is taken, the answer.
    func next() -> Item {
      condition.lock()
      defer { condition.unlock() }
      while taken == batches.count && result == nil { condition.wait() }
      if taken < batches.count {
        let batch = batches[taken]!
        // Handed on: the writer holds the only copy, freed once written.
        batches[taken] = nil
        taken += 1
        return .batch(batch)
      }
      return .done(result!)
    }
  }

  /// The lines of text output of the allowed callers, built as UTF-8 bytes from parts shared by many rows: a
  /// person's line is the user name and the rest of the line, which the rows of one permission set, account and
  /// group share, then the line of the condition, which the rows of one response share.
  struct TextRows {
    /// Every user name, one after the other, and where each ends (from the first batch: the tables are the same in
    /// every batch).
    private var names: [UInt8] = []
    private var nameEnds: [Int]?
    /// The rest of a person's line, by ``AllowedCallers/identityCenterLine(_:)``, once built.
    private var rests: [[UInt8]?] = []
    /// The condition line of each response (empty when there is none).
    private var conditions: [[UInt8]] = []

    /// Writes the lines of a batch of rows.
    mutating func write(_ batch: AllowedCallers, to output: inout ChunkedOutput) {
      if nameEnds == nil {
        var ends: [Int] = []
        ends.reserveCapacity(batch.userNames.count)
        for name in batch.userNames {
          names.append(contentsOf: name.utf8)
          ends.append(names.count)
        }
        nameEnds = ends
        rests = Array(repeating: nil, count: batch.identityCenterLineCount)
      }
      // The condition of each distinct response, looked up once: a million rows share a few responses.
      while conditions.count < batch.responses.count {
        let condition = batch.responses[conditions.count].changesIf
        conditions.append(Array((condition.map { "      " + $0.sentence + "\n" } ?? "").utf8))
      }
      let blockRows = 4096
      for start in stride(from: 0, to: batch.count, by: blockRows) {
        output.append { bytes in render(batch, start..<min(start + blockRows, batch.count), into: &bytes) }
      }
    }

    /// Appends the lines of the rows in `range`.
    private mutating func render(_ batch: AllowedCallers, _ range: Range<Int>, into bytes: inout [UInt8]) {
      let nameEnds = nameEnds!
      for position in range {
        if let (user, shared) = batch.identityCenterRow(at: position) {
          if rests[shared] == nil {
            let (permissionSet, account, group) = batch.identityCenterLine(shared)
            // The whole line of an empty user name, without the indentation: the two spaces after the name onwards.
            let caller = Caller.identityCenter(user: "", permissionSet: permissionSet, account: account)
            rests[shared] = Array(WhoCanCommand.line(caller, group: group).utf8.dropFirst(2))
          }
          bytes.append(32)
          bytes.append(32)
          bytes.append(contentsOf: names[(user == 0 ? 0 : nameEnds[user - 1])..<nameEnds[user]])
          bytes.append(contentsOf: rests[shared]!)
        } else {
          let caller = batch.caller(at: position)
          bytes.append(contentsOf: WhoCanCommand.line(caller, group: batch.group(at: position)).utf8)
        }
        bytes.append(contentsOf: conditions[batch.responseIndex(at: position)])
      }
    }
  }

  /// A caller's line of text output, without the line a condition adds.
  private static func line(_ caller: Caller, group: String?) -> String {
    switch caller {
    case .identityCenter(let user, let permissionSet, let account):
      "  \(user)  \(permissionSet)  \(account)  (\(group.map { "group \($0)" } ?? "direct assignment"))\n"
    case .accountAccess(let user, let account, let role):
      "  \(user)  role \(role)  \(account)  (account access manager, \(group.map { "group \($0)" } ?? "direct grant"))\n"
    case .role(let account, let name):
      "  role \(name)  \(account)  (whoever its trust policy admits)\n"
    case .iamUser(let account, let name):
      "  IAM user \(name)  \(account)\n"
    }
  }

  /// A caller's object of JSON output.
  private static func json(
    _ caller: Caller, group: String?, principal: String, statements: JSONOutput, condition: DecisionCondition?
  ) -> JSONOutput {
    var members: [(String, JSONOutput)]
    switch caller {
    case .identityCenter(let user, let permissionSet, let account):
      members = [("kind", "identityCenter"), ("user", .string(user)), ("group", .optional(group)),
                 ("permissionSet", .string(permissionSet)), ("account", .string(account))]
    case .accountAccess(let user, let account, let role):
      members = [("kind", "accountAccess"), ("user", .string(user)), ("group", .optional(group)), ("role", .string(role)),
                 ("account", .string(account))]
    case .role(let account, let name):
      members = [("kind", "role"), ("role", .string(name)), ("account", .string(account))]
    case .iamUser(let account, let name):
      members = [("kind", "iamUser"), ("iamUser", .string(name)), ("account", .string(account))]
    }
    members += [("principal", .string(principal)), ("determiningStatements", statements)]
    if let condition { members.append(("allowedIf", .condition(condition))) }
    return .object(members)
  }
}
