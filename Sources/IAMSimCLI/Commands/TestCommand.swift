import Foundation
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim test`: run case files as regression tests.
enum TestCommand {
  static let help = """
    USAGE: iamsim test PATH... [--org DIR] [--plan PLAN.json] [--format text|json|junit] [--allow-outside-paths]
                       [--coverage] [--min-coverage PCT]

    Runs case files (a directory is searched recursively for *.json files that have a `requests`
    member). Prints one line per failing request, then `N passed, N failed`.

    OPTIONS:
      --format text|json|junit   output format (default text)
    \(Colour.helpLine)
      --allow-outside-paths      let case files reference files outside the repository that holds them
      --coverage                 list the statements of the policies under test that no request made apply
                                 (AWS managed policies are not under test and not counted)
      --min-coverage PCT         exit 1 when fewer than PCT percent of those statements applied to some request
      --org DIR                  the organization whose callers the case files' `caller`s name, in place of the
                                 one each file names (`organization`); files without callers are unaffected
      --plan PLAN.json           a Terraform plan (`terraform show -json PLAN`): callers ask in its planned state,
                                 laid over --org DIR, else over each file's `organization` (as `diff --plan` does)

    A case file may name an organization (`"organization": "DIR"`, relative to the file) and callers of it
    (`"caller": {"user", "account", "permissionSet"}`, or `"role"`, or `"iamUser"`), at file level as the default
    or per request, instead of spelling out the policies. An unknown or unassigned caller is an error (exit 2).

    A request may carry `"name"` (shown in failures and as the JUnit test-case name) and `"decidedBy"`: the
    statement(s) that must decide it, by Sid or as {"sid", "policy", "index", "layer"} (Documentation/CaseFormat.md).

    A request whose action the shipped AWS catalog does not know makes its case file invalid, unless the request
    says `"unknownAction": true` (it tests a made-up or misspelled action on purpose).

    Exit status: 0 every request passed; 1 a request failed or coverage is below --min-coverage;
    2 a case file is invalid or cannot be read (also: an unknown action not marked `unknownAction`).

    """

  /// The outcome of one request of one case file.
  struct Result {
    let caseFile: CaseFile
    let request: CaseRequest
    let authorizationRequest: AuthorizationRequest
    let response: Response
    /// Whether the decision is the one expected.
    var decisionMatches: Bool { response.decision == request.expect }
    /// Whether every statement of `decidedBy` is among the deciding statements (true when there is none).
    var decidedByMatches: Bool {
      (request.decidedBy ?? []).allSatisfy { expected in
        response.determiningStatements.contains { expected.matches($0, caseFile: caseFile.path) }
      }
    }
    var passed: Bool { decisionMatches && decidedByMatches }
  }

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--format", "--min-coverage", "--color", "--org", "--plan"],
                                     switchFlags: ["--allow-outside-paths", "--coverage"], command: "test")
    let format = try parsed.format(["text", "json", "junit"], command: "test")
    let colour = try Colour.decide(
      option: parsed.single("--color", command: "test"), environment: environment, command: "test")
    var minimumCoverage: Double?
    if let text = try parsed.single("--min-coverage", command: "test") {
      guard let value = Double(text), (0...100).contains(value) else {
        throw UsageError("`--min-coverage` must be a percentage from 0 to 100", command: "test")
      }
      minimumCoverage = value
    }
    let measuresCoverage = parsed.has("--coverage") || minimumCoverage != nil
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one case file or directory", command: "test") }
    let cwd = FileManager.default.currentDirectoryPath
    var loader = CaseFileLoader(
      policyLoader: PolicyLoader(environment: environment, searchRoots: [cwd, EvalCommand.executableDirectory]),
      allowsOutsidePaths: parsed.has("--allow-outside-paths"), requiresExpectations: true,
      actionNames: ActionNameChecker(catalog: try CatalogCommand.loadBundled()))
    var problems: [Diagnostic] = []
    // Each result is reported as soon as it is known and then dropped: what is kept grows with the output being
    // written (JUnit needs its totals first), not with the case files, their policies or their responses.
    var report = TestReport(format: format, colour: colour)
    var coverage = measuresCoverage ? StatementCoverage() : nil
    var organizations = try CaseOrganizations(
      commandLine: try parsed.single("--org", command: "test"), plan: try parsed.single("--plan", command: "test"))
    var usedOrganization = false
    for path in try caseFilePaths(parsed.positionals, problems: &problems) {
      do throws(InputError) {
        let json = try InputFile.readJSON(path)
        guard CaseFileLoader.isCaseFile(json) else {
          // Only a file named on the command line gets here: a directory search skips files without `requests`.
          problems.append(Diagnostic(.missingAction, .error, "this is not a case file: it has no `requests` member",
                                     file: path, path: .root, position: json.position))
          continue
        }
        let caseFile = try loader.load(path, json: json)
        if caseFile.usesOrganization {
          usedOrganization = true
          try runAsCallers(caseFile, organizations: &organizations, loader: loader, coverage: &coverage,
                           explain: measuresCoverage, report: &report, problems: &problems, out: out, err: err)
          continue
        }
        let authorizer: Authorizer
        do { authorizer = try Authorizer(caseFile.policies) } catch { throw InputError(.wrongType, error.message, file: path) }
        coverage?.register(caseFile.policies, excluding: caseFile.awsManagedPolicies)
        for request in caseFile.requests {
          let authorizationRequest = AuthorizationRequest(
            principal: caseFile.principal, action: request.action, resource: request.resource,
            resourceAccount: request.resourceAccount, context: caseFile.context.merging(request.context))
          var response = authorizer.authorize(authorizationRequest, explain: measuresCoverage)
          if request.unknownAction {
            // Tested on purpose, and still said: the warning joins the result's diagnostics.
            response = ActionWarnings.adding(loader.actionNames?.check(request.action), to: response)
          }
          coverage?.record(response)
          response.explanation = nil
          report.add(Result(caseFile: caseFile, request: request, authorizationRequest: authorizationRequest,
                            response: response), out)
        }
      } catch {
        problems += error.diagnostics
      }
    }
    if report.total == 0 && !problems.containsErrors {
      // Fail closed: a run that tested nothing (no case file found, or none with a request) is not a pass.
      problems.append(Diagnostic(
        .missingAction, .error,
        "no request was run: \(parsed.positionals.joined(separator: ", ")) holds no case file with a `requests` member",
        file: parsed.positionals[0]))
    }
    if organizations.isGiven && !usedOrganization && !problems.containsErrors {
      // Fail closed: --org or --plan that no case file asked in proves nothing about the organization.
      problems.append(Diagnostic(
        .missingAction, .error,
        "--org/--plan given, but no case file names a `caller`: \(parsed.positionals.joined(separator: ", ")) tests nothing in the organization",
        file: parsed.positionals[0]))
    }
    report.finish(problems: problems, coverage: coverage, minimumCoverage: minimumCoverage, out)
    if !problems.isEmpty {
      for problem in problems.sorted() where problem.severity == .error { err(problem.formatted + "\n") }
      return .invalidInput
    }
    if let minimumCoverage, let coverage, coverage.percentage < minimumCoverage {
      err("statement coverage \(coverage.percentageText)% is below --min-coverage \(minimumCoverage)\n")
      return .failure
    }
    return report.failed > 0 ? .failure : .success
  }

  /// Runs the requests of a case file whose callers are callers of an organization: each request's session is the
  /// one `eval --org` forms, and its policies those of its resource's account.
  static func runAsCallers(
    _ caseFile: CaseFile, organizations: inout CaseOrganizations, loader: CaseFileLoader, coverage: inout StatementCoverage?,
    explain: Bool, report: inout TestReport, problems: inout [Diagnostic], out: (String) -> Void, err: (String) -> Void
  ) throws(InputError) {
    var sessions = CallerSessions(organization: try organizations.organization(for: caseFile, err: err), caseFile: caseFile)
    for request in caseFile.requests {
      guard let caller = request.caller else { continue }
      let prepared: (AuthorizationRequest, Authorizer)?
      do throws(InputError) {
        prepared = try sessions.prepare(request, caller: caller)
      } catch {
        problems += error.diagnostics
        continue
      }
      guard let (authorizationRequest, authorizer) = prepared else { continue }
      var response = authorizer.authorize(authorizationRequest, explain: explain)
      if request.unknownAction { response = ActionWarnings.adding(loader.actionNames?.check(request.action), to: response) }
      // The organization's policies are not counted for coverage: they are not the case file's.
      coverage?.record(response)
      response.explanation = nil
      report.add(Result(caseFile: caseFile, request: request, authorizationRequest: authorizationRequest, response: response), out)
    }
  }

  /// The case files named by the arguments: files as given, directories searched recursively, sorted.
  static func caseFilePaths(_ arguments: [String], problems: inout [Diagnostic]) throws -> [String] {
    var paths: [String] = []
    for argument in arguments {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
        problems.append(Diagnostic(.fileUnreadable, .error, "cannot read `\(argument)`: no such file or directory", file: argument))
        continue
      }
      guard isDirectory.boolValue else {
        paths.append(argument)
        continue
      }
      let enumerator = FileManager.default.enumerator(atPath: argument)
      var found: [String] = []
      while let relative = enumerator?.nextObject() as? String {
        guard relative.hasSuffix(".json") else { continue }
        let path = argument.hasSuffix("/") ? argument + relative : argument + "/" + relative
        do throws(InputError) {
          if CaseFileLoader.isCaseFile(try InputFile.readJSON(path)) { found.append(path) }
        } catch {
          problems += error.diagnostics
        }
      }
      paths += found.sorted()
    }
    return paths
  }
}
