using System.Diagnostics;

namespace SkRerank.Tests.Support;

/// <summary>Runs the built CLI (<c>dotnet skrerank.dll …</c>, copied beside the tests) as a child process.</summary>
public static class CliProcess
{
    /// <summary>
    /// skrerank.dll in the CLI project's own output folder, same configuration as the tests (the test project references
    /// the CLI, so it is built). The copy beside the tests cannot run: its deps.json expects package assemblies that the
    /// tests take from the ASP.NET Core shared framework instead.
    /// </summary>
    public static string DllPath { get; } = FindDll();

    private static string FindDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;                 // net10.0
        var configuration = output.Parent!.Name;     // Debug or Release
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "SkRerank.Cli", "bin", configuration, framework, "skrerank.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"skrerank.dll ({configuration}/{framework}) not found under src/SkRerank.Cli/bin above {output.FullName}.");
    }

    /// <summary>Runs the CLI to completion and returns its exit code and output.</summary>
    public static async Task<CliRun> RunAsync(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The child must not pick up a developer's real key or endpoint, nor a cache folder from the environment; and a
        // run without --cache-dir must not write into the user's ~/.cache: its default cache folders are temporary.
        start.Environment.Remove("TOGETHER_API_KEY");
        start.Environment.Remove("TOGETHER_BASE_URL");
        using var defaultCache = new TempDirectory();
        start.Environment["SKRERANK_CACHE_DIR"] = Path.Combine(defaultCache.Path, "skrerank");
        start.Environment["XDG_CACHE_HOME"] = defaultCache.Path;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"skrerank {string.Join(' ', arguments)} did not finish; stderr so far: {(stderr.IsCompleted ? stderr.Result : "")}");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Writes the first <paramref name="count"/> movies of the shared dataset to a file (a small, real corpus).</summary>
    public static string WriteMovieSubset(TempDirectory temp, int count, string name = "movies.json")
    {
        var source = SharedData.MoviesJson ?? throw new InvalidOperationException("../shared/datasets/movies.json is missing");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(source));
        var subset = doc.RootElement.EnumerateArray().Take(count).Select(e => e.GetRawText());
        return temp.File(name, "[" + string.Join(",\n", subset) + "]");
    }
}

/// <summary>The outcome of a CLI run.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
