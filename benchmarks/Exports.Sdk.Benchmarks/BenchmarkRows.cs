using Exports.Sdk;
using Exports.Sdk.Testing;

namespace Exports.Sdk.Benchmarks;

/// <summary>Generates the benchmark rows once, outside the measured code, as the batches a source would yield.</summary>
internal static class BenchmarkRows
{
    public const string AudienceId = "bench";

    public static List<RowBatch> Generate(int rows)
    {
        var source = new SyntheticAudienceSource().AddAudience(AudienceId, "Benchmark", rows);
        var request = new AudienceReadRequest(AudienceId, SyntheticAudienceSource.AttributeNames);
        var batches = new List<RowBatch>();
        var enumerator = source.ReadMembersAsync(request).GetAsyncEnumerator();
        while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            // The source reuses its batch, so copy it.
            var from = enumerator.Current;
            var copy = new RowBatch(from.Schema, from.Capacity);
            for (var r = 0; r < from.Count; r++)
            {
                var row = copy.AddRow();
                for (var c = 0; c < from.Schema.Count; c++)
                {
                    copy.SetValue(row, c, from.GetValue(r, c));
                }
            }

            batches.Add(copy);
        }

        return batches;
    }

    public static OutputColumn[] Columns(ExportSchema schema) =>
        [.. schema.Select((c, i) => new OutputColumn(c.Name, c.Type, i))];
}
