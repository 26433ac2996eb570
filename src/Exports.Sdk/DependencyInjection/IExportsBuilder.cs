using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk;

/// <summary>
/// Returned by <c>services.AddExports()</c>; destination providers, sources and formats add extension methods to it.
/// </summary>
public interface IExportsBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
