@_exported import IAMFederation
@_exported import IAMIdentityCenter
