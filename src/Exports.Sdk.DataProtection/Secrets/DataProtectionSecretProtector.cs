using Microsoft.AspNetCore.DataProtection;

namespace Exports.Sdk.DataProtection;

/// <summary>
/// Protects destination secrets with the host's Data Protection key ring, under a purpose of their own so no other
/// protected payload of the application can be read as a secret, nor a secret as one.
/// </summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    /// <summary>The purpose string; changing it would make every stored secret unreadable.</summary>
    internal const string Purpose = "Exports.Sdk.DestinationSecrets.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
