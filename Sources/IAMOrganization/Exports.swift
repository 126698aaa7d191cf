@_exported import IAMFederation
@_exported import IAMIdentityCenter
@_exported import IAMPolicy
