namespace Exports.Sdk;

/// <summary>An audience that is already being exported by another run of the same dataflow.</summary>
/// <param name="AudienceId">The audience id.</param>
/// <param name="RunId">The id of the run in progress.</param>
public sealed record RunConflict(string AudienceId, string RunId);
