using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Exports.Sdk.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Exports.Sdk.Benchmarks.WriterBenchmarks).Assembly).Run(args);
