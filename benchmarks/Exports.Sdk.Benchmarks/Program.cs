using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Exports.Sdk.Benchmarks -- --filter '*'   (or --quick, --columns)
if (args.Contains("--columns"))
{
    Exports.Sdk.Benchmarks.ColumnProfile.Run();
    return;
}

if (args.Contains("--quick"))
{
    await Exports.Sdk.Benchmarks.QuickProfile.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Exports.Sdk.Benchmarks.WriterBenchmarks).Assembly).Run(args);
