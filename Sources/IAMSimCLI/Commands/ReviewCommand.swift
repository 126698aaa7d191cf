import Foundation
import IAMAudit
import IAMCatalog
import IAMOrganization
import IAMPolicy

/// `iamsim review`: the periodic access review of an organization, and the changes since a saved one.
enum ReviewCommand {
  static let help = """
    USAGE: iamsim review --org DIR [--format text|json|csv|html] [--details]
           iamsim review --org DIR --compare OLD.json [--format text|json]
           iamsim review --snapshot NEW.json [--compare OLD.json] [--format ...]

    An access review of an Identity Center organization. Per person: every account and permission set they can
    use, and every IAM role an account access manager grant gives them, through which group or direct assignment;
    for each, what it grants (catalog actions by service and access level, decided by the engine exactly as
    `iamsim access --user` and `iamsim audit --org` decide them) and its risk findings. Per account: who can
    reach it. Sessions whose policies are the same are audited once, as one grant set that the rest refer to by id.

      --org DIR                the organization directory to review
      --snapshot FILE          a review saved with --format json, instead of --org
      --format text            (default) a screen: totals, the riskiest people, the most reached accounts, the
                               grant sets; --details lists every person's rows and every account's assignments
      --format json            the review, documented in Documentation/AccessReview.md: grant sets, routes
                               (assignments and grants), people, groups and accounts referring to each other
                               by id; save it as this quarter's snapshot
      --format csv             one row per (person, account, permission set or role, via), counts by access
                               level and the finding codes; RFC 4180 quoting, CRLF line ends
      --format html            one self-contained page (no external URL) that filters by person, account and
                               group, a page of rows at a time
      --compare OLD.json       the changes since a saved review, in people: who gained or lost which account and
                               permission set, through which group, and how what a kept one grants changed
                               (text or json)

    EXAMPLE:
      iamsim review --org org/ --format json > 2026-q3.json
      iamsim review --org org/ --compare 2026-q3.json

    Exit status: 0 reviewed; 2 invalid input (an organization or snapshot that cannot be read, or whose
    assignments reach nobody); 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--org", "--snapshot", "--format", "--compare"], switchFlags: ["--details"], command: "review")
    let format = try parsed.format(["text", "json", "csv", "html"], command: "review")
    guard parsed.positionals.isEmpty else {
      throw UsageError("review takes no positional arguments; give --org DIR", command: "review")
    }
    let directory = try parsed.single("--org", command: "review")
    let snapshot = try parsed.single("--snapshot", command: "review")
    let compare = try parsed.single("--compare", command: "review")
    guard (directory == nil) != (snapshot == nil) else {
      throw UsageError("give --org DIR or --snapshot FILE (one of them)", command: "review")
    }
    if compare != nil && !["text", "json"].contains(format) {
      throw UsageError("--compare writes text or json", command: "review")
    }
    if parsed.has("--details") && format != "text" {
      throw UsageError("--details goes with the text format", command: "review")
    }
    let catalog = try CatalogCommand.loadBundled()
    let review: AccessReview
    var source: String
    if let directory {
      let organization = try OrganizationCommand.load(directory, err: err)
      var progress = Progress(environment: environment)
      review = AccessReview(organization, auditor: Auditor(catalog: catalog)) { progress.show($0) }
      progress.done()
      source = directory
      try requireSomeoneReached(review, organization: organization, directory: directory)
    } else {
      review = try readSnapshot(snapshot!)
      source = snapshot!
    }
    if let compare {
      let before = try readSnapshot(compare)
      let comparison = AccessReviewComparison(before: before, after: review)
      if format == "json" {
        out(ReviewOutput.comparisonJSON(comparison, before: compare, after: source).rendered(pretty: true) + "\n")
      } else {
        out(ReviewOutput.comparisonText(comparison, before: compare, after: source))
      }
      return .success
    }
    switch format {
    case "json":
      let extra: [(String, JSONOutput)] = [("source", .string(source)), ("catalog", AuditJSON.catalog(catalog.metadata))]
      out(review.json(extra: extra).rendered(pretty: true) + "\n")
    case "csv":
      ChunkedOutput.writing(to: out) { ReviewOutput.csv(review, to: &$0) }
    case "html":
      out(ReviewHTML.render(review, source: source, catalog: catalog.metadata))
    default:
      out(ReviewOutput.text(review, source: source, catalog: catalog.metadata, details: parsed.has("--details")))
    }
    return .success
  }

  /// Reads a saved review, however large (up to 1 GiB).
  static func readSnapshot(_ file: String) throws(InputError) -> AccessReview {
    try AccessReview.read(InputFile.readJSON(file, limit: 1 << 30), file: file)
  }

  /// A review in which no assignment reaches anyone is refused, never printed as an empty review: it names what the
  /// organization holds, so a wrong directory or a broken identity store shows.
  static func requireSomeoneReached(_ review: AccessReview, organization: Organization, directory: String) throws(InputError) {
    guard !review.routes.contains(where: { $0.people > 0 }) else { return }
    let store = organization.identityStore
    throw InputError(
      "review.nobody-reached",
      "no assignment or account access grant of the organization reaches a user of its identity store (\(store.users.count) users, \(store.groups.count) groups, \(organization.assignments.count) assignments, \(organization.accountAccess.grants.count) account access grants), so there is nothing to review",
      file: directory)
  }
}
