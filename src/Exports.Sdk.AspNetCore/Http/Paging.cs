using Microsoft.AspNetCore.Http.HttpResults;

namespace Exports.Sdk.AspNetCore;

/// <summary>Checks <c>skip</c> and <c>take</c> of a listing before anything is read.</summary>
internal static class Paging
{
    public static ProblemHttpResult? Check(int? skip, int? take, ExportsHttpApiOptions options)
    {
        if (skip < 0)
        {
            return ExportProblems.BadRequest($"Query parameter 'skip' is {skip}; it must be 0 or more.");
        }

        if (take is { } t && (t < 1 || t > options.MaxPageSize))
        {
            return ExportProblems.BadRequest($"Query parameter 'take' is {t}; it must be between 1 and {options.MaxPageSize}.");
        }

        return null;
    }
}
