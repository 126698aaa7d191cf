import Foundation
import IAMEvaluation
import IAMOrganization
import IAMPolicy

extension TestCommand {
  /// The organizations the case files of one run ask in: each directory read once, and the plan (`--plan`) read
  /// once and laid over each directory once, however many case files name it.
  struct CaseOrganizations {
    /// `--org DIR`: the organization of every case file with callers, in place of the one the file names.
    let commandLine: String?
    /// `--plan PLAN.json`, read: its planned values are laid over the organization.
    let plan: (path: String, change: OrganizationChange)?
    /// What each organization came to, by directory (`""`: the plan alone).
    private var loaded: [String: Swift.Result<Laid, InputError>] = [:]

    /// An organization, and the sessions a plan leaves unknown until apply.
    struct Laid {
      var organization: Organization
      var open: [OpenScope]
    }

    init(commandLine: String?, plan: String?) throws {
      if let commandLine {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: commandLine, isDirectory: &isDirectory), isDirectory.boolValue else {
          throw UsageError("--org `\(commandLine)` is not an organization directory", command: "test")
        }
      }
      self.commandLine = commandLine
      if let plan {
        guard let read = try DiffCommand.terraform(plan) else {
          throw InputError(.changeFormat, "`\(plan)` is not `terraform show -json` output (no `format_version`)", file: plan)
        }
        guard read.isPlan else {
          throw UsageError("`\(plan)` is a Terraform state, not a plan (give a plan: `terraform show -json PLAN`)", command: "test")
        }
        self.plan = (plan, read.change)
      } else {
        self.plan = nil
      }
    }

    /// Whether the command line gives an organization.
    var isGiven: Bool { commandLine != nil || plan != nil }

    /// The organization a case file's callers ask in: `--org`, else the file's `organization`; with `--plan`, the
    /// plan's planned values laid over it (or alone, when there is none).
    mutating func organization(for caseFile: CaseFile, err: (String) -> Void) throws(InputError) -> Laid {
      let directory = commandLine ?? caseFile.organization?.directory
      guard directory != nil || plan != nil else {
        let first = caseFile.requests.first { $0.caller != nil }?.caller
        throw InputError(
          .missingAction,
          "the file names no `organization` for its callers: add `\"organization\": \"DIR\"` or run with --org DIR or --plan PLAN.json",
          file: caseFile.path, path: first?.path ?? .root, position: first?.position)
      }
      let key = directory ?? ""
      if loaded[key] == nil {
        do throws(InputError) { loaded[key] = .success(try load(directory, err: err)) } catch { loaded[key] = .failure(error) }
      }
      switch loaded[key]! {
      case .success(let organization): return organization
      case .failure(let error):
        // Said where the file names it, with what is wrong inside the organization.
        guard commandLine == nil, let reference = caseFile.organization else { throw error }
        throw InputError(
          [Diagnostic(.fileUnreadable, .error, "the organization `\(reference.directory)` does not load: see the errors reported in it", file: caseFile.path,
                      path: reference.path, position: reference.position)] + error.diagnostics)
      }
    }

    private func load(_ directory: String?, err: (String) -> Void) throws(InputError) -> Laid {
      var base: Organization?
      if let directory {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
          throw InputError(.fileUnreadable, "`\(directory)` is not an organization directory", file: directory)
        }
        base = try OrganizationCommand.load(directory, err: err)
      }
      guard let plan else { return Laid(organization: base!, open: []) }
      // The planned state, laid over the directory exactly as `diff --plan` forms its after side.
      let laid = try Organization.laying(plan.change.after, over: base, known: plan.change.known + plan.change.before.present)
      return Laid(organization: laid.organization, open: laid.open)
    }
  }

  /// The sessions of one case file's callers, opened once each, and their compiled policies, one per account whose
  /// resources they ask about (each resource account has its own RCP levels, as in `eval --org`).
  struct CallerSessions {
    let organization: CaseOrganizations.Laid
    let caseFile: CaseFile
    private var sessions: [Caller: OrganizationSession] = [:]
    private var authorizers: [String: Authorizer] = [:]
    /// The callers already reported as unavailable, so a file's default caller is reported once.
    private var reported: Set<String> = []

    init(organization: CaseOrganizations.Laid, caseFile: CaseFile) {
      self.organization = organization
      self.caseFile = caseFile
    }

    /// The request as the caller asks it, and the authorizer of its resource's account; `nil` when the caller's
    /// session was already reported as unavailable.
    mutating func prepare(_ request: CaseRequest, caller reference: CallerReference) throws(InputError)
      -> (AuthorizationRequest, Authorizer)?
    {
      let caller = reference.caller
      let session: OrganizationSession
      if let known = sessions[caller] {
        session = known
      } else {
        let key = "\(reference.path)"
        do {
          session = try organization.organization.session(for: caller)
        } catch {
          guard reported.insert(key).inserted else { return nil }
          throw InputError(error.code, "\(error.message) (caller \(caller))", file: caseFile.path, path: reference.path,
                           position: reference.position)
        }
        let open = organization.open.first { scope in
          switch caller {
          case .identityCenter(let user, let permissionSet, let account):
            scope.covers(user: user, account: account, permissionSet: permissionSet, group: session.group)
          case .accountAccess(_, let account, let role), .role(let account, let role):
            scope.covers(role: role, account: account)
          case .iamUser(let account, _):
            // IAM users are not laid from plans, but a policy they attach may be open.
            scope.covers(role: "", account: account) && scope.role == nil
          }
        }
        if let open {
          // Not guessed: the plan leaves what this session can do unknown until apply.
          guard reported.insert(key).inserted else { return nil }
          throw InputError(.changeUnresolved, "the session of \(caller) is known only after apply: \(open)", file: caseFile.path,
                           path: reference.path, position: reference.position)
        }
        sessions[caller] = session
      }
      let owner = Organization.resourceOwner(resource: request.resource, resourceAccount: request.resourceAccount,
                                             callerAccount: caller.account)
      let key = "\(caller)\u{0}\(owner)"
      let authorizer: Authorizer
      if let known = authorizers[key] {
        authorizer = known
      } else {
        var policies = organization.organization.policySet(
          for: session, resource: request.resource, resourceAccount: request.resourceAccount,
          resourcePolicy: caseFile.policies.resourcePolicy)
        // What the case file still gives: the network path and the bucket's Block Public Access settings.
        policies.vpcEndpointPolicy = caseFile.policies.vpcEndpointPolicy
        policies.vpcEndpointType = caseFile.policies.vpcEndpointType
        policies.blockPublicAccess = caseFile.policies.blockPublicAccess
        do { authorizer = try Authorizer(policies) } catch { throw InputError(.wrongType, error.message, file: caseFile.path) }
        authorizers[key] = authorizer
      }
      let authorizationRequest = AuthorizationRequest(
        principal: session.principal, action: request.action, resource: request.resource,
        resourceAccount: request.resourceAccount,
        context: session.context.merging(caseFile.context).merging(request.context))
      return (authorizationRequest, authorizer)
    }
  }
}
