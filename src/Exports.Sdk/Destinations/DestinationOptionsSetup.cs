using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Named options per destination: <c>IOptionsMonitor&lt;AmazonS3DestinationOptions&gt;.Get("ad-platform")</c> is
/// that destination's settings bound by <see cref="DestinationSettingsBinder"/>. Reading <see cref="ExportsOptions"/>
/// validates every destination first, so invalid settings throw there, with every problem named.
/// </summary>
internal sealed class DestinationOptionsSetup<[DynamicallyAccessedMembers(DestinationSettingsBinder.OptionsMembers)] TOptions>(IOptionsMonitor<ExportsOptions> exports) : IConfigureNamedOptions<TOptions>
    where TOptions : class, new()
{
    public void Configure(TOptions options)
    {
    }

    public void Configure(string? name, TOptions options)
    {
        if (Find(name) is { } definition)
        {
            DestinationSettingsBinder.BindInto(definition, options);
        }
    }

    private DestinationDefinition? Find(string? name) =>
        name is not null && exports.CurrentValue.Destinations.TryGetValue(name, out var definition) ? definition : null;
}
