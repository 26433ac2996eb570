using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk;

internal sealed class ExportsBuilder(IServiceCollection services) : IExportsBuilder
{
    public IServiceCollection Services { get; } = services;
}
