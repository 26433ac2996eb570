namespace Exports.Sdk;

/// <summary>A registered audience source, as offered to a picker.</summary>
/// <param name="Name">The name dataflows refer to.</param>
/// <param name="ListsAttributes">Whether it lists the attributes it offers (<see cref="IAudienceAttributeSource"/>).</param>
public sealed record SourceSummary(string Name, bool ListsAttributes);
