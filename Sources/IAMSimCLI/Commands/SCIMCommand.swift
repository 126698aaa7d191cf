import IAMFederation
import IAMPolicy

/// `iamsim scim`: whether SCIM payloads would provision into IAM Identity Center, and why not.
enum SCIMCommand {
  static let help = """
    USAGE: iamsim scim FILE... [--format text|json]

    Checks SCIM 2.0 payloads as Entra ID sends them (POST/PUT/PATCH bodies of /Users and /Groups, a
    ListResponse, or an array of them) against IAM Identity Center's rules, after loading any
    `aws identitystore list-users`, `list-groups` or `list-group-memberships` output given. Each
    problem names the user or group, the attribute, the file position and AWS's error text.

    An optional attribute that is null (Entra sends them) is taken as unassigned, as RFC 7643 section 2.5
    says, with a note: Identity Center's SCIM documentation says nothing about null. A required attribute
    (userName, displayName, name.givenName, name.familyName) that is null is missing: an error.

    Exit status: 0 every payload would provision; 1 some would fail; 2 a file cannot be read.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--format"], switchFlags: [], command: "scim")
    let format = try parsed.format(["text", "json"], command: "scim")
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one SCIM file", command: "scim") }
    var inputs: [SCIMInput] = []
    for path in parsed.positionals { inputs.append(SCIMInput(name: path, bytes: try InputFile.read(path))) }
    let report: SCIMReport
    do {
      report = try SCIMValidator().validate(inputs)
    } catch {
      err(error.description + "\n")
      return .invalidInput
    }
    out(format == "json" ? report.jsonOutput.rendered(pretty: true) + "\n" : report.text + "\n")
    return report.wouldProvisionAll ? .success : .failure
  }
}
