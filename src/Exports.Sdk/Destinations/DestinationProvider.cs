namespace Exports.Sdk;

/// <summary>
/// The base of a destination provider: validation from the descriptor (every required setting present, no unknown
/// setting, then <see cref="ValidateSettings"/>), and <see cref="Create"/> refusing an invalid definition.
/// </summary>
public abstract class DestinationProvider : IDestinationProvider
{
    /// <summary>Creates the provider.</summary>
    /// <param name="descriptor">The provider's type, display name and settings.</param>
    protected DestinationProvider(DestinationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        Descriptor = descriptor;
    }

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var settings = new DestinationSettingsReader(definition);
        foreach (var setting in Descriptor.Settings.Where(s => s.IsRequired))
        {
            settings.GetRequiredString(setting.Name, setting.Description.TrimEnd('.'));
        }

        settings.RejectUnknown(Descriptor.Settings);
        ValidateSettings(settings);
        return settings.Problems;
    }

    /// <inheritdoc />
    /// <exception cref="ExportValidationException">The definition is not valid for this provider.</exception>
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var problems = Validate(definition);
        return problems.Count > 0 ? throw new ExportValidationException(problems) : CreateDestination(definition, services);
    }

    /// <summary>Checks setting values beyond presence (formats, ranges); record problems on <paramref name="settings"/>. Default: nothing.</summary>
    /// <param name="settings">The definition's settings.</param>
    protected virtual void ValidateSettings(DestinationSettingsReader settings)
    {
    }

    /// <summary>Creates the destination of a valid definition.</summary>
    /// <param name="definition">The definition (already validated).</param>
    /// <param name="services">The application's services (logging, <see cref="TimeProvider"/>).</param>
    /// <returns>The destination.</returns>
    protected abstract IDestination CreateDestination(DestinationDefinition definition, IServiceProvider services);
}
