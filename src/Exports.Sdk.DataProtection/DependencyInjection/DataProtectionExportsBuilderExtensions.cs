using Exports.Sdk;
using Exports.Sdk.DataProtection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ASP.NET Core Data Protection as the protector of destination secrets.</summary>
public static class DataProtectionExportsBuilderExtensions
{
    /// <summary>
    /// Stores the secret settings of destinations created at run time encrypted with ASP.NET Core Data Protection.
    /// Where the key ring lives decides who can read them: configure it here (or with your own
    /// <c>services.AddDataProtection()</c>): one host can keep the default; several hosts must share the key ring
    /// (<c>PersistKeysToExportsPostgreSql</c>, or <c>PersistKeysToFileSystem</c> on a folder they share) and the
    /// application name (<c>SetApplicationName</c>). Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures Data Protection: key ring location, application name, key encryption.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder ProtectSecretsWithDataProtection(this IExportsBuilder builder, Action<IDataProtectionBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var dataProtection = builder.Services.AddDataProtection();
        configure?.Invoke(dataProtection);
        builder.Services.TryAddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return builder;
    }
}
