using System.Diagnostics.CodeAnalysis;

namespace Exports.Sdk;

/// <summary>
/// The base of a destination provider with typed options: the catalog's settings come from the properties of
/// <typeparamref name="TOptions"/> marked <see cref="DestinationSettingAttribute"/>; validation and creation bind them
/// through <see cref="DestinationSettingsBinder"/>, so configuration, code and run-time connections are read alike.
/// </summary>
/// <typeparam name="TOptions">The options type: settings as properties, defaults as their initial values, checks across settings through <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>.</typeparam>
public abstract class DestinationProvider<[DynamicallyAccessedMembers(DestinationSettingsBinder.OptionsMembers)] TOptions> : IDestinationProvider
    where TOptions : class, new()
{
    /// <summary>Creates the provider.</summary>
    /// <param name="descriptor">The provider's type, display name, description and auth schemes; its settings are filled from <typeparamref name="TOptions"/>.</param>
    protected DestinationProvider(DestinationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        Descriptor = descriptor with { Settings = DestinationSettingsBinder.Describe<TOptions>() };
    }

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition)
    {
        DestinationSettingsBinder.Bind<TOptions>(definition, out var problems);
        return problems;
    }

    /// <inheritdoc />
    /// <exception cref="ExportValidationException">The definition is not valid for this provider.</exception>
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = DestinationSettingsBinder.Bind<TOptions>(definition, out var problems);
        return problems.Count > 0 ? throw new ExportValidationException(problems) : CreateDestination(definition, options, services);
    }

    /// <summary>Creates the destination of a valid definition.</summary>
    /// <param name="definition">The definition (name, folder, output).</param>
    /// <param name="options">Its settings, bound and validated.</param>
    /// <param name="services">The application's services (logging, <see cref="TimeProvider"/>, credentials).</param>
    /// <returns>The destination.</returns>
    protected abstract IDestination CreateDestination(DestinationDefinition definition, TOptions options, IServiceProvider services);
}
