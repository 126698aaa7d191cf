import IAMFederation
import IAMPolicy

/// `iamsim saml`: the session a SAML response would give, and every rule it breaks.
enum SAMLCommand {
  static let help = """
    USAGE: iamsim saml FILE [--format text|json] [--account ID] [--provider NAME] [--role ARN] [--acs-url URL]

    Reads a SAML 2.0 Response or Assertion (XML; base64 as captured from a browser POST; SAMLResponse=
    form data; the HTML auto-post page the identity provider sends; or the redirect binding, a URL or
    query whose SAMLResponse is deflated) and says whether AWS would accept it for the destination it
    names: AWS sign-in (https://signin.aws.amazon.com/saml and its regional and /saml/acs/ forms) or an
    IAM Identity Center ACS URL. Anything else is not addressed to AWS. It shows the derived session:
    role, session name, session tags from PrincipalTag: and AccessControl: attributes, and the saml:
    context keys. iamsim simulates: it never verifies signatures. DTDs and entity declarations are
    refused unread; encrypted assertions cannot be read offline.

    OPTIONS:
      --account ID     the AWS account, to compute saml:namequalifier and saml:doc
      --provider NAME  the IAM SAML provider's name, likewise
      --role ARN       the role chosen among the Role attribute's values
      --acs-url URL    the ACS URL the response must name exactly (your Identity Center instance's)

    Exit status: 0 AWS would accept it ("would sign in: yes"); 1 it breaks AWS's rules, is not
    addressed to AWS, or does something AWS documents nothing on (listed); 2 it cannot or must not
    be read (not SAML, encrypted, a DTD).

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--format", "--account", "--provider", "--role", "--acs-url"], switchFlags: [],
      command: "saml")
    let format = try parsed.format(["text", "json"], command: "saml")
    guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
      throw UsageError("name exactly one SAML file", command: "saml")
    }
    let bytes = try InputFile.read(path)
    let document: SAMLDocument
    do {
      document = try SAMLReader().read(bytes)
    } catch {
      err("\(path)\(error.position.map { ":\($0)" } ?? ""): error: \(error.message)\n")
      return .invalidInput
    }
    let options = SAMLAnalysisOptions(
      roleArn: try parsed.single("--role", command: "saml"), accountID: try parsed.single("--account", command: "saml"),
      providerName: try parsed.single("--provider", command: "saml"),
      acsURL: try parsed.single("--acs-url", command: "saml"))
    let report = SAMLReport(document: document, options: options)
    out(format == "json" ? report.jsonOutput.rendered(pretty: true) + "\n" : report.text + "\n")
    return report.wouldSignIn ? .success : .failure
  }
}
