namespace Exports.Sdk;

/// <summary>
/// Encrypts the secret settings of destinations created at run time (passwords, keys, connection strings) before they
/// reach a store, and decrypts them when a destination is created. Register one with
/// <c>AddExports().ProtectSecretsWithDataProtection()</c> (package Exports.Sdk.DataProtection) or your own; without one,
/// a destination with a secret setting cannot be created at run time.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts a secret.</summary>
    /// <param name="secret">The secret in clear text.</param>
    /// <returns>Text that reveals nothing of the secret and that <see cref="Unprotect"/> turns back into it.</returns>
    string Protect(string secret);

    /// <summary>Decrypts what <see cref="Protect"/> returned.</summary>
    /// <param name="protectedSecret">The protected text.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The text was not protected with a key this host has.</exception>
    string Unprotect(string protectedSecret);
}
