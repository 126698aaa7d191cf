import IAMCatalog
import IAMPolicy

/// `iamsim expand`: the concrete catalog actions that action patterns name.
enum ExpandCommand {
  static let help = """
    USAGE: iamsim expand PATTERN... [--not] [--format text|json]

    Lists every action of the shipped AWS catalog that one of the patterns matches (`s3:Get*`, `iam:*Role*`,
    `*`), with its access level. With --not, lists every action that none of them matches, as NotAction does.
    Patterns compare regardless of case; the service prefix takes no wildcard.

    Exit status: 0 done (also when nothing matches); 2 the catalog cannot be loaded; 64 bad usage.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--format"], switchFlags: ["--not"], command: "expand")
    let format = try parsed.format(["text", "json"], command: "expand")
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one action pattern", command: "expand") }
    let catalog = try CatalogCommand.loadBundled()
    let actions = parsed.has("--not")
      ? catalog.actions(matchingNoneOf: parsed.positionals) : catalog.actions(matchingAnyOf: parsed.positionals)
    if format == "json" {
      out(JSONOutput.object([
        ("version", 1), ("patterns", .array(parsed.positionals.map(JSONOutput.string))), ("negated", .bool(parsed.has("--not"))),
        ("count", .int(actions.count)),
        ("actions", .array(actions.map { .object([("action", .string($0.qualifiedName)), ("accessLevel", .string($0.accessLevel.rawValue))]) })),
      ]).rendered(pretty: true) + "\n")
    } else {
      for action in actions { out("\(action.qualifiedName)\t\(action.accessLevel.rawValue)\n") }
      out("\(actions.count) action\(actions.count == 1 ? "" : "s")\n")
    }
    return .success
  }
}
