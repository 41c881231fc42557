using System.Diagnostics;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Cli;

/// <summary>Ctrl+C and SIGTERM during the first indexing: a prompt, conventional exit code, and the batches done are kept.</summary>
public class InterruptTests
{
    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_during_the_first_indexing_exits_promptly_and_the_next_run_resumes(string signal, int expectedExitCode)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // POSIX signals
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 1000);
        var cache = temp.File("cache");
        string[] arguments = ["search", "bats", "--json", "--dataset", dataset, "--cache-dir", cache, "--reranker", "none"];

        // A test runner may start its children with SIGINT ignored (a disposition that exec keeps): start the CLI through
        // a shell-free wrapper that restores the default dispositions, as an interactive terminal would have them.
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-c", "import os,signal,sys; signal.signal(signal.SIGINT, signal.SIG_DFL); signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execvp('dotnet', sys.argv[1:])", "dotnet", CliProcess.DllPath, .. arguments])
            start.ArgumentList.Add(argument);
        start.Environment["SKRERANK_CACHE_DIR"] = cache;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();

        // Wait until some batches are embedded (the progress line counts them), then interrupt.
        string? line;
        var progressed = false;
        while ((line = await process.StandardError.ReadLineAsync()) is not null)
        {
            if (line.Contains("Embedding 1000 movies", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.Match(line, @"(\d+)/1000").Groups[1].Value is { Length: > 0 } done
                && int.Parse(done) >= 128)
            {
                progressed = true;
                break;
            }
        }
        Assert.True(progressed, "the first run never reported embedding progress");
        var signalled = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()])!) await kill.WaitForExitAsync();
        var rest = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        var exitedAfter = signalled.Elapsed;

        Assert.Equal(expectedExitCode, process.ExitCode);
        Assert.Equal("", await stdout);
        Assert.DoesNotContain("   at ", await rest);
        // Exit is prompt: the process stops waiting for the work after at most a few seconds (not asserted: noisy machines).
        Console.WriteLine($"SIG{signal}: exit {process.ExitCode} after {exitedAfter.TotalMilliseconds:0} ms");

        // The next run resumes: what was embedded before the signal comes from the cache.
        // Without --json, so that the run's closing line says how many vectors came from the cache.
        var next = await CliProcess.RunAsync(arguments.Where(a => a != "--json"), new Dictionary<string, string?> { ["SKRERANK_CACHE_DIR"] = cache }, timeout: TimeSpan.FromMinutes(5));
        Assert.True(next.ExitCode == 0, next.ToString());
        var ready = System.Text.RegularExpressions.Regex.Match(next.Error, @"(\d+) embedded, (\d+) from cache");
        Assert.True(ready.Success, next.Error);
        Assert.True(int.Parse(ready.Groups[2].Value) >= 64, $"expected the batches embedded before SIG{signal} to be reused: {ready.Value}");
    }
}
