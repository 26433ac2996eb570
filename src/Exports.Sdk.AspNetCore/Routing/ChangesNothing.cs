namespace Exports.Sdk.AspNetCore;

/// <summary>Endpoint metadata of a POST that changes nothing (the file-name preview): allowed in read-only mode.</summary>
internal sealed class ChangesNothing
{
    public static readonly ChangesNothing Instance = new();
}
