using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Runs before the <c>Exports</c> section is bound: a misspelt key or a value that does not convert stops start-up
/// with every problem named (key, value, what is allowed), instead of a destination silently missing.
/// </summary>
internal sealed class ExportsConfigurationCheck(IConfiguration section) : IConfigureOptions<ExportsOptions>
{
    public void Configure(ExportsOptions options)
    {
        var path = section is IConfigurationSection named ? named.Path : ExportsOptions.SectionName;
        var problems = ConfigurationShapeChecker.Check(section, typeof(ExportsOptions), path);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ExportsOptions), problems);
        }
    }
}
