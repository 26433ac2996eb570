namespace Exports.Sdk;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="TotalCount">How many items match over all pages.</param>
public sealed record ExportPage<T>(IReadOnlyList<T> Items, int TotalCount);
