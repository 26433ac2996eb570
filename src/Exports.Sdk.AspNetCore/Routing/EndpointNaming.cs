using Microsoft.AspNetCore.Builder;

namespace Exports.Sdk.AspNetCore;

/// <summary>Names an endpoint only in the host's public copy of the API: endpoint names must be unique per host.</summary>
internal static class EndpointNaming
{
    public static RouteHandlerBuilder WithNameIf(this RouteHandlerBuilder builder, bool named, string name) =>
        named ? builder.WithName(name) : builder;
}
