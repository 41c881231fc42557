// dotnet run -c Release --project tests/SkRerank.Benchmarks -- --filter '*'   (see docs/performance.md)
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(SkRerank.Benchmarks.BenchmarkData).Assembly).Run(args);
