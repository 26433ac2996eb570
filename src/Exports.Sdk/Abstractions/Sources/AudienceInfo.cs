namespace Exports.Sdk;

/// <summary>An audience (segment) as its source lists it.</summary>
/// <param name="Id">The audience id, unique within its source.</param>
/// <param name="Name">The display name; it may contain any characters and is sanitised before use in file names.</param>
public sealed record AudienceInfo(string Id, string Name)
{
    /// <summary>An optional description.</summary>
    public string? Description { get; init; }

    /// <summary>When the audience was last evaluated, if the source knows.</summary>
    public DateTimeOffset? LastEvaluatedAt { get; init; }

    /// <summary>How many profiles it has, when the source knows.</summary>
    public long? Size { get; init; }
}
