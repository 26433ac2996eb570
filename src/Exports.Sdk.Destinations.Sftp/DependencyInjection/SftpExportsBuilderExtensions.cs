using Exports.Sdk;
using Exports.Sdk.Destinations.Sftp;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SFTP destination provider and declares SFTP destinations.</summary>
public static class SftpExportsBuilderExtensions
{
    /// <summary>
    /// Registers the <c>sftp</c> provider, so destinations of that type (from configuration or code) work.
    /// Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddSftpDestinations(this IExportsBuilder builder) =>
        builder.AddDestinationProvider<SftpDestinationProvider>();

    /// <summary>Registers the provider and declares an SFTP destination in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination name.</param>
    /// <param name="configure">Sets host, credentials, remote folder and host-key fingerprints.</param>
    /// <param name="configureDefinition">Sets the folder path, output (format, splitting, manifest) and sharing, or applies a preset.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddSftpDestination(
        this IExportsBuilder builder, string name, Action<SftpDestinationOptions> configure, Action<DestinationDefinition>? configureDefinition = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddSftpDestinations().AddDestination(name, SftpDestinationProvider.TypeName, definition =>
        {
            var options = new SftpDestinationOptions();
            configure(options);
            DestinationSettingsBinder.Write(options, definition.Settings);
            configureDefinition?.Invoke(definition);
        });
    }
}
