using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Names the query value an endpoint could not bind. Outside Development, ASP.NET Core answers a value it cannot parse
/// (<c>take=abc</c>, <c>status=Done</c>) with a bare 400 before the handler runs; the API filter still runs and turns
/// it into a ProblemDetails built here.
/// </summary>
internal static class QueryBindingFailure
{
    /// <summary>Describes every query value of the endpoint's handler that does not parse as its parameter's type.</summary>
    public static string Describe(HttpContext http)
    {
        var problems = new List<string>();
        var handler = http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>();
        foreach (var parameter in handler?.GetParameters() ?? [])
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (parameter.Name is { } name && http.Request.Query.TryGetValue(name, out var values)
                && values.ToString() is { Length: > 0 } value && Problem(name, type, value) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems.Count > 0
            ? string.Join(" ", problems)
            : "The request has a query or route value that cannot be read as the type the endpoint takes.";
    }

    private static string? Problem(string name, Type type, string value)
    {
        if (type == typeof(int))
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                ? null
                : $"Query parameter '{name}' is '{value}'; it must be a whole number from {int.MinValue} to {int.MaxValue}.";
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: false, out _)
                ? null
                : $"Query parameter '{name}' is '{value}'; it must be one of {string.Join(", ", Enum.GetNames(type))}.";
        }

        return null;
    }
}
