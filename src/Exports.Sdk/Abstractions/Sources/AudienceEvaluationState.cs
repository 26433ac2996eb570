namespace Exports.Sdk;

/// <summary>Whether an audience is being refreshed, and when its last evaluation finished.</summary>
/// <param name="IsRefreshing">True while the source recomputes the audience; scheduled runs wait.</param>
/// <param name="LastEvaluatedAt">When the last evaluation finished, if known.</param>
public sealed record AudienceEvaluationState(bool IsRefreshing, DateTimeOffset? LastEvaluatedAt);
