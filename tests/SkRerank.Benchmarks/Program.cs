// dotnet run -c Release --project tests/SkRerank.Benchmarks -- --filter '*'   (see docs/performance.md)
// dotnet run -c Release --project tests/SkRerank.Benchmarks -- postgres-recall "Host=…" [count] [dimensions]   (see docs/postgres.md)
if (args is ["postgres-recall", .. var rest])
{
    await SkRerank.Benchmarks.PostgresRecall.RunAsync(rest);
    return;
}
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(SkRerank.Benchmarks.BenchmarkData).Assembly).Run(args);
