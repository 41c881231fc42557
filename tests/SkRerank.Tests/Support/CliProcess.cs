using System.Diagnostics;
using System.Text.Json;

namespace SkRerank.Tests.Support;

/// <summary>Runs the real <c>skrerank</c> program (copied next to the tests) as a child process.</summary>
public static class CliProcess
{
    /// <summary>
    /// skrerank.dll in the CLI project's own output folder (built as a project reference of the tests, in the same
    /// configuration): the copy beside the tests lacks the CLI's runtime dependencies.
    /// </summary>
    public static string CliAssemblyPath { get; } = FindCli();

    private static string FindCli()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDir.Parent!.Name; // bin/<Configuration>/net10.0
        var framework = baseDir.Name;
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "SkRerank.Cli", "bin", configuration, framework, "skrerank.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("skrerank.dll was not found under src/SkRerank.Cli/bin; build the solution first.");
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(CliAssemblyPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Never talk to the real service from tests, whatever the developer's shell has.
        start.Environment["TOGETHER_API_KEY"] = null;
        start.Environment["TOGETHER_BASE_URL"] = null;
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"skrerank {string.Join(' ', args)} did not finish; stderr: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Writes the first <paramref name="count"/> movies of the shared dataset to a file (a small, real corpus).</summary>
    public static string WriteMovieSubset(TempDirectory temp, int count, string name = "movies.json")
    {
        var source = SharedData.MoviesJson ?? throw new InvalidOperationException("../shared/datasets/movies.json is missing");
        using var doc = JsonDocument.Parse(File.ReadAllText(source));
        var subset = doc.RootElement.EnumerateArray().Take(count).Select(e => e.GetRawText());
        return temp.File(name, "[" + string.Join(",\n", subset) + "]");
    }
}
