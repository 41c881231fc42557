using System.Diagnostics;
using System.Reflection;

namespace SkRerank.Cli.Benchmarking;

/// <summary>
/// Wall-clock time of a whole <c>skrerank search</c> process (runtime start, model loading, index from the warm cache,
/// one query, exit), started as a child of this one with the same executable and options.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task<Samples> RunAsync(IEnumerable<string> sharedOptions, int runs, CancellationToken cancellationToken)
    {
        var samples = new Samples();
        for (var run = 0; run < runs; run++)
        {
            var start = StartInfo();
            foreach (var arg in new[] { "search", "super hero mystery action movie about bats", "--json" }.Concat(sharedOptions))
                start.ArgumentList.Add(arg);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start skrerank.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            samples.Add(clock.Elapsed.TotalMilliseconds);
            await stdout;
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"skrerank search exited with {process.ExitCode}: {(await stderr).Trim()}");
        }
        return samples;
    }

    private static ProcessStartInfo StartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run as "dotnet skrerank.dll": the child needs the assembly path; as the apphost it needs nothing more.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        return start;
    }
}
