using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>A service provider with the Parquet format, a local folder destination and in-memory sources.</summary>
internal sealed class ExportHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public ExportHost(Action<DestinationDefinition> configure, IDatasetSource? datasets = null, IAudienceSource? audiences = null)
    {
        Root = Directory.CreateTempSubdirectory("exports-parquet-").FullName;
        var services = new ServiceCollection();
        var builder = services.AddExports().UseInMemoryExportStore()
            .AddParquetFormat()
            .AddLocalFolderDestination("lake", Root, d =>
            {
                d.Output.Format.Name = "parquet";
                configure(d);
            });
        if (datasets is not null)
        {
            builder.AddDatasetSource("mem", datasets);
        }

        if (audiences is not null)
        {
            builder.AddAudienceSource("aud", audiences);
        }

        _provider = services.BuildServiceProvider();
    }

    public string Root { get; }

    public IDatasetExportRunner Datasets => _provider.GetRequiredService<IDatasetExportRunner>();

    public IExportRunner Audiences => _provider.GetRequiredService<IExportRunner>();

    public string FullPath(string relative) => Path.Combine(Root, relative);

    public string[] Files() => [.. Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
