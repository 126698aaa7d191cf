import Foundation
import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim diff`: the concrete actions a change newly allows or no longer allows, decided by the engine.
enum DiffCommand {
  static let help = """
    USAGE: iamsim diff OLD NEW [--deny-new PATTERN ...] [--fail-on-level LEVEL ...] [--fail-on GATE ...]
                       [--format text|json|markdown|html]
           iamsim diff --plan PLAN.json [--org DIR] [--fail-on GATE ...] [--format text|json|markdown|html]
           iamsim diff --org DIR --template TEMPLATE [--parameter KEY=VALUE ...] [--fail-on GATE ...] [--format ...]

    Audits OLD and NEW as `iamsim audit` does and lists the catalog actions NEW newly allows (added), no
    longer allows (removed), allows more widely (widened: no longer only conditional, or now on all resources)
    or less widely (narrowed), by service and access level, with the condition keys that gate them. The
    offline answer to Access Analyzer's CheckNoNewAccess.

    OLD and NEW are two policies (file, inline JSON, or the ARN or name of a shipped AWS managed policy), two
    permission sets (file or name shipped in policies/permission-sets/), two folders of permission-set files
    (compared by name), or two organizations: directories, or `terraform show -json` output of a state (a state
    beside a directory is laid over that directory; two states are compared on their own). A name that is both a
    shipped policy and a shipped permission set is read as the policy unless --kind says otherwise.

    Organizations are compared in people: who gains and who loses which actions, per user and group, per account,
    through which permission set, and per IAM role of each account (its own policies, boundary, SCPs, and its trust
    policy's external access), and the assignment, membership or policy change that caused it; summaries first
    ("+3 users gain s3:DeleteBucket in 111122223333 through AWS-Developers → PowerUserAccess"), details after.
    A gained action allowed only under conditions is shown with its condition keys; an action allowed before only
    under conditions and now without them counts as gained. Each session is audited with the standard risk rules,
    and the finding codes that appear or disappear are reported ("… and gains privilege-escalation.pass-role").

    --plan reads `terraform show -json PLAN` output: before is the plan's prior state, after its planned values,
    each laid over --org DIR for what the plan does not hold (such as the identity store). --template reads a
    CloudFormation template (JSON or YAML) and lays its resources over --org DIR. Values known only after apply
    make the sessions that depend on them "not compared", never unchanged; resources iamsim does not model are
    listed and left out. See Documentation/ChangeReview.md for what is read and how resources are matched.

    OPTIONS:
      --kind policy|permission-set|org   how to read OLD and NEW (default: from what they are)
      --account ID             the account permission sets are resolved in (default 111122223333); with --plan,
                               the account of IAM resources whose ARN, role or provider configuration does not
                               tell it
      --deny-new PATTERN       exit 1 when new access matches the action pattern, such as `s3:Get*` (repeatable)
      --fail-on-level LEVEL    exit 1 when new access reaches the access level: List, Read, Write,
                               "Permissions management" or Tagging (repeatable)
      --plan PLAN.json         a Terraform plan, as `terraform show -json PLAN` prints it
      --org DIR                the organization directory a plan or template applies to
      --template FILE          a CloudFormation template, JSON or YAML
      --parameter KEY=VALUE    a template parameter (repeatable); without it, the parameter's Default
      --fail-on GATE           exit 1 when someone gains an action that meets every condition of GATE, or when
                               a session that could is not compared (repeatable; gates apply to changes in
                               people). GATE is KEY=VALUE[,KEY=VALUE...] with KEY one of:
                                 access-level  List, Read, Write, Permissions management or Tagging
                                 action        an action pattern, such as s3:Delete*
                                 account       an account ID or name
                                 group         a group's display name (access through that group)
                                 user          an identity-store user name
                                 permission-set  a permission set's name
                                 role          an IAM role's name (access of that role itself)
                                 finding   a risk finding code or family the user gains, such as
                                           privilege-escalation or privilege-escalation.pass-role
      --format text|json|markdown|html   output format (default text; markdown for a pull-request comment; html for
                               one self-contained page with a filter box; markdown and html in people only)

    EXAMPLES:
      iamsim diff ViewOnlyAccess ReadOnlyAccess --deny-new 's3:Get*' --fail-on-level "Permissions management"
      iamsim diff --plan plan.json --org org/ --fail-on 'access-level=Permissions management' --format markdown
      iamsim diff --org org/ --template sso.yaml --parameter GroupId=9067... --fail-on 'action=s3:Delete*,account=prod'
      iamsim diff before/ after/ --fail-on finding=privilege-escalation --format html > diff.html

    Exit status: 0 compared; 1 new access matches --deny-new, --fail-on-level or --fail-on; 2 invalid input;
    64 bad usage.

    """

  /// How an argument is read.
  enum Kind: String {
    case policy
    case permissionSet = "permission-set"
    case organization = "org"
  }

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments,
      valueFlags: ["--kind", "--account", "--user", "--deny-new", "--fail-on-level", "--format", "--plan", "--org", "--template",
                   "--parameter", "--fail-on"],
      switchFlags: [],
      command: "diff")
    let format = try parsed.format(["text", "json", "markdown", "html"], command: "diff")
    var gates: [Gate] = []
    for text in parsed.all("--fail-on") { gates.append(try Gate.parse(text)) }
    let plan = try parsed.single("--plan", command: "diff")
    let template = try parsed.single("--template", command: "diff")
    let orgDirectory = try parsed.single("--org", command: "diff")
    if plan != nil || template != nil || orgDirectory != nil {
      return try runChange(parsed, plan: plan, template: template, org: orgDirectory, gates: gates, format: format,
                           environment: environment, out: out, err: err)
    }
    if !parsed.all("--parameter").isEmpty { throw UsageError("--parameter goes with --template", command: "diff") }
    guard parsed.positionals.count == 2 else { throw UsageError("name OLD and NEW", command: "diff") }
    if let sides = try stateSides(parsed.positionals[0], parsed.positionals[1], err: err) {
      return try report(sides, title: (parsed.positionals[0], parsed.positionals[1]), gates: gates, format: format,
                        environment: environment, out: out)
    }
    var forced: Kind?
    if let text = try parsed.single("--kind", command: "diff") {
      guard let kind = Kind(rawValue: text) else {
        throw UsageError("`--kind` must be policy, permission-set or org", command: "diff")
      }
      forced = kind
    }
    let account = try parsed.single("--account", command: "diff") ?? "111122223333"
    guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw UsageError("--account must be a 12-digit account ID", command: "diff")
    }
    var denyNew: [(text: String, pattern: ActionPattern)] = []
    for text in parsed.all("--deny-new") {
      switch ActionPattern.compile(text) {
      case .success(let pattern): denyNew.append((text, pattern))
      case .failure(let error): throw UsageError("--deny-new: \(error.message)", command: "diff")
      }
    }
    var levels: [AccessLevel] = []
    for text in parsed.all("--fail-on-level") {
      guard
        let level = AccessLevel.allCases.first(where: {
          $0.rawValue.lowercased() == text.lowercased()
            || $0.rawValue.lowercased().replacingOccurrences(of: " ", with: "-") == text.lowercased()
        })
      else {
        throw UsageError(
          "`--fail-on-level` must be List, Read, Write, Permissions management or Tagging, not `\(text)`",
          command: "diff")
      }
      levels.append(level)
    }

    let cwd = FileManager.default.currentDirectoryPath
    var inputs = AuditInputs(environment: environment, searchRoots: [cwd, EvalCommand.executableDirectory])
    if let user = try parsed.single("--user", command: "diff") { inputs.user = user }
    let (oldReference, newReference) = (parsed.positionals[0], parsed.positionals[1])
    let oldKind = try forced ?? kind(of: oldReference, inputs: &inputs)
    let newKind = try forced ?? kind(of: newReference, inputs: &inputs)
    guard oldKind == newKind else {
      throw UsageError(
        "OLD is read as a \(oldKind.rawValue) and NEW as a \(newKind.rawValue); compare like with like, or give --kind",
        command: "diff")
    }
    let catalog = try CatalogCommand.loadBundled()
    let auditor = Auditor(catalog: catalog)
    var diffs: [AuditDiff] = []
    var people: PeopleReport?
    if (format == "markdown" || format == "html") && oldKind != .organization {
      throw UsageError("--format \(format) reports changes in people: compare organizations, or give --plan or --template",
                       command: "diff")
    }
    if oldKind == .organization {
      let before = try OrganizationCommand.load(oldReference, err: err)
      let after = try OrganizationCommand.load(newReference, err: err)
      var progress = Progress(environment: environment)
      progress.show("comparing permission sets in each account")
      diffs = try organizationDiffs(before, after, auditor: auditor, err: err)
      progress.show("comparing people")
      let review = ChangeReview(before: before, after: after, auditor: auditor)
      let names = accountNames([before, after])
      people = PeopleReport(review: review, trips: trips(gates, review, accountNames: names), accountNames: names)
      progress.done()
    } else {
    if !gates.isEmpty { throw UsageError("--fail-on gates changes in people: compare organizations, or give --plan or --template", command: "diff") }
    let oldSubjects = try subjects(oldReference, kind: oldKind, account: account, inputs: &inputs, err: err)
    let newSubjects = try subjects(newReference, kind: newKind, account: account, inputs: &inputs, err: err)
    if oldSubjects.count == 1 && newSubjects.count == 1 {
      var diff = AuditDiff(old: try auditor.audit(oldSubjects[0], rules: []), new: try auditor.audit(newSubjects[0], rules: []))
      diff.subject =
        oldSubjects[0].name == newSubjects[0].name
        ? newSubjects[0].name : "\(oldSubjects[0].name) → \(newSubjects[0].name)"
      diffs.append(diff)
    } else {
      let names =
        oldSubjects.map(\.name) + newSubjects.map(\.name).filter { name in !oldSubjects.contains { $0.name == name } }
      for name in names {
        let old = try oldSubjects.first { $0.name == name }.map { try auditor.audit($0, rules: []) }
        let new = try newSubjects.first { $0.name == name }.map { try auditor.audit($0, rules: []) }
        diffs.append(AuditDiff(old: old, new: new))
      }
    }
    }
    var violations: [(change: AuditDiff.Change, subject: String, rules: [String])] = []
    for diff in diffs {
      for change in diff.newAccess {
        let name = Array((change.action.split(separator: ":", maxSplits: 1).last.map { $0.lowercased() } ?? "").utf8)
        var rules: [String] = []
        for deny in denyNew
        where name.withUnsafeBufferPointer({ deny.pattern.matches(service: change.service, lowercasedName: $0) }) {
          rules.append("--deny-new \(deny.text)")
        }
        if levels.contains(change.accessLevel) { rules.append("--fail-on-level \(change.accessLevel.rawValue)") }
        if !rules.isEmpty { violations.append((change, diff.subject, rules)) }
      }
    }
    let title = "\(oldReference) → \(newReference)"
    switch format {
    case "json":
      out(
        DiffOutput.json(diffs, title: (oldReference, newReference), catalog: catalog.metadata, violations: violations, people: people)
          .rendered(pretty: true) + "\n")
    case "markdown":
      out(DiffOutput.markdown(people!, title: title))
    case "html":
      out(DiffHTML.render(people!, title: title, catalog: catalog.metadata))
    default:
      out(DiffOutput.text(diffs, title: title, catalog: catalog.metadata, violations: violations, people: people))
    }
    return violations.isEmpty && (people?.trips.isEmpty ?? true) ? .success : .failure
  }

  /// `diff --plan PLAN [--org DIR]`, `diff --org DIR --template TEMPLATE`, and `diff --org DIR STATE`.
  static func runChange(_ parsed: ParsedArguments, plan: String?, template: String?, org: String?, gates: [Gate], format: String,
                        environment: [String: String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus
  {
    for flag in ["--kind", "--user", "--deny-new", "--fail-on-level"] where !parsed.all(flag).isEmpty {
      throw UsageError("\(flag) does not go with --plan, --template or --org", command: "diff")
    }
    let iamAccount = try parsed.single("--account", command: "diff")
    if let iamAccount {
      guard plan != nil else {
        throw UsageError(
          "--account goes with --plan (a template's account is --parameter AWS::AccountId=ID)", command: "diff")
      }
      guard iamAccount.count == 12, iamAccount.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw UsageError("--account must be a 12-digit account ID", command: "diff")
      }
    }
    guard parsed.positionals.isEmpty else {
      throw UsageError("with --plan or --template, name no OLD and NEW", command: "diff")
    }
    let base = try org.map { directory throws -> Organization in
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw UsageError("--org `\(directory)` is not an organization directory", command: "diff")
      }
      return try OrganizationCommand.load(directory, err: err)
    }
    let sides: Sides
    let title: (String, String)
    switch (plan, template) {
    case (let plan?, nil):
      guard parsed.all("--parameter").isEmpty else { throw UsageError("--parameter goes with --template", command: "diff") }
      guard let read = try terraform(plan, account: iamAccount) else {
        throw InputError(.changeFormat, "`\(plan)` is not `terraform show -json` output (no `format_version`)", file: plan)
      }
      guard read.isPlan else {
        throw UsageError("`\(plan)` is a Terraform state, not a plan: compare states with `iamsim diff BEFORE AFTER`", command: "diff")
      }
      sides = try self.sides(read.change, base: base)
      title = ((org.map { "\($0) + " } ?? "") + plan + " (prior state)", (org.map { "\($0) + " } ?? "") + plan + " (planned)")
    case (nil, let template?):
      guard let base else { throw UsageError("--template needs --org DIR: the organization the template deploys into", command: "diff") }
      let change = try self.template(template, parameters: try parameters(parsed.all("--parameter")))
      let after = try Organization.laying(change.after, over: base, known: change.known)
      sides = Sides(before: base, after: after.organization, open: after.open, unmodelled: change.unmodelled, unknowns: change.unknowns)
      title = (org!, "\(org!) + \(template)")
    case (nil, nil):
      throw UsageError("--org goes with --plan or --template (to compare two directories, name them: `iamsim diff OLD NEW`)",
                       command: "diff")
    case (.some, .some):
      throw UsageError("give --plan or --template, not both", command: "diff")
    }
    return try report(sides, title: title, gates: gates, format: format, environment: environment, out: out)
  }

  /// Reviews two sides in people and prints the report.
  static func report(_ sides: Sides, title: (String, String), gates: [Gate], format: String, environment: [String: String],
                     out: (String) -> Void) throws -> ExitStatus
  {
    let catalog = try CatalogCommand.loadBundled()
    let auditor = Auditor(catalog: catalog)
    var progress = Progress(environment: environment)
    progress.show("comparing people")
    let review = ChangeReview(before: sides.before, after: sides.after, open: sides.open, auditor: auditor)
    progress.done()
    let names = accountNames([sides.before, sides.after])
    let people = PeopleReport(review: review, unmodelled: sides.unmodelled, unknowns: sides.unknowns,
                              trips: trips(gates, review, accountNames: names), accountNames: names, perPermissionSet: false)
    switch format {
    case "json":
      out(DiffOutput.json([], title: title, catalog: catalog.metadata, violations: [], people: people).rendered(pretty: true) + "\n")
    case "markdown":
      out(DiffOutput.markdown(people, title: "\(title.0) → \(title.1)"))
    case "html":
      out(DiffHTML.render(people, title: "\(title.0) → \(title.1)", catalog: catalog.metadata))
    default:
      out(DiffOutput.text([], title: "\(title.0) → \(title.1)", catalog: catalog.metadata, violations: [], people: people))
    }
    return people.trips.isEmpty ? .success : .failure
  }

  /// How to read an argument when --kind does not say.
  static func kind(of reference: String, inputs: inout AuditInputs) throws -> Kind {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory) {
      if isDirectory.boolValue {
        return FileManager.default.fileExists(atPath: reference + "/organization.json") ? .organization : .permissionSet
      }
      let json = try InputFile.readJSON(reference)
      return json["Statement"] == nil && json["Name"] != nil ? .permissionSet : .policy
    }
    if reference.drop(while: { $0 == " " || $0 == "\n" }).hasPrefix("{") { return .policy }
    if PolicyLoader.isManagedARN(reference) || (try? inputs.loader.managedLibrary().entry(for: reference)) != nil {
      return .policy
    }
    return .permissionSet
  }

  /// The subjects one side stands for.
  static func subjects(_ reference: String, kind: Kind, account: String, inputs: inout AuditInputs, err: (String) -> Void) throws
    -> [AuditSubject]
  {
    switch kind {
    case .policy:
      let document = try inputs.loader.load(reference, kind: .identity)
      return [AuditInputs.policySubject(PolicySet(identityPolicies: [document]), name: nil)]
    case .permissionSet:
      return try inputs.permissionSetSubjects([reference], account: account, extra: PolicySet(), command: "diff")
    case .organization:
      return try inputs.organizationSubjects(reference, permissionSet: nil, account: nil, err: err)
    }
  }

  /// Two organizations compared per permission set and account (`PS@ACCOUNT`): an audit subject stands for every
  /// account it lists, and a pair whose policies and caller are the same on both sides has nothing to compare.
  static func organizationDiffs(_ before: Organization, _ after: Organization, auditor: Auditor, err: (String) -> Void) throws
    -> [AuditDiff]
  {
    let sides = [before, after].map { AuditInputs.organizationSubjects($0, permissionSet: nil, account: nil, err: err) }
    var pairs: [[String: Int]] = [[:], [:]]
    var names: [String] = []
    for (side, subjects) in sides.enumerated() {
      for (index, subject) in subjects.enumerated() {
        for account in subject.accounts {
          let name = "\(subject.permissionSet ?? subject.name)@\(account)"
          if pairs[0][name] == nil && pairs[1][name] == nil { names.append(name) }
          pairs[side][name] = index
        }
      }
    }
    var reports: [[Int: AuditReport]] = [[:], [:]]
    func report(_ side: Int, _ name: String) throws -> AuditReport? {
      guard let index = pairs[side][name] else { return nil }
      if let known = reports[side][index] { return known }
      let made = try auditor.audit(sides[side][index], rules: [])
      reports[side][index] = made
      return made
    }
    var diffs: [AuditDiff] = []
    for name in names.sorted() {
      if let old = pairs[0][name].map({ sides[0][$0] }), let new = pairs[1][name].map({ sides[1][$0] }),
        old.policies == new.policies
      {
        // The same policies: the same audit, unless they read something of the caller that differs.
        switch CallerDependence(new.policies) {
        case .none:
          continue
        case .tags(let keys):
          if CallerDependence.tagValues(keys, in: old.principal.tags) == CallerDependence.tagValues(keys, in: new.principal.tags) {
            continue
          }
        case .everything:
          if old.principal == new.principal && old.context == new.context { continue }
        }
      }
      var diff = AuditDiff(old: try report(0, name), new: try report(1, name))
      diff.subject = name
      diffs.append(diff)
    }
    return diffs
  }
}
