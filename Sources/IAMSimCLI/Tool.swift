import Foundation
import IAMCatalog
import IAMManagedPolicies
import IAMPolicy

/// The iamsim command line, runnable in-process: parse the arguments, run the command, return the exit status.
public enum Tool {
  /// The version printed by `--version`.
  public static let version = "0.1.0"

  /// Runs one command line.
  ///
  /// - Parameters:
  ///   - arguments: the arguments after the program name.
  ///   - environment: the environment (`IAMSIM_BENCHMARKS`, `IAMSIM_PERMISSION_SETS`; the AWS managed policies
  ///     and the catalog are compiled in).
  ///   - stdout: where results go.
  ///   - stderr: where errors go.
  ///   - standardOutputIsTerminal: whether `stdout` is a terminal, for `--color auto` (``Colour``).
  /// - Returns: the exit status: 0 done, 1 a failure the user asked about, 2 invalid input, 64 bad usage.
  public static func run(
    _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
    stdout: inout some TextOutputStream, stderr: inout some TextOutputStream, standardOutputIsTerminal: Bool = false
  ) -> ExitStatus {
    var command = arguments.first ?? "--help"
    var rest = Array(arguments.dropFirst())
    if command == "help" {
      command = rest.first ?? "--help"
      rest = ["--help"]
    }
    if command == "--version" || command == "-V" {
      stdout.write(versionText)
      return .success
    }
    guard let spec = commands.first(where: { $0.name == command }) else {
      if command == "--help" || command == "-h" {
        stdout.write(overview)
        return .success
      }
      stderr.write(UsageError("unknown command `\(command)`").line())
      return .usage
    }
    if rest.contains("--help") || rest.contains("-h") {
      stdout.write(spec.help)
      return .success
    }
    do {
      return try Colour.$standardOutputIsTerminal.withValue(standardOutputIsTerminal) {
        try spec.run(rest, environment, { stdout.write($0) }, { stderr.write($0) })
      }
    } catch let error as UsageError {
      // One line, not the whole help: what is wrong and where `--help` is.
      stderr.write(error.line(command: spec.name))
      return .usage
    } catch let error as InputError {
      stderr.write(error.description + "\n")
      return .invalidInput
    } catch {
      stderr.write("error: \(error)\n")
      return .invalidInput
    }
  }

  /// A subcommand: its name, one-line summary, help text and entry point.
  struct Command: Sendable {
    let name: String
    let summary: String
    let help: String
    let run: @Sendable ([String], [String: String], (String) -> Void, (String) -> Void) throws -> ExitStatus
  }

  static let commands: [Command] = [
    Command(name: "eval", summary: "decide requests against policies, and explain why", help: EvalCommand.help,
            run: { try EvalCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "test", summary: "run case files as regression tests", help: TestCommand.help,
            run: { try TestCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "validate", summary: "check policies against the IAM grammar", help: ValidateCommand.help,
            run: { try ValidateCommand.run($0, out: $2, err: $3) }),
    Command(name: "unused", summary: "report access that CloudTrail shows nobody used, with a narrower policy",
            help: UnusedCommand.help, run: { try UnusedCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "expand", summary: "list the catalog actions that action patterns name", help: ExpandCommand.help,
            run: { try ExpandCommand.run($0, out: $2, err: $3) }),
    Command(name: "catalog", summary: "show or rebuild the shipped AWS action catalog", help: CatalogCommand.help,
            run: { try CatalogCommand.run($0, out: $2, err: $3) }),
    Command(name: "policies", summary: "list, show or rebuild the shipped AWS managed policies", help: PoliciesCommand.help,
            run: { try PoliciesCommand.run($0, out: $2, err: $3) }),
    Command(name: "saml", summary: "read a SAML response as Entra ID sends it: session, tags, problems", help: SAMLCommand.help,
            run: { try SAMLCommand.run($0, out: $2, err: $3) }),
    Command(name: "who-can", summary: "list the users who can call an action, with group, permission set and account",
            help: WhoCanCommand.help, run: { try WhoCanCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "access", summary: "list every account and permission set a user can use, and what each grants",
            help: AccessCommand.help, run: { try AccessCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "review", summary: "access review: per person every account, permission set and group, what each grants; changes since a snapshot",
            help: ReviewCommand.help, run: { try ReviewCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "audit", summary: "list what policies really grant, by service and access level, and their risks",
            help: AuditCommand.help, run: { try AuditCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "diff", summary: "list the actions a policy change newly allows or no longer allows",
            help: DiffCommand.help, run: { try DiffCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "scim", summary: "check SCIM payloads as IAM Identity Center would provision them", help: SCIMCommand.help,
            run: { try SCIMCommand.run($0, out: $2, err: $3) }),
    Command(name: "org", summary: "check an organization directory: errors and warnings, with file and position",
            help: OrganizationCommand.help, run: { try OrganizationCommand.run($0, out: $2, err: $3) }),
    Command(name: "import", summary: "build or add to an organization directory from AWS CLI exports, and list what is missing",
            help: ImportCommand.help, run: { try ImportCommand.run($0, out: $2, err: $3) }),
    Command(name: "collect", summary: "snapshot an AWS organization, read-only, straight from AWS, as an organization directory",
            help: CollectCommand.help, run: { try CollectCommand.run($0, environment: $1, out: $2, err: $3) }),
    Command(name: "bench", summary: "measure the engine: decisions per second, latency, peak memory", help: BenchCommand.help, run: { try BenchCommand.run($0, environment: $1, out: $2, err: $3) }),
  ]

  /// `iamsim --version`: the version and the dates of the data compiled in.
  static var versionText: String {
    let catalog = (try? Catalog.bundled()).map { $0.metadata.dataDate ?? "unknown date" } ?? "unreadable"
    let policies = (try? ManagedPolicyLibrary.shipped()).map { "\($0.info.count) policies, \($0.info.dataDate)" } ?? "unreadable"
    return """
      iamsim \(version)
      catalog: AWS Service Authorization Reference, \(catalog)
      AWS managed policies: \(policies)

      """
  }

  static var overview: String {
    """
    iamsim: an offline AWS IAM policy simulator

    USAGE: iamsim <command> [options]

    COMMANDS:
    \(commands.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

    Run `iamsim <command> --help` for a command's options.
    Exit status: 0 done, 1 a failure you asked about, 2 invalid input, 64 bad usage.

    """
  }
}
